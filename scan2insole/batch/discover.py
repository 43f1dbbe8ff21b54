"""Find the scans under a folder by their content, not only their extension.

A file is a scan when :func:`scan2insole.formats.detect.detect_format` recognises its content as
PLY, STL or OBJ, whatever it is called. A file named ``*.stl``, ``*.ply`` or ``*.obj`` whose
content is not recognised (empty, truncated, garbage) is still a scan to the batch, so that it
fails with its reason in the summary instead of vanishing. Everything else (``profiles.csv``,
sidecar TOML, notes, images) is not a scan. Hidden files and folders (a leading dot, which is
also how the atomic writer names its temporary files) and the output folder are skipped.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scan2insole.errors import ScanError
from scan2insole.formats.detect import (
    SNIFF_BYTES,
    STL_HEADER_BYTES,
    STL_RECORD_BYTES,
    Format,
    detect_format,
)

SCAN_SUFFIXES = frozenset({".stl", ".ply", ".obj"})
"""Names that make a file a scan even when its content is not one (it then fails, reported)."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ScanFile:
    """One scan found under the input folder."""

    path: Path
    """The file, as found under the input folder."""
    rel: PurePosixPath
    """Path relative to the input folder, ``/``-separated: the scan's name in the summary."""
    format: Format | None
    """What the content was recognised as; None when only the name says it is a scan."""


def sniff_format(path: Path, *, size: int) -> Format | None:
    """The format of the file at ``path`` of ``size`` bytes, read from its first bytes only.

    Gives what ``detect_format`` gives on the whole file: its text tests look at the first
    ``SNIFF_BYTES`` only, and its one whole-file test, the binary STL size rule, is done here
    with the size from ``stat``. None when the content is no known format or cannot be read.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(min(size, SNIFF_BYTES))
    except OSError:
        return None
    if len(head) >= STL_HEADER_BYTES and size > len(head):
        n_triangles = int.from_bytes(head[STL_HEADER_BYTES - 4 : STL_HEADER_BYTES], "little")
        if STL_HEADER_BYTES + STL_RECORD_BYTES * n_triangles == size:
            return "stl-binary"
    try:
        return detect_format(head, name=path.name)
    except ScanError:
        return None


def find_scans(in_dir: Path, *, skip: tuple[Path, ...] = ()) -> tuple[ScanFile, ...]:
    """Every scan under ``in_dir``, recursively, sorted by relative path.

    Parameters
    ----------
    in_dir
        The folder to search. Symbolic links to folders are not followed (no cycles).
    skip
        Folders not to enter (the output folder when it lies inside ``in_dir``).

    Returns
    -------
    tuple of ScanFile
        Sorted by ``rel`` so the batch's order and summary do not depend on the file system.
    """
    skipped = {p.resolve() for p in skip}
    found: list[ScanFile] = []
    for root, dirs, files in os.walk(in_dir):
        here = Path(root)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (here / d).resolve() not in skipped
        )
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = here / name
            try:
                status = path.stat()
            except OSError:
                continue  # a dangling link or a file removed while we look: not a scan
            if not stat.S_ISREG(status.st_mode):
                continue
            fmt = sniff_format(path, size=status.st_size) if status.st_size else None
            if fmt is None and path.suffix.lower() not in SCAN_SUFFIXES:
                continue
            rel = PurePosixPath(path.relative_to(in_dir).as_posix())
            found.append(ScanFile(path=path, rel=rel, format=fmt))
    return tuple(sorted(found, key=lambda s: s.rel.as_posix()))
