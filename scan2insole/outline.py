"""Closed outlines (2D polygons) from masks on a grid, and the polygon operations they need."""

from __future__ import annotations

import contourpy
import numpy as np
from scipy import ndimage


def signed_area(poly: np.ndarray) -> float:
    """Shoelace area of a closed polygon (k, 2); positive when counter-clockwise."""
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def resample(poly: np.ndarray, *, spacing_mm: float) -> np.ndarray:
    """The closed polygon resampled at (nearly) equal arc-length steps of ``spacing_mm``."""
    closed = np.vstack([poly, poly[:1]])
    seg = np.linalg.norm(np.diff(closed, axis=0), axis=1)
    s = np.r_[0.0, np.cumsum(seg)]
    n = max(8, round(float(s[-1]) / spacing_mm))
    t = np.linspace(0.0, s[-1], n, endpoint=False)
    return np.stack([np.interp(t, s, closed[:, 0]), np.interp(t, s, closed[:, 1])], axis=1)


def smooth(poly: np.ndarray, *, passes: int = 2) -> np.ndarray:
    """Laplacian smoothing of a closed polygon (removes the grid's staircase)."""
    out = poly
    for _ in range(passes):
        out = 0.25 * np.roll(out, 1, axis=0) + 0.5 * out + 0.25 * np.roll(out, -1, axis=0)
    return out


def contains(poly: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Even-odd point-in-polygon test of pts (n, 2) against a closed polygon (k, 2)."""
    x, y = pts[:, 0][:, None], pts[:, 1][:, None]
    x0, y0 = poly[:, 0][None, :], poly[:, 1][None, :]
    x1, y1 = np.roll(poly[:, 0], -1)[None, :], np.roll(poly[:, 1], -1)[None, :]
    crosses = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        xint = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return (crosses & (x < xint)).sum(axis=1) % 2 == 1


def signed_distance_mm(mask: np.ndarray, cell_mm: float) -> np.ndarray:
    """Distance to the mask's edge: negative inside, positive outside (mm, cell centres)."""
    outside = ndimage.distance_transform_edt(~mask) * cell_mm
    inside = ndimage.distance_transform_edt(mask) * cell_mm
    return np.where(mask, -inside + 0.5 * cell_mm, outside - 0.5 * cell_mm)


def level_outline(
    field: np.ndarray, level: float, origin_mm: np.ndarray, cell_mm: float, *, spacing_mm: float
) -> np.ndarray:
    """The longest closed contour of ``field`` at ``level`` as a CCW polygon in mm.

    ``field`` is sampled at cell centres (row = y, column = x) starting at ``origin_mm``.
    """
    ny, nx = field.shape
    big = float(np.nanmax(np.abs(field))) + abs(level) + 1.0
    padded = np.pad(field, 1, constant_values=big)  # closes contours that touch the border
    xs = origin_mm[0] + cell_mm * np.arange(-1, nx + 1)
    ys = origin_mm[1] + cell_mm * np.arange(-1, ny + 1)
    gen = contourpy.contour_generator(xs, ys, padded, line_type="Separate")
    lines = [ln for ln in gen.lines(level) if len(ln) >= 8]
    if not lines:
        raise ValueError("no contour at that level")  # callers check the mask is non-empty
    poly = max(lines, key=lambda ln: abs(signed_area(ln)))
    if np.allclose(poly[0], poly[-1]):
        poly = poly[:-1]
    if signed_area(poly) < 0:
        poly = poly[::-1]
    return resample(smooth(resample(poly, spacing_mm=spacing_mm)), spacing_mm=spacing_mm)
