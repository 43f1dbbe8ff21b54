"""Fan triangulation of the polygon lists that PLY and OBJ faces are stored as."""

from __future__ import annotations

import numpy as np


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
