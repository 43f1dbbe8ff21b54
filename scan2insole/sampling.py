"""Order-independent resampling of scans: surface samples of meshes and voxel thinning.

Both are used to make the later stages independent of how the scanner distributed its vertices
(and of their order, for repeatability): a coarse mesh is sampled densely, a dense cloud is thinned.
"""

from __future__ import annotations

import numpy as np


def _lattice(k: int) -> np.ndarray:
    """Barycentric weights (p, 3) of the points of a triangle subdivided k times per edge,
    without its corners (the mesh's own vertices, which every caller already has)."""
    i, j = np.meshgrid(np.arange(k + 1), np.arange(k + 1), indexing="ij")
    keep = ((i + j) <= k) & ~(((i == 0) | (i == k)) & ((j == 0) | (j == k)))
    a, b = i[keep] / k, j[keep] / k
    return np.stack([1.0 - a - b, a, b], axis=1)


def _sq_len(v: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", v, v)


def surface_samples(points_mm: np.ndarray, faces: np.ndarray, *, spacing_mm: float) -> np.ndarray:
    """Points on the triangles of a mesh no farther apart than ``spacing_mm``.

    Each triangle is subdivided on a barycentric lattice with enough steps that its longest edge
    is cut into pieces no longer than ``spacing_mm``; the result is deterministic and does not
    depend on face order beyond the order of the output rows.

    Parameters
    ----------
    points_mm : (n, 3) float64, mm
    faces : (m, 3) int64
    spacing_mm : float

    Returns
    -------
    (p, 3) float64, mm: the vertices themselves followed by the lattice points.
    """
    if len(faces) == 0:
        return points_mm
    # squared longest edge per face, without the (m, 3, 3) corner copy: a 1 M-vertex scan is
    # finer than any spacing asked here, and this test is then all the work there is
    a, b, c = (points_mm[faces[:, i]] for i in range(3))
    longest2 = np.maximum(
        np.maximum(_sq_len(b - a), _sq_len(c - b)),
        _sq_len(a - c),
    )
    coarse = np.flatnonzero(longest2 > spacing_mm * spacing_mm)
    if len(coarse) == 0:
        return points_mm
    tri = np.stack([a[coarse], b[coarse], c[coarse]], axis=1)
    steps = np.clip(np.ceil(np.sqrt(longest2[coarse]) / spacing_mm), 1, 64).astype(np.int64)
    out = [points_mm]
    for k in np.unique(steps[steps > 1]):
        weights = _lattice(int(k))
        sel = tri[steps == k]
        out.append(np.einsum("pk,tkc->tpc", weights, sel).reshape(-1, 3))
    return np.concatenate(out)


def voxel_thin(
    points_mm: np.ndarray, *, voxel_mm: float, return_inverse: bool = False
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """One point per occupied voxel (the mean of its points), in voxel-key order.

    The output does not depend on the input order (up to floating-point summation order), which
    keeps frame estimation repeatable under vertex permutation. With ``return_inverse`` also the
    (n,) index of each input point's voxel in the output.
    """
    keys = np.floor(points_mm / voxel_mm).astype(np.int64)
    keys -= keys.min(axis=0)
    dims = keys.max(axis=0) + 1
    flat = (keys[:, 0] * dims[1] + keys[:, 1]) * dims[2] + keys[:, 2]
    # any sort will do: equal keys only change the order of a voxel's sum (last-bit rounding)
    order = np.argsort(flat)
    flat_sorted = flat[order]
    starts = np.flatnonzero(np.r_[True, flat_sorted[1:] != flat_sorted[:-1]])
    counts = np.diff(np.r_[starts, len(flat_sorted)])
    sums = np.add.reduceat(points_mm[order], starts, axis=0)
    thin = sums / counts[:, None]
    if not return_inverse:
        return thin
    inverse = np.empty(len(points_mm), dtype=np.int64)
    inverse[order] = np.repeat(np.arange(len(starts)), counts)
    return thin, inverse
