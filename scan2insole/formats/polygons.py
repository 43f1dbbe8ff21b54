"""Face lists: fan triangulation of PLY and OBJ polygons, and the check of writers' arguments."""

from __future__ import annotations

import numpy as np


def checked_mesh(vertices: np.ndarray, faces: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Coerce and check the (vertices, faces) given to a writer.

    Parameters
    ----------
    vertices
        (n, 3) float, any length unit.
    faces
        (m, 3) int indices into ``vertices``; None or empty for a point cloud.

    Returns
    -------
    vertices : numpy.ndarray
        (n, 3) float64.
    faces : numpy.ndarray
        (m, 3) int64, (0, 3) for a point cloud.

    Raises
    ------
    ValueError
        For a wrong shape or type, or an index outside the vertices: the caller's bug, not input.
    """
    vertices = np.asarray(vertices, dtype=np.float64)
    if vertices.ndim != 2 or vertices.shape[1] != 3:
        raise ValueError(f"vertices must have shape (n, 3), got {vertices.shape}")
    faces = np.zeros((0, 3), dtype=np.int64) if faces is None else np.asarray(faces)
    if faces.size == 0:
        return vertices, np.zeros((0, 3), dtype=np.int64)
    if faces.ndim != 2 or faces.shape[1] != 3 or faces.dtype.kind not in "iu":
        raise ValueError(f"faces must be (m, 3) integers, got {faces.shape} {faces.dtype}")
    if faces.min() < 0 or faces.max() >= len(vertices):
        raise ValueError(
            f"faces must index 0..{len(vertices) - 1}, got {faces.min()}..{faces.max()}"
        )
    return vertices, faces.astype(np.int64)


def fan_triangulate(indices: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split polygons into triangles fanning from each polygon's first corner.

    Parameters
    ----------
    indices
        (sum(counts),) int64 vertex indices of all polygons, one after the other.
    counts
        (k,) int64 corners per polygon, each >= 3 (callers reject smaller ones with a message).

    Returns
    -------
    faces : numpy.ndarray
        (sum(counts - 2), 3) int64; polygon ``[a, b, c, d]`` gives ``[a, b, c], [a, c, d]``, in
        polygon order, so winding is kept.
    polygon : numpy.ndarray
        (sum(counts - 2),) int64 index of the polygon each triangle came from.
    """
    if len(counts) and (counts == 3).all():
        return indices.reshape(-1, 3), np.arange(len(counts), dtype=np.int64)
    n_tri = counts - 2
    polygon = np.repeat(np.arange(len(counts), dtype=np.int64), n_tri)
    first = (np.cumsum(counts) - counts)[polygon]
    tri_start = np.cumsum(n_tri) - n_tri
    step = np.arange(len(polygon), dtype=np.int64) - tri_start[polygon] + 1
    faces = np.stack([indices[first], indices[first + step], indices[first + step + 1]], axis=1)
    return faces, polygon
