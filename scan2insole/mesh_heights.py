"""Height fields read back off a closed mesh: its top (up-facing) or bottom surface on a grid.

Each grid point takes the z of the triangle of that surface it falls in, interpolated
barycentrically: the exact height of the mesh's piecewise-linear surface, not an estimate. This is
how the design's numbers are measured back off an exported insole (``realized/``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

# A point this close outside a triangle (in barycentric units) still counts as in it, so points on
# shared edges are not lost to rounding.
BARY_EPS = 1e-9
# Faces whose unit normal has |z| below this are the insole's vertical wall.
WALL_NORMAL_Z = 1e-6


def surface_grid(
    vertices_mm: np.ndarray,
    faces: np.ndarray,
    *,
    origin_mm: np.ndarray,
    cell_mm: float,
    shape: tuple[int, int],
    which: Literal["top", "bottom"],
) -> np.ndarray:
    """z of the mesh's top (normals up) or bottom (normals down) surface at each grid point.

    Parameters
    ----------
    vertices_mm : (n, 3) float64, mm.
    faces : (m, 3) int64, counter-clockwise seen from outside.
    origin_mm : (2,) x, y of grid point [0, 0]; row i is y, column j is x.
    cell_mm : grid spacing.
    shape : (ny, nx).
    which : ``"top"`` or ``"bottom"``.

    Returns
    -------
    (ny, nx) float64, mm; NaN where the surface does not cover the point. Where several faces
    cover a point (shared edges) the last one wins; a height field's faces agree there.
    """
    tri = vertices_mm[faces]
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    nz = n[:, 2] / np.maximum(np.linalg.norm(n, axis=1), 1e-300)
    tri = tri[nz > WALL_NORMAL_Z] if which == "top" else tri[nz < -WALL_NORMAL_Z]
    ny, nx = shape
    out = np.full(shape, np.nan)
    if len(tri) == 0:
        return out
    lo = np.ceil((tri[:, :, :2].min(axis=1) - origin_mm) / cell_mm).astype(np.int64)
    hi = np.floor((tri[:, :, :2].max(axis=1) - origin_mm) / cell_mm).astype(np.int64)
    lo = np.maximum(lo, 0)
    hi = np.minimum(hi, np.array([nx - 1, ny - 1]))
    wx, wy = hi[:, 0] - lo[:, 0] + 1, hi[:, 1] - lo[:, 1] + 1
    ok = (wx > 0) & (wy > 0)
    tri, lo, wx, wy = tri[ok], lo[ok], wx[ok], wy[ok]
    count = wx * wy
    owner = np.repeat(np.arange(len(tri)), count)
    k = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    col = lo[owner, 0] + k % wx[owner]
    row = lo[owner, 1] + k // wx[owner]
    px = origin_mm[0] + cell_mm * col
    py = origin_mm[1] + cell_mm * row
    a, b, c = tri[owner, 0], tri[owner, 1], tri[owner, 2]
    det = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (b[:, 1] - a[:, 1])
    l1 = ((px - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (py - a[:, 1])) / det
    l2 = ((b[:, 0] - a[:, 0]) * (py - a[:, 1]) - (px - a[:, 0]) * (b[:, 1] - a[:, 1])) / det
    l0 = 1.0 - l1 - l2
    inside = (l0 >= -BARY_EPS) & (l1 >= -BARY_EPS) & (l2 >= -BARY_EPS)
    z = l0 * a[:, 2] + l1 * b[:, 2] + l2 * c[:, 2]
    out[row[inside], col[inside]] = z[inside]
    return out


def rim_points(vertices_mm: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """The top edge of the mesh's vertical wall: (k, 3) the highest vertex at each wall x, y.

    Rows are sorted by x, then y, so two meshes over the same outline give matching rows.
    """
    tri = vertices_mm[faces]
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    nz = n[:, 2] / np.maximum(np.linalg.norm(n, axis=1), 1e-300)
    wall = np.unique(faces[np.abs(nz) <= WALL_NORMAL_Z].ravel())
    pts = vertices_mm[wall]
    order = np.lexsort((-pts[:, 2], pts[:, 1], pts[:, 0]))
    pts = pts[order]
    first = np.ones(len(pts), dtype=bool)
    first[1:] = np.any(pts[1:, :2] != pts[:-1, :2], axis=1)
    return pts[first]
