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


def longest_edges_sq(points_mm: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(m,) squared length of each face's longest edge, mm^2 (for ``surface_samples``)."""
    # three (m, 3) corner gathers, not the (m, 3, 3) corner stack: on a 1 M-vertex scan finer
    # than any spacing asked, this test is all the sampling there is to do
    a, b, c = (points_mm[faces[:, i]] for i in range(3))
    return np.maximum(np.maximum(_sq_len(b - a), _sq_len(c - b)), _sq_len(a - c))


def surface_samples(
    points_mm: np.ndarray,
    faces: np.ndarray,
    *,
    spacing_mm: float,
    longest_sq_mm2: np.ndarray | None = None,
) -> np.ndarray:
    """Points on the triangles of a mesh no farther apart than ``spacing_mm``.

    Each triangle is subdivided on a barycentric lattice with enough steps that its longest edge
    is cut into pieces no longer than ``spacing_mm``; the result is deterministic and does not
    depend on face order beyond the order of the output rows.

    Parameters
    ----------
    points_mm : (n, 3) float64, mm
    faces : (m, 3) int64
    spacing_mm : float
    longest_sq_mm2 : ``longest_edges_sq(points_mm, faces)``, when the caller samples one mesh
        at several spacings.

    Returns
    -------
    (p, 3) float64, mm: the vertices themselves followed by the lattice points.
    """
    if len(faces) == 0:
        return points_mm
    if longest_sq_mm2 is None:
        longest_sq_mm2 = longest_edges_sq(points_mm, faces)
    coarse = np.flatnonzero(longest_sq_mm2 > spacing_mm * spacing_mm)
    if len(coarse) == 0:
        return points_mm
    tri = points_mm[faces[coarse]]
    steps = np.clip(np.ceil(np.sqrt(longest_sq_mm2[coarse]) / spacing_mm), 1, 64).astype(np.int64)
    out = [points_mm]
    for k in np.unique(steps[steps > 1]):
        sel = tri[steps == k]
        a, b, c = sel[:, 0], sel[:, 1], sel[:, 2]
        # one weighted sum per lattice point over all triangles: numpy's einsum takes 3x longer
        # on these (t, 3, 3) stacks
        out.extend(w[0] * a + w[1] * b + w[2] * c for w in _lattice(int(k)))
    return np.concatenate(out)


def voxel_thin(
    points_mm: np.ndarray,
    *,
    voxel_mm: float,
    return_inverse: bool = False,
    weights: np.ndarray | None = None,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """One point per occupied voxel (the mean of its points), in voxel-key order.

    Voxels are aligned to multiples of ``voxel_mm``, so a voxel of twice the size holds exactly
    eight of these. The output does not depend on the input order (a voxel's points are summed
    in input order, so up to its last bit), which keeps frame estimation repeatable under vertex
    permutation. With ``return_inverse`` also the (n,) index of each input point's voxel in the
    output. With ``weights`` (n,) each point counts that many times: thinning a finer thinned
    copy, weighted by its voxels' point counts, gives the means of the original points.
    """
    n = len(points_mm)
    scaled = points_mm * (1.0 / voxel_mm)
    # per column: numpy reduces a (n, 3) array along axis 0 several times slower
    lo = np.floor([scaled[:, i].min() for i in range(3)]) if n else np.zeros(3)
    span = np.array([scaled[:, i].max() for i in range(3)]) - lo if n else np.zeros(3)
    small = span.max() < 2**31 - 1  # int32 keys convert 6x faster than int64 ones
    keys = (scaled - lo).astype(np.int32 if small else np.int64)  # >= 0: truncation floors
    dims = span.astype(np.int64) + 1
    if float(dims[0]) * float(dims[1]) * float(dims[2]) >= 2.0**62:  # a far stray point
        flat = np.unique(keys, axis=0, return_inverse=True)[1].ravel()
    else:
        flat = keys @ np.array([dims[1] * dims[2], dims[2], 1], dtype=np.int64)
    order = np.argsort(flat)
    flat = flat[order]
    first = np.empty(n, dtype=bool)
    first[:1] = True
    np.not_equal(flat[1:], flat[:-1], out=first[1:])
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = np.cumsum(first, dtype=np.intp) - 1
    m = int(first.sum())
    if weights is None:
        counts = np.bincount(inverse, minlength=m)
        columns = [points_mm[:, i] for i in range(3)]
    else:
        counts = np.bincount(inverse, weights=weights, minlength=m)
        columns = [points_mm[:, i] * weights for i in range(3)]
    thin = np.stack([np.bincount(inverse, weights=c, minlength=m) for c in columns], axis=1)
    thin /= counts[:, None]
    return (thin, inverse) if return_inverse else thin
