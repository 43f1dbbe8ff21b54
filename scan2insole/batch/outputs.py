"""Where each scan's outputs go: predictable names under the output folder.

A scan ``IN_DIR/a/b/anna_L.stl`` gives ``OUT_DIR/a/b/anna_L.insole.stl``, ``anna_L.insole.3mf``,
``anna_L.report.json`` and the clinical report ``anna_L.report.html`` + ``anna_L.report_*.png``
(the files ``make`` writes, named by ``scan2insole.output_files``); the pair ``anna_L`` +
``anna_R`` also gives ``OUT_DIR/a/b/anna.pair.3mf`` and ``anna.pair.report.html`` (+ PNGs). The
input's folders are kept, so the same stem in two folders never collides. Two scans of one
folder with the same stem (``foot.stl`` and ``foot.ply``) are told apart by their extension
(``foot_stl``, ``foot_ply``), and, should that still collide, by a number. Names keep letters,
digits, ``.``, ``_`` and ``-`` only.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from scan2insole.batch.pairs import name_parts

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# a file name's kind (the summary's ``outputs``) by its ending; a pair's files get ``pair_``
_KINDS = (
    (".insole.stl", "stl"),
    (".insole.3mf", "3mf"),
    (".pair.3mf", "3mf"),
    (".report.json", "report_json"),
    (".report.html", "report_html"),
    (".png", "report_png"),
)


def safe_part(name: str) -> str:
    """A file or folder name with nothing a shell or file system could trip on."""
    return _UNSAFE.sub("_", name).lstrip(".-_") or "scan"


def output_stems(rels: Sequence[PurePosixPath]) -> dict[PurePosixPath, PurePosixPath]:
    """The output path stem (relative to the output folder) of every scan, all distinct.

    Parameters
    ----------
    rels
        Scan paths relative to the input folder, sorted (the numbering of last resort follows
        this order, so it is stable from run to run).

    Returns
    -------
    dict
        ``rel -> folder/stem``; ``output_files.scan_files`` names the files from the stem.
    """

    def folder(rel: PurePosixPath) -> PurePosixPath:
        return PurePosixPath(*(safe_part(p) for p in rel.parent.parts))

    first = {rel: folder(rel) / safe_part(rel.stem) for rel in rels}
    counts = Counter(str(p).lower() for p in first.values())
    second = {}
    for rel, stem in first.items():
        if counts[str(stem).lower()] > 1:
            ext = safe_part(rel.suffix.lstrip(".")) if rel.suffix else "scan"
            stem = stem.with_name(f"{stem.name}_{ext}")
        second[rel] = stem
    seen: dict[str, int] = defaultdict(int)
    out = {}
    for rel in rels:
        stem = second[rel]
        key = str(stem).lower()
        seen[key] += 1
        if seen[key] > 1:
            stem = stem.with_name(f"{stem.name}_{seen[key]}")
        out[rel] = stem
    return out


def output_kind(name: str, *, pair: bool = False) -> str:
    """The kind of an output file by its name: ``stl``, ``3mf``, ``report_json``, ``report_html``,
    ``report_png``; prefixed ``pair_`` for the files of a pair."""
    kind = next(k for end, k in _KINDS if name.endswith(end))
    return f"pair_{kind}" if pair else kind


def pair_stems(
    members: dict[str, list[PurePosixPath]], stems: dict[PurePosixPath, PurePosixPath]
) -> dict[str, PurePosixPath]:
    """The stem of each pair's files (``folder/person``; append ``.pair.3mf`` and so on).

    Parameters
    ----------
    members
        Pair identifier (``pairs.pair_scans``) -> its two scans, sorted.
    stems
        Every scan's output stem (``output_stems``).

    Returns
    -------
    dict
        Pair identifier -> ``folder/person``, in the folder of the pair's outputs: the person is
        the first scan's stem without its side word, case kept (``Anna_L`` gives ``Anna``), or,
        for two scans that name no side, the folder's name. One that would collide with another
        pair's or with a scan's ``<stem>.report.html`` gets a number.
    """
    scan_stems = {str(s).lower() for s in stems.values()}
    taken: set[str] = set()
    out = {}
    for ident in sorted(members):
        first = stems[members[ident][0]]
        side, person = name_parts(first.name)
        if side is None:  # two scans of a folder naming no side: the folder (the identifier)
            person = PurePosixPath(ident).name
        base = safe_part(person or "insoles")
        stem, n = first.with_name(base), 1
        while f"{stem}.pair".lower() in scan_stems or str(stem).lower() in taken:
            n += 1
            stem = first.with_name(f"{base}_{n}")
        taken.add(str(stem).lower())
        out[ident] = stem
    return out


# write_atomically's temporary files: "." + target name + "." + 8 random characters + ".tmp"
_STALE_TEMP = re.compile(
    r"^\.(?:.+\.(?:insole\.stl|insole\.3mf|pair\.3mf|report\.json|report\.html)"
    r"|.+\.report_[A-Za-z0-9_]+\.png|summary\.csv|summary\.json)\.[A-Za-z0-9_]{8}\.tmp$"
)


def remove_stale_temps(out_dir: Path) -> int:
    """Delete the temporary files a killed batch left under ``out_dir``; return how many.

    Only names the atomic writer gives its temporary files for batch outputs are touched, and
    only while this batch holds the output folder's lock (so no live writer owns them).
    """
    n = 0
    for root, _dirs, files in os.walk(out_dir):
        for name in files:
            if _STALE_TEMP.match(name):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(root, name))
                    n += 1
    return n
