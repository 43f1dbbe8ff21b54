"""Figures read off a change between two exports on the measuring grid: its largest value, the
area and centroid of its upper part, a plane's tilt, the distance to the insole's edge."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from scan2insole.realized.mesh import MEASURE_CELL_MM, Grid
from scan2insole.realized.tolerances import UNMOVED_MM


def dist_in_mm(top: np.ndarray) -> np.ndarray:
    """(rows, cols) distance of each grid point inside the insole to its edge, mm."""
    covered = np.isfinite(top)
    return ndimage.distance_transform_edt(covered) * MEASURE_CELL_MM


def slope_y(values: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """dz/dy of the least-squares plane through (x, y, values)."""
    a = np.column_stack([np.ones_like(x), x, y])
    coef, *_ = np.linalg.lstsq(a, values, rcond=None)
    return float(coef[2])


def centroid(weight: np.ndarray, grid: Grid) -> tuple[float, float] | None:
    """Centroid of the upper half of a non-negative change (weights above half its maximum)."""
    w = np.nan_to_num(weight, nan=0.0)
    peak = w.max()
    if peak <= UNMOVED_MM:
        return None
    w = np.clip(w - 0.5 * peak, 0.0, None)
    return float((w * grid.x_mm).sum() / w.sum()), float((w * grid.y_mm).sum() / w.sum())


def largest(change: np.ndarray, region: np.ndarray) -> float | None:
    """Largest finite ``change`` inside ``region``; None when there is none."""
    vals = change[region & np.isfinite(change)]
    return float(vals.max()) if len(vals) else None


def area_above(change: np.ndarray, level: float) -> float:
    """Area (mm²) of the grid where ``change`` is at least ``level``."""
    return float(np.sum(np.nan_to_num(change, nan=-np.inf) >= level) * MEASURE_CELL_MM**2)
