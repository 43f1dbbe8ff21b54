"""The insole solid: two height fields over one 2D triangulation, stitched by a wall.

Top and bottom share the same triangulation of the outline, and the wall is built from the same
boundary vertices, so every edge has exactly two faces: the solid is watertight and consistently
wound by construction, with no mesh booleans. The triangulation is a conforming Delaunay one:
boundary points every ``OUTLINE_SPACING_MM`` plus an interior lattice; a boundary segment that
Delaunay does not keep as an edge is split at its midpoint until all are kept.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import Delaunay

from scan2insole.heightmap import sample
from scan2insole.outline import contains
from scan2insole.records import InsoleDesign, InsoleMesh, Side

INTERIOR_SPACING_MM = 2.5
_MAX_REFINEMENTS = 8
_DEGENERATE_CROSS_MM2 = 1e-9  # twice a triangle's area; lattice triangles are ~5 mm²


def _lattice_inside(outline: np.ndarray, spacing: float) -> np.ndarray:
    """A triangular lattice of points inside the outline, kept clear of the boundary."""
    lo, hi = outline.min(axis=0), outline.max(axis=0)
    ys = np.arange(lo[1], hi[1], spacing * np.sqrt(3) / 2)
    rows = []
    for i, y in enumerate(ys):
        xs = np.arange(lo[0] + (spacing / 2) * (i % 2), hi[0], spacing)
        rows.append(np.stack([xs, np.full_like(xs, y)], axis=1))
    pts = np.concatenate(rows)
    pts = pts[contains(outline, pts)]
    # keep lattice points at least 0.6 spacing away from every boundary point
    from scipy.spatial import cKDTree

    d, _ = cKDTree(outline).query(pts)
    return pts[d > 0.6 * spacing]


def triangulate(
    outline: np.ndarray, *, spacing_mm: float = INTERIOR_SPACING_MM
) -> tuple[np.ndarray, np.ndarray, int]:
    """Conforming triangulation of a simple CCW polygon.

    Returns
    -------
    points : (n, 2) float64; the first ``n_boundary`` are the (possibly refined) outline in order.
    triangles : (m, 3) int64, counter-clockwise.
    n_boundary : int
    """
    boundary = outline
    interior = _lattice_inside(outline, spacing_mm)
    for _ in range(_MAX_REFINEMENTS):
        pts = np.vstack([boundary, interior])
        tri = Delaunay(pts).simplices.astype(np.int64)
        cent = pts[tri].mean(axis=1)
        tri = tri[contains(boundary, cent)]
        a, b, c = pts[tri[:, 0]], pts[tri[:, 1]], pts[tri[:, 2]]
        cross = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (
            c[:, 0] - a[:, 0]
        )
        tri[cross < 0] = tri[cross < 0][:, ::-1]
        # Delaunay joins three collinear outline points into a zero-area triangle that doubles
        # two boundary edges; dropping it leaves the real triangles on those edges
        tri = tri[np.abs(cross) > _DEGENERATE_CROSS_MM2]
        nb = len(boundary)
        edges = {
            (int(u), int(v)) for t in tri for u, v in ((t[0], t[1]), (t[1], t[2]), (t[2], t[0]))
        }
        missing = [i for i in range(nb) if (i, (i + 1) % nb) not in edges]
        if not missing:
            return pts, tri, nb
        # split every boundary segment Delaunay dropped, then try again
        insert = {i: 0.5 * (boundary[i] + boundary[(i + 1) % nb]) for i in missing}
        rows = []
        for i in range(nb):
            rows.append(boundary[i])
            if i in insert:
                rows.append(insert[i])
        boundary = np.array(rows)
    raise RuntimeError("outline triangulation did not conform")  # a bug: outlines are simple


def build_solid(design: InsoleDesign, *, side: Side) -> InsoleMesh:
    """The closed insole mesh (right-foot design frame) from a design's height fields."""
    pts2, tri, nb = triangulate(design.outline_mm)
    n = len(pts2)
    z_top = sample(design.top, pts2)
    z_bot = sample(design.bottom, pts2)
    vertices = np.vstack([np.column_stack([pts2, z_top]), np.column_stack([pts2, z_bot])])
    top_faces = tri
    bottom_faces = tri[:, ::-1] + n
    i = np.arange(nb)
    j = (i + 1) % nb
    # CCW outline: the outside is to the right of each edge i -> j
    wall = np.vstack([np.stack([i, i + n, j + n], axis=1), np.stack([i, j + n, j], axis=1)])
    faces = np.vstack([top_faces, bottom_faces, wall])
    return InsoleMesh(vertices_mm=vertices, faces=faces, side=side)
