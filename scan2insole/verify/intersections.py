"""Self-intersecting triangles: pairs of faces of one mesh that cross each other.

Slicers do not report these (PrusaSlicer, admesh, trimesh and manifold3d all pass a mesh that
crosses itself; see ../shared/SLICERS.md), so we test them exactly:

1. Candidates: two triangles can only meet when their bounding spheres (centroid, farthest corner)
   do. Triangles are grouped by radius in powers of two, and a cKDTree per group finds, for every
   pair of groups, the centroids closer than the largest radii of the two groups allow; then the
   exact sphere and box tests keep the real candidates. Grouping keeps one large triangle from
   making every small one a candidate of every other.
2. Exact tests, by how many vertices the pair shares:
   - none: the separating axis theorem with all 17 axes of two triangles (both normals, the nine
     edge-edge cross products, and the six in-plane edge normals that separate coplanar ones);
   - one vertex ``s``: two triangles ``(s, a, b)`` and ``(s, c, d)`` meet beyond ``s`` only if
     segment ``ab`` crosses ``(s, c, d)`` or ``cd`` crosses ``(s, a, b)`` (their intersection is a
     segment from ``s`` on the line where the planes meet, and its far end lies on one of them);
   - an edge: they overlap only when folded flat onto each other (coplanar, same side);
   - all three: a duplicated face.
Touching is not crossing: overlaps up to ``INTERSECTION_TOL_MM`` are ignored, except that two
coplanar faces sharing no vertex and overlapping in their plane do cross. Two coplanar faces that
share one vertex and overlap (a face flipped inside a flat fan) are left to the winding check.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

INTERSECTION_TOL_MM = 1e-6
"""Overlap at or below this counts as touching: float64 rounding on coordinates up to 1 m is
~1e-13 mm, and neighbours read from STL share their float32 corners bit for bit, so faces that only
touch never overlap by more; a real crossing of a printable part is microns or more."""
_SIZE_LEVELS = 24
"""Radius groups below the largest triangle's (2^-24 of it, ~0.02 µm for a 300 mm part); smaller
triangles join the smallest group, which only widens its search."""
_CHUNK_PAIRS = 100_000
"""Pairs tested at once: bounds the (chunk, 17, 3) projection arrays to ~40 MB."""


def _candidates(tri: np.ndarray) -> np.ndarray:
    """(k, 2) int64 face pairs i < j whose bounding spheres and boxes overlap."""
    centroid = tri.mean(axis=1)
    radius = np.linalg.norm(tri - centroid[:, None, :], axis=2).max(axis=1)
    r_max = float(radius.max())
    if r_max <= 0.0:
        return np.zeros((0, 2), dtype=np.int64)
    # group g holds radii in (r_max 2^-(g+1), r_max 2^-g]
    group = np.clip(np.floor(-np.log2(np.maximum(radius, 1e-300) / r_max)), 0, _SIZE_LEVELS)
    group = group.astype(np.int64)
    members = {int(g): np.flatnonzero(group == g) for g in np.unique(group)}
    trees = {g: cKDTree(centroid[idx]) for g, idx in members.items()}
    found = []
    for ga, ia in members.items():
        for gb, ib in members.items():
            if gb < ga:
                continue
            reach = r_max * (2.0**-ga + 2.0**-gb) + INTERSECTION_TOL_MM
            if ga == gb:
                local = trees[ga].query_pairs(reach, output_type="ndarray")
                found.append(np.stack([ia[local[:, 0]], ia[local[:, 1]]], axis=1))
            else:
                sdm = trees[ga].sparse_distance_matrix(trees[gb], reach, output_type="ndarray")
                found.append(np.stack([ia[sdm["i"]], ib[sdm["j"]]], axis=1))
    pairs = np.concatenate(found).astype(np.int64) if found else np.zeros((0, 2), np.int64)
    # a few hundred thousand pairs on a fine insole: every test below works column by column
    # ((k, 3) reductions along axis 1 cost several times more) and the final order is one sort
    # of a combined key
    i = np.minimum(pairs[:, 0], pairs[:, 1])
    j = np.maximum(pairs[:, 0], pairs[:, 1])
    keep = i != j
    i, j = i[keep], j[keep]
    d = centroid[i] - centroid[j]
    reach = radius[i] + radius[j] + 1e-9
    keep = np.einsum("kd,kd->k", d, d) <= reach * reach
    i, j = i[keep], j[keep]
    lo, hi = tri.min(axis=1), tri.max(axis=1)
    # boxes must overlap by more than the tolerance, except along an axis where both are flat
    # (coplanar faces): there they must lie in the same plane
    tol = INTERSECTION_TOL_MM
    for axis in range(3):
        lo_i, hi_i, lo_j, hi_j = lo[i, axis], hi[i, axis], lo[j, axis], hi[j, axis]
        deep = (lo_i < hi_j - tol) & (lo_j < hi_i - tol)
        flat = (hi_i - lo_i <= tol) & (hi_j - lo_j <= tol) & (np.abs(lo_i - lo_j) <= tol)
        keep = deep | flat
        i, j = i[keep], j[keep]
    key = np.sort(i * len(tri) + j)
    return np.stack([key // len(tri), key % len(tri)], axis=1)


def _unit(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors along the last axis, and which inputs had a usable length."""
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    ok = n[..., 0] > 1e-12
    return np.where(ok[..., None], v / np.where(n > 0, n, 1.0), 0.0), ok


