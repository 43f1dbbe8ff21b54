"""Wall thickness measured with vertical rays through the mesh.

An insole prints lying flat, so the thickness that decides whether it prints (and how stiff it is)
is the vertical one. Rays run straight up through a grid of points ``THICKNESS_GRID_MM`` apart.
Each ray's hits with the mesh, sorted by height, alternate between entering the solid (a face whose
normal points down) and leaving it (normal up); each enter-leave pair is one crossing of the solid,
and its length is the thickness there. A ray that grazes an edge or vertex reports one surface
twice: hits of the same facing within ``SAME_HIT_TOL_MM`` are merged, and a ray whose hits still do
not alternate (it ran along a silhouette) is dropped rather than measured wrong.

Grid points sit at a fixed, irrational fraction of a cell so that rays do not run exactly through
the vertices of meshes laid out on round coordinates. A thin spot narrower than one cell can fall
between rays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scan2insole.records import frozen_array

THICKNESS_GRID_MM = 1.0
"""Ray spacing: finer than a 0.4 mm nozzle's 2-3 line widths, so any spot thin enough to print
badly and wider than a millimetre is hit by a ray."""
RAY_OFFSET_FRAC = 0.5 - 1.0 / (2.0 * (1.0 + 5.0**0.5))
"""Where rays sit in their cell (0.345..., from the golden ratio: no round coordinate hits it)."""
SAME_HIT_TOL_MM = 1e-6
"""Hits of one ray closer than this with the same facing are one surface met on a shared edge."""
_FLAT_AREA_MM2 = 1e-12
"""Faces whose footprint is smaller than this are vertical: rays run along them, never through."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class RayThickness:
    """Vertical thickness of a mesh, ray by ray."""

    xy_mm: np.ndarray
    """(r, 2) float64: where each measured ray runs, mesh frame, mm."""
    thickness_mm: np.ndarray
    """(r,) float64: the thinnest crossing of the solid along each ray, mm."""
    n_dropped: int
    """Rays that hit the mesh but whose hits did not alternate in and out (not measured)."""

    def __post_init__(self) -> None:
        xy = frozen_array(self.xy_mm, dtype=np.float64, shape=(None, 2), name="xy_mm")
        t = frozen_array(self.thickness_mm, dtype=np.float64, shape=(len(xy),), name="thickness_mm")
        object.__setattr__(self, "xy_mm", xy)
        object.__setattr__(self, "thickness_mm", t)


def _ray_face_pairs(
    tri_xy: np.ndarray, origin: np.ndarray, shape: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (face, grid column, grid row) whose projected bounding box holds the ray."""
    lo = np.ceil((tri_xy.min(axis=1) - origin) / THICKNESS_GRID_MM - RAY_OFFSET_FRAC)
    hi = np.floor((tri_xy.max(axis=1) - origin) / THICKNESS_GRID_MM - RAY_OFFSET_FRAC)
    lo = lo.astype(np.int64)
    n = np.maximum(hi.astype(np.int64) - lo + 1, 0)  # (m, 2) rays across x and y
    count = n[:, 0] * n[:, 1]
    face = np.repeat(np.arange(len(tri_xy)), count)
    k = np.arange(len(face)) - np.repeat(np.cumsum(count) - count, count)
    col = lo[face, 0] + k % n[face, 0]
    row = lo[face, 1] + k // n[face, 0]
    ok = (col >= 0) & (col < shape[1]) & (row >= 0) & (row < shape[0])
    return face[ok], col[ok], row[ok]


def vertical_thickness(vertices_mm: np.ndarray, faces: np.ndarray) -> RayThickness:
    """Measure the thickness of a closed mesh along vertical rays.

    Parameters
    ----------
    vertices_mm : (n, 3) float64, mm; z is the print's up.
    faces : (m, 3) int64, counter-clockwise seen from outside.

    Returns
    -------
    RayThickness
        One entry per ray that crosses the solid, in grid order (row by row).
    """
    tri = vertices_mm[faces]
    d = (tri[:, 1, 0] - tri[:, 0, 0]) * (tri[:, 2, 1] - tri[:, 0, 1]) - (
        tri[:, 1, 1] - tri[:, 0, 1]
    ) * (tri[:, 2, 0] - tri[:, 0, 0])
    keep = np.abs(d) > 2.0 * _FLAT_AREA_MM2
    tri, d = tri[keep], d[keep]
    origin = np.floor(vertices_mm[:, :2].min(axis=0) / THICKNESS_GRID_MM) * THICKNESS_GRID_MM
    span = vertices_mm[:, :2].max(axis=0) - origin
    shape = (int(span[1] // THICKNESS_GRID_MM) + 2, int(span[0] // THICKNESS_GRID_MM) + 2)
    face, col, row = _ray_face_pairs(tri[:, :, :2], origin, shape)
    p = origin + (np.stack([col, row], axis=1) + RAY_OFFSET_FRAC) * THICKNESS_GRID_MM
    t = tri[face]
    # barycentric weights of the ray's foot in the face's footprint
    wb = ((p[:, 0] - t[:, 0, 0]) * (t[:, 2, 1] - t[:, 0, 1])
          - (p[:, 1] - t[:, 0, 1]) * (t[:, 2, 0] - t[:, 0, 0])) / d[face]  # fmt: skip
    wc = ((t[:, 1, 0] - t[:, 0, 0]) * (p[:, 1] - t[:, 0, 1])
          - (t[:, 1, 1] - t[:, 0, 1]) * (p[:, 0] - t[:, 0, 0])) / d[face]  # fmt: skip
    wa = 1.0 - wb - wc
    hit = (wa >= 0) & (wb >= 0) & (wc >= 0)
    z = (wa * t[:, 0, 2] + wb * t[:, 1, 2] + wc * t[:, 2, 2])[hit]
    up = (d[face] > 0)[hit]  # counter-clockwise from above: the normal points up
    ray = (row * shape[1] + col)[hit]
    order = np.lexsort((z, ray))
    ray, z, up = ray[order], z[order], up[order]
    # one surface met twice on a shared edge or vertex: keep the first
    dup = np.r_[
        False, (ray[1:] == ray[:-1]) & (up[1:] == up[:-1]) & (np.diff(z) <= SAME_HIT_TOL_MM)
    ]
    ray, z, up = ray[~dup], z[~dup], up[~dup]
    first = np.r_[True, ray[1:] != ray[:-1]]
    start = np.flatnonzero(first)
    rank = np.arange(len(ray)) - np.repeat(start, np.diff(np.r_[start, len(ray)]))
    rays, n_hits = ray[start], np.diff(np.r_[start, len(ray)])
    # in (normal down) at even ranks, out (normal up) at odd ranks, an even number of hits
    wrong = np.zeros(len(rays), dtype=bool)
    np.logical_or.at(wrong, np.cumsum(first) - 1, up != (rank % 2 == 1))
    good = ~wrong & (n_hits % 2 == 0)
    per_ray = np.full(len(rays), np.inf)
    leave = rank % 2 == 1
    np.minimum.at(per_ray, (np.cumsum(first) - 1)[leave], z[leave] - z[np.flatnonzero(leave) - 1])
    xy = origin + (np.stack([rays % shape[1], rays // shape[1]], axis=1) + RAY_OFFSET_FRAC) * (
        THICKNESS_GRID_MM
    )
    return RayThickness(xy_mm=xy[good], thickness_mm=per_ray[good], n_dropped=int((~good).sum()))
