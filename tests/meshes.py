"""Closed test meshes with known geometry, built here so the print checks are not tested with the
code they check: a slab over a grid (any top height field, flat bottom at z = 0) and its defects."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# the most elements a reader in the format tests may accept
LIMIT = 1_000_000
# a unit right triangle and a unit square in z = 0, counter-clockwise seen from +z
SQUARE = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
SQUARE_FACES = np.array([[0, 1, 2], [0, 2, 3]])
TETRA = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
TETRA_FACES = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])


def slab(
    length_mm: float,
    width_mm: float,
    top_mm: float | Callable[[np.ndarray, np.ndarray], np.ndarray],
    *,
    cell_mm: float = 2.0,
) -> tuple[np.ndarray, np.ndarray]:
    """A closed slab [0, length] x [0, width] x [0, top(x, y)], faces CCW seen from outside.

    Returns vertices (n, 3) float64 mm (top grid first, then the bottom grid) and faces (m, 3).
    """
    nx = round(length_mm / cell_mm)
    ny = round(width_mm / cell_mm)
    xs = np.linspace(0.0, length_mm, nx + 1)
    ys = np.linspace(0.0, width_mm, ny + 1)
    gx, gy = np.meshgrid(xs, ys)  # (ny + 1, nx + 1)
    top = np.broadcast_to(top_mm(gx, gy) if callable(top_mm) else top_mm, gx.shape)
    n = gx.size
    vertices = np.vstack(
        [
            np.column_stack([gx.ravel(), gy.ravel(), top.ravel()]),
            np.column_stack([gx.ravel(), gy.ravel(), np.zeros(n)]),
        ]
    )
    idx = np.arange(n).reshape(ny + 1, nx + 1)
    a, b = idx[:-1, :-1].ravel(), idx[:-1, 1:].ravel()
    c, d = idx[1:, 1:].ravel(), idx[1:, :-1].ravel()
    top_faces = np.vstack([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])
    bottom_faces = top_faces[:, ::-1] + n
    # the boundary walked counter-clockwise seen from above; the wall joins top and bottom
    ring = np.concatenate([idx[0, :-1], idx[:-1, -1], idx[-1, :0:-1], idx[:0:-1, 0]])
    i, j = ring, np.roll(ring, -1)
    wall = np.vstack([np.stack([i, i + n, j + n], 1), np.stack([i, j + n, j], 1)])
    return vertices, np.vstack([top_faces, bottom_faces, wall]).astype(np.int64)


def with_sliver(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same closed mesh plus one zero-area triangle: face 0's first edge gets a midpoint m,
    face 0 is split at m, and the sliver (a, b, m) fills the gap, so every edge still has two
    faces walked in opposite directions."""
    a, b, c = faces[0]
    m = len(vertices)
    vertices = np.vstack([vertices, 0.5 * (vertices[a] + vertices[b])])
    faces = np.vstack([[[a, m, c], [m, b, c]], faces[1:], [[a, b, m]]])
    return vertices, faces
