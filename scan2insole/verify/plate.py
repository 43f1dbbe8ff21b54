"""Checks of several parts laid out on one plate (a left+right 3MF): they fit, they keep apart.

Each part's own checks do not see its neighbours. A plate of parts prints in one job only when the
parts, where the file places them, fit the bed together (turned as one plate if they must) and no
two of them share floor: footprints are surface samples binned in ``PLATE_CELL_MM`` cells, and two
parts that fill the same cell overlap.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scan2insole.bed_layout import fit_turn_deg
from scan2insole.records import Check
from scan2insole.sampling import surface_samples

PLATE_CELL_MM = 1.0
"""Footprint cell: parts closer than about one cell are reported as overlapping (a gap that small
fuses in print anyway)."""


def _cells(vertices_mm: np.ndarray, faces: np.ndarray, origin: np.ndarray) -> np.ndarray:
    pts = surface_samples(vertices_mm, faces, spacing_mm=0.5 * PLATE_CELL_MM)[:, :2]
    ij = np.floor((pts - origin) / PLATE_CELL_MM).astype(np.int64)
    return np.unique(ij[:, 0] * (1 << 32) + ij[:, 1])


def plate_checks(
    placed: Sequence[tuple[str, np.ndarray, np.ndarray]], *, bed_mm: tuple[float, float]
) -> list[Check]:
    """The plate checks of two or more parts.

    Parameters
    ----------
    placed : ``(name, vertices_mm (n, 3) float64 where the file places them, faces (m, 3))``.
    bed_mm : bed size along x and y, mm.

    Returns
    -------
    ``plate_fit`` and ``plate_overlap`` checks.
    """
    xy = np.vstack([v[:, :2] for _, v, _ in placed])
    ext = xy.max(axis=0) - xy.min(axis=0)
    turn = fit_turn_deg(xy, bed_mm)
    where = "do not fit at any turn" if turn is None else f"fit turned {turn:.0f}°"
    fit = Check(
        name="plate_fit",
        passed=turn is not None,
        value=float(max(ext)),
        limit=float(max(bed_mm)),
        message=f"{len(placed)} parts laid out {ext[0]:.0f} x {ext[1]:.0f} mm {where} on a "
        f"{bed_mm[0]:.0f} x {bed_mm[1]:.0f} mm bed",
    )
    origin = np.floor(xy.min(axis=0))
    cells = [_cells(v, f, origin) for _, v, f in placed]
    clashes = []
    for i in range(len(cells)):
        for j in range(i + 1, len(cells)):
            shared = len(np.intersect1d(cells[i], cells[j], assume_unique=True))
            if shared:
                area = shared * PLATE_CELL_MM**2
                clashes.append(f"{placed[i][0]} and {placed[j][0]} ({area:.0f} mm²)")
    overlap = Check(
        name="plate_overlap",
        passed=not clashes,
        value=float(len(clashes)),
        limit=0.0,
        message=("parts overlap on the plate: " + "; ".join(clashes))
        if clashes
        else f"{len(placed)} parts lie apart on the plate",
    )
    return [fit, overlap]