def _sat_cross(p: np.ndarray, q: np.ndarray, _fp: np.ndarray, _fq: np.ndarray) -> np.ndarray:
    """(k,) True where triangles p and q (k, 3, 3), sharing no vertex, overlap on all 17 axes."""
    ep = p[:, [1, 2, 0]] - p
    eq = q[:, [1, 2, 0]] - q
    np_ = np.cross(ep[:, 0], ep[:, 1])
    nq = np.cross(eq[:, 0], eq[:, 1])
    axes = np.concatenate(
        [
            np_[:, None],
            nq[:, None],
            np.cross(ep[:, :, None, :], eq[:, None, :, :]).reshape(-1, 9, 3),
            np.cross(np_[:, None, :], ep),
            np.cross(nq[:, None, :], eq),
        ],
        axis=1,
    )
    axes, ok = _unit(axes)
    pp = np.einsum("kad,kpd->kap", axes, p)
    pq = np.einsum("kad,kpd->kap", axes, q)
    tol = INTERSECTION_TOL_MM
    p_lo, p_hi, q_lo, q_hi = pp.min(axis=2), pp.max(axis=2), pq.min(axis=2), pq.max(axis=2)
    gap = np.maximum(q_lo - p_hi, p_lo - q_hi)
    # both flat along the axis (coplanar faces along their normal): only a real gap separates;
    # elsewhere an overlap up to the tolerance is touching, not crossing
    flat = (p_hi - p_lo <= tol) & (q_hi - q_lo <= tol)
    apart = np.where(flat, gap > tol, gap >= -tol)
    return ~(apart & ok).any(axis=1)


def _segment_crosses(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """(k,) True where segment a-b (k, 3) passes through the inside of triangle t (k, 3, 3)."""
    n, ok = _unit(np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]))
    da = np.einsum("kd,kd->k", a - t[:, 0], n)
    db = np.einsum("kd,kd->k", b - t[:, 0], n)
    tol = INTERSECTION_TOL_MM
    crosses = ok & (((da > tol) & (db < -tol)) | ((da < -tol) & (db > tol)))
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(crosses, da / (da - db), 0.0)
    x = a + s[:, None] * (b - a)
    # x is inside t when it lies left of all three edges (seen along n), beyond the tolerance
    inside = np.ones(len(a), dtype=bool)
    for k in range(3):
        u, v = t[:, k], t[:, (k + 1) % 3]
        edge, side_ok = _unit(v - u)
        left = np.einsum("kd,kd->k", np.cross(edge, x - u), n)
        inside &= side_ok & (left > tol)
    return crosses & inside


def _share_one(p: np.ndarray, q: np.ndarray, fp: np.ndarray, fq: np.ndarray) -> np.ndarray:
    """Crossing test of pairs sharing exactly one vertex."""
    eq = fp[:, :, None] == fq[:, None, :]  # (k, 3, 3): corner of p == corner of q
    ip = eq.any(axis=2).argmax(axis=1)  # the shared corner's place in p
    iq = eq.any(axis=1).argmax(axis=1)
    rows = np.arange(len(p))
    pa, pb = p[rows, (ip + 1) % 3], p[rows, (ip + 2) % 3]
    qc, qd = q[rows, (iq + 1) % 3], q[rows, (iq + 2) % 3]
    return _segment_crosses(pa, pb, q) | _segment_crosses(qc, qd, p)


def _share_edge(p: np.ndarray, q: np.ndarray, fp: np.ndarray, fq: np.ndarray) -> np.ndarray:
    """Pairs sharing an edge overlap only when folded flat onto each other."""
    rows = np.arange(len(p))
    only_p = ~(fp[:, :, None] == fq[:, None, :]).any(axis=2)
    only_q = ~(fq[:, :, None] == fp[:, None, :]).any(axis=2)
    po = p[rows, only_p.argmax(axis=1)]
    qo = q[rows, only_q.argmax(axis=1)]
    u = p[rows, (only_p.argmax(axis=1) + 1) % 3]
    v = p[rows, (only_p.argmax(axis=1) + 2) % 3]
    n, ok = _unit(np.cross(v - u, po - u))
    flat = ok & (np.abs(np.einsum("kd,kd->k", qo - u, n)) <= INTERSECTION_TOL_MM)
    same_side = np.einsum("kd,kd->k", np.cross(v - u, po - u), np.cross(v - u, qo - u)) > 0
    return flat & same_side


def self_intersections(vertices_mm: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Pairs of faces that cross each other.

    Parameters
    ----------
    vertices_mm : (n, 3) float64, mm, any frame.
    faces : (m, 3) int64.

    Returns
    -------
    (k, 2) int64 face indices i < j, sorted, of every crossing pair.
    """
    tri = vertices_mm[faces]
    pairs = _candidates(tri)
    out = []
    for start in range(0, len(pairs), _CHUNK_PAIRS):
        chunk = pairs[start : start + _CHUNK_PAIRS]
        fp, fq = faces[chunk[:, 0]], faces[chunk[:, 1]]
        p, q = tri[chunk[:, 0]], tri[chunk[:, 1]]
        shared = (fp[:, :, None] == fq[:, None, :]).any(axis=2).sum(axis=1)
        hit = shared == 3  # the same face twice
        for n_shared, crossing in ((0, _sat_cross), (1, _share_one), (2, _share_edge)):
            sel = shared == n_shared
            if sel.any():
                hit[sel] = crossing(p[sel], q[sel], fp[sel], fq[sel])
        out.append(chunk[hit])
    return np.concatenate(out) if out else np.zeros((0, 2), dtype=np.int64)
