"""Where each scan's outputs go: predictable names under the output folder.

A scan ``IN_DIR/a/b/anna_L.stl`` gives ``OUT_DIR/a/b/anna_L.insole.stl`` and
``OUT_DIR/a/b/anna_L.report.json``: the input's folders are kept, so the same stem in two folders
never collides. Two scans of one folder with the same stem (``foot.stl`` and ``foot.ply``) are
told apart by their extension (``foot_stl``, ``foot_ply``), and, should that still collide, by a
number. Names keep letters, digits, ``.``, ``_`` and ``-`` only.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

STL_SUFFIX = ".insole.stl"
REPORT_SUFFIX = ".report.json"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


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
        ``rel -> folder/stem``; append ``STL_SUFFIX`` or ``REPORT_SUFFIX`` for the files.
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


# write_atomically's temporary files: "." + target name + "." + 8 random characters + ".tmp"
_STALE_TEMP = re.compile(
    r"^\.(?:.+\.insole\.stl|.+\.report\.json|summary\.csv|summary\.json)\.[A-Za-z0-9_]{8}\.tmp$"
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
