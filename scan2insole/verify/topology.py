"""Counts that say whether a triangle mesh bounds a solid: edges, shells, volume, empty triangles.

A closed, consistently wound mesh has every undirected edge in exactly two faces, walked in
opposite directions; its signed volume is positive when the faces wind counter-clockwise seen from
outside (normals out).
"""

from __future__ import annotations

import numpy as np


def directed_edges(faces: np.ndarray) -> np.ndarray:
    """(3m, 2) int64 directed edges, face by face order of corners (0-1 of all, 1-2, 2-0)."""
    return np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])


def edge_counts(faces: np.ndarray) -> tuple[int, int, int]:
    """(open edges, edges shared by more than two faces, edges walked the same way twice).

    Parameters
    ----------
    faces : (m, 3) int64 vertex indices.
    """
    directed = directed_edges(faces)
    n = int(faces.max()) + 1 if len(faces) else 1
    # one int64 key per edge (1-D unique is ~10x faster than unique over rows)
    undirected = np.sort(directed, axis=1)
    _, counts = np.unique(undirected[:, 0] * n + undirected[:, 1], return_counts=True)
    _, dcounts = np.unique(directed[:, 0] * n + directed[:, 1], return_counts=True)
    return int((counts == 1).sum()), int((counts > 2).sum()), int((dcounts > 1).sum())


def n_shells(n_vertices: int, faces: np.ndarray) -> int:
    """Connected pieces of the mesh (faces joined through shared vertices)."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    rows = np.repeat(faces[:, 0], 2)
    cols = faces[:, 1:].ravel()
    adj = sparse.coo_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n_vertices, n_vertices)
    )
    used = np.unique(faces)
    labels = connected_components(adj, directed=False)[1]
    return len(np.unique(labels[used]))


def signed_volume_mm3(vertices_mm: np.ndarray, faces: np.ndarray) -> float:
    """Volume enclosed (divergence theorem); negative when the faces wind inward."""
    tri = vertices_mm[faces]
    return float(np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6.0)


def face_areas_mm2(vertices_mm: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(m,) float64 triangle areas, mm²."""
    tri = vertices_mm[faces]
    return 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
