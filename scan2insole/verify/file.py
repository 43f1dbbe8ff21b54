"""Verify a print file, ours or anyone's: read its parts in mm, check each one and the plate.

STL has no unit: like every slicer, we read it as millimetres. A 3MF declares its unit and places
its parts with build items; each part is checked where the file places it, and a file of several
parts is also checked as a plate (``plate.py``). PLY and OBJ meshes are read too (millimetres).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.formats import threemf
from scan2insole.load import read_file_bytes, read_scan_bytes
from scan2insole.records import Check, VerifyReport
from scan2insole.verify import verify_mesh
from scan2insole.verify.plate import plate_checks


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class FileVerdict:
    """The print checks of every part of a file, and of the plate they share."""

    format: str
    """``3mf``, or the scan format the content was read as (``stl-binary``, ...)."""
    unit: str
    """The length unit the file declared (3MF) or was assumed to use (``millimeter``)."""
    parts: tuple[tuple[str, VerifyReport], ...]
    """(part name, its checks) in file order."""
    plate: tuple[Check, ...]
    """Checks of the parts together; empty for a single part."""

    @property
    def printable(self) -> bool:
        return all(r.printable for _, r in self.parts) and all(c.passed for c in self.plate)


def read_parts(
    path: str | os.PathLike,
) -> tuple[str, str, tuple[threemf.Part, ...]]:
    """The parts of a print file in millimetres.

    Returns
    -------
    (format, unit, parts)
        See :class:`FileVerdict`; each part's ``placed()`` is where the file puts it.

    Raises
    ------
    ScanError
        Unreadable, not a mesh format, a point cloud, or a part without triangles.
    """
    shown = os.fsdecode(os.fspath(path))
    data = read_file_bytes(path)  # regular files only: a FIFO or a device is refused
    if threemf.is_3mf(data):
        model = threemf.read(data, name=shown)
        fmt, unit, parts = "3mf", model.unit, model.parts
    else:
        raw = read_scan_bytes(data, name=shown)
        if raw.is_point_cloud:
            raise ScanError(f"{shown}: holds points but no triangles; expected a closed mesh")
        parts = (
            threemf.Part(
                name=PurePath(shown).stem,
                vertices_mm=raw.vertices,
                faces=raw.faces,
                build_from_part=np.eye(4),
            ),
        )
        fmt, unit = raw.format, "millimeter"
    for part in parts:
        if len(part.faces) == 0:
            raise ScanError(f"{shown}: part '{part.name}' has no triangles; expected a mesh")
    return fmt, unit, parts


def verify_file(
    path: str | os.PathLike,
    *,
    min_thickness_mm: float,
    bed_mm: tuple[float, float],
    max_height_mm: float,
) -> FileVerdict:
    """Run the print checks on every part of a print file (STL, 3MF, PLY or OBJ mesh).

    Parameters are those of :func:`scan2insole.verify.verify_mesh`.
    """
    fmt, unit, parts = read_parts(path)
    placed = [(p.name, *p.placed()) for p in parts]
    reports = tuple(
        (
            name,
            verify_mesh(
                v,
                f,
                min_thickness_mm=min_thickness_mm,
                bed_mm=bed_mm,
                max_height_mm=max_height_mm,
            ),
        )
        for name, v, f in placed
    )
    plate = tuple(plate_checks(placed, bed_mm=bed_mm)) if len(parts) > 1 else ()
    return FileVerdict(format=fmt, unit=unit, parts=reports, plate=plate)
