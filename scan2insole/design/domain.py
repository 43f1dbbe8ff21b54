"""The insole's 2D domain: the grid the height fields live on, and where the outline is on it.

The grid is the analysis's plantar grid, padded so that the outline (which a shoe size may
stretch past the scan) lies at least ``PAD_MM`` inside it; the plantar heights are carried into
the pad from the nearest known cell. ``dist_mm`` is the distance from each cell centre to the
outline, positive inside: features that hug the rim (heel cup, flanges) fall off with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from scan2insole.outline import resample
from scan2insole.records import FootAnalysis

PAD_MM = 6.0
# The outline is resampled this finely for the distance field: the chord error of a 0.25 mm
# polygon is far below the 1 mm grid (E).
DISTANCE_SPACING_MM = 0.25
# No feature falls off over more than this from the outline; farther cells get this distance.
FAR_MM = 20.0


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Domain:
    """The design grid and the outline on it (mm, right-foot design frame)."""

    origin_mm: np.ndarray
    """(2,) x, y of the centre of cell [0, 0]."""
    cell_mm: float
    x_mm: np.ndarray
    """(ny, nx) x of every cell centre."""
    y_mm: np.ndarray
    """(ny, nx) y of every cell centre."""
    outline_mm: np.ndarray
    """(k, 2) the insole outline, counter-clockwise."""
    inside: np.ndarray
    """(ny, nx) bool: the cell centre lies inside the outline."""
    dist_mm: np.ndarray
    """(ny, nx) distance to the outline, positive inside, negative outside, capped at
    ``FAR_MM``."""
    plantar_mm: np.ndarray
    """(ny, nx) the foot's plantar height, clipped at the support plane (z >= 0)."""


def inside_polygon(poly: np.ndarray, x_cols: np.ndarray, y_rows: np.ndarray) -> np.ndarray:
    """Even-odd inside test of a grid's cell centres, one scan line per row.

    Parameters
    ----------
    poly : (k, 2) closed polygon.
    x_cols : (nx,) increasing x of the columns.
    y_rows : (ny,) y of the rows.

    Returns
    -------
    (ny, nx) bool.
    """
    x0, y0 = poly[:, 0], poly[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    yy = y_rows[:, None]
    crosses = (y0[None, :] > yy) != (y1[None, :] > yy)  # (ny, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        xint = x0[None, :] + (yy - y0[None, :]) * (x1 - x0)[None, :] / (y1 - y0)[None, :]
    xint = np.where(crosses, xint, np.inf)
    # number of crossings left of each column centre, per row
    xint.sort(axis=1)
    counts = np.stack([np.searchsorted(row, x_cols, side="right") for row in xint])
    return counts % 2 == 1


def insole_domain(analysis: FootAnalysis, outline_mm: np.ndarray) -> Domain:
    """The padded design grid of one insole outline over one analysed foot."""
    hm = analysis.plantar
    cell = hm.cell_mm
    ny, nx = hm.z_mm.shape
    last = hm.origin_mm + cell * np.array([nx - 1, ny - 1])
    lo = np.minimum(hm.origin_mm, outline_mm.min(axis=0) - PAD_MM)
    hi = np.maximum(last, outline_mm.max(axis=0) + PAD_MM)
    before = np.ceil((hm.origin_mm - lo) / cell).astype(int)
    after = np.ceil((hi - last) / cell).astype(int)
    plantar = np.pad(
        np.maximum(hm.z_mm, 0.0), ((before[1], after[1]), (before[0], after[0])), mode="edge"
    )
    origin = hm.origin_mm - cell * before
    xs = origin[0] + cell * np.arange(plantar.shape[1])
    ys = origin[1] + cell * np.arange(plantar.shape[0])
    x, y = np.meshgrid(xs, ys)
    inside = inside_polygon(outline_mm, xs, ys)
    # exact distances only where a feature may still be falling off; a cell-centre transform
    # (within a cell of the truth) picks those cells
    rough = (
        np.where(
            inside,
            ndimage.distance_transform_edt(inside),
            ndimage.distance_transform_edt(~inside),
        )
        * cell
    )
    near = rough < FAR_MM + 2 * cell
    dense = resample(outline_mm, spacing_mm=DISTANCE_SPACING_MM)
    d = np.full(x.shape, FAR_MM)
    d[near], _ = cKDTree(dense).query(np.column_stack([x[near], y[near]]))
    dist = np.where(inside, 1.0, -1.0) * np.minimum(d, FAR_MM)
    return Domain(
        origin_mm=origin,
        cell_mm=cell,
        x_mm=x,
        y_mm=y,
        outline_mm=outline_mm,
        inside=inside,
        dist_mm=dist,
        plantar_mm=plantar,
    )
