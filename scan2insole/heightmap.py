"""Height fields from points: the lower (plantar) or upper envelope of a surface on a grid."""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import ndimage

from scan2insole.records import HeightMap


def envelope(
    points_mm: np.ndarray,
    *,
    cell_mm: float,
    which: Literal["lower", "upper"],
    origin_mm: np.ndarray | None = None,
    shape: tuple[int, int] | None = None,
) -> HeightMap:
    """Lowest (or highest) z of the points falling in each grid cell; NaN where none fall.

    Parameters
    ----------
    points_mm : (n, 3) float64, mm, design frame. Dense enough that every cell of the surface
        holds a point (see ``sampling.surface_samples``).
    cell_mm : grid spacing.
    origin_mm, shape : the grid; by default it covers the points' xy bounds.
    """
    xy = points_mm[:, :2]
    if origin_mm is None:
        origin_mm = np.floor(xy.min(axis=0) / cell_mm) * cell_mm
    if shape is None:
        span = xy.max(axis=0) - origin_mm
        shape = (int(span[1] // cell_mm) + 2, int(span[0] // cell_mm) + 2)
    # cell coordinates measured from the grid's first cell edge, so truncation is the nearest
    # grid point; points off the grid are dropped before the (cheap, 32-bit) integer cast
    u = (points_mm[:, 0] - (origin_mm[0] - 0.5 * cell_mm)) * (1.0 / cell_mm)
    v = (points_mm[:, 1] - (origin_mm[1] - 0.5 * cell_mm)) * (1.0 / cell_mm)
    ok = (u >= 0) & (u < shape[1]) & (v >= 0) & (v < shape[0])
    flat = v[ok].astype(np.int32).astype(np.int64) * shape[1] + u[ok].astype(np.int32)
    z = points_mm[ok, 2]
    if which == "lower":
        grid = np.full(shape[0] * shape[1], np.inf)
        np.minimum.at(grid, flat, z)
    else:
        grid = np.full(shape[0] * shape[1], -np.inf)
        np.maximum.at(grid, flat, z)
    grid[~np.isfinite(grid)] = np.nan
    return HeightMap(origin_mm=origin_mm, cell_mm=cell_mm, z_mm=grid.reshape(shape))


def fill_nearest(z_mm: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Copy of ``z_mm`` with ``missing`` cells set to the value of the nearest known cell."""
    if not missing.any():
        return z_mm.copy()
    _, (ii, jj) = ndimage.distance_transform_edt(missing, return_indices=True)
    return z_mm[ii, jj]


def fill_smooth(z_mm: np.ndarray, missing: np.ndarray, *, iterations: int = 200) -> np.ndarray:
    """Fill ``missing`` cells from their neighbours: nearest value, then relaxed toward the mean
    of the four neighbours (a discrete membrane), known cells held fixed.

    The membrane bridges a hole in the plantar surface with a smooth sheet that meets its rim,
    instead of the terraces a nearest fill leaves.
    """
    out = fill_nearest(z_mm, missing)
    if not missing.any():
        return out
    rows, cols = np.nonzero(ndimage.binary_dilation(missing, iterations=1))
    r0, r1 = max(rows.min() - 1, 0), min(rows.max() + 2, z_mm.shape[0])
    c0, c1 = max(cols.min() - 1, 0), min(cols.max() + 2, z_mm.shape[1])
    sub, hole = out[r0:r1, c0:c1], missing[r0:r1, c0:c1]
    for _ in range(iterations):
        padded = np.pad(sub, 1, mode="edge")
        mean4 = 0.25 * (padded[:-2, 1:-1] + padded[2:, 1:-1] + padded[1:-1, :-2] + padded[1:-1, 2:])
        sub = np.where(hole, mean4, sub)
    out[r0:r1, c0:c1] = sub
    return out


def sample(hm: HeightMap, xy_mm: np.ndarray) -> np.ndarray:
    """Bilinear interpolation of a (NaN-free) height map at points (k, 2); edges are clamped."""
    fx = np.clip((xy_mm[:, 0] - hm.origin_mm[0]) / hm.cell_mm, 0, hm.z_mm.shape[1] - 1.000001)
    fy = np.clip((xy_mm[:, 1] - hm.origin_mm[1]) / hm.cell_mm, 0, hm.z_mm.shape[0] - 1.000001)
    j0, i0 = np.floor(fx).astype(np.int64), np.floor(fy).astype(np.int64)
    tx, ty = fx - j0, fy - i0
    z = hm.z_mm
    return (z[i0, j0] * (1 - tx) + z[i0, j0 + 1] * tx) * (1 - ty) + (
        z[i0 + 1, j0] * (1 - tx) + z[i0 + 1, j0 + 1] * tx
    ) * ty
