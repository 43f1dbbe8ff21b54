"""Cleaning: millimetres, no stray points, no fragments, no floor.

What a scanner writes besides the foot: isolated outlier points, small disconnected fragments
(sock fluff, a bit of the other foot), and the floor or scanning plate under the foot. This stage
converts to millimetres (``units.py``), drops those, and measures the scan's noise. The leg above
the ankle is cut in ``frame.py``, which knows where the ground is.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from scan2insole.errors import ScanError
from scan2insole.records import CleanScan, RawScan, ScanQuality, Unit
from scan2insole.sampling import surface_samples, voxel_thin
from scan2insole.support import fit_plane, support_plane
from scan2insole.units import detect_units

# Voxel size of the working copy for outliers, fragments and the floor search (E).
CLEAN_VOXEL_MM = 2.0
# A point cloud voxel is an outlier when it has fewer than this many occupied neighbour voxels
# within OUTLIER_RADIUS_MM (open3d radius outlier removal on the thinned cloud; E).
OUTLIER_RADIUS_MM = 5.0
OUTLIER_MIN_NEIGHBOURS = 4
# Fragments: parts not connected to the foot (gap > FRAGMENT_GAP_MM for clouds) and smaller
# than this share of the largest part are dropped (E).
FRAGMENT_GAP_MM = 6.0
FRAGMENT_MAX_FRAC = 0.15
# Two parts each at least this share of the largest are two feet, not fragments.
SECOND_FOOT_FRAC = 0.4
# Floor: the support facet is a floor when its in-plane extent is at least this many times the
# foot's projected area (a weight-bearing sole alone is smaller than the foot's projection; E).
FLOOR_AREA_RATIO = 1.2
FLOOR_BAND_MM = 1.5
# Points this close to the support facet are candidates for the floor's refit (E: a plate's
# scanned surface is within ~1 mm of flat; the sole's contact is within the same band).
FLOOR_SEARCH_MM = 4.0
# Noise: RMS deviation from a plane fitted in NOISE_VOXEL_MM patches (sagitta of a 6 mm patch
# on a 30 mm radius heel is 0.15 mm, so curvature barely counts; E).
NOISE_VOXEL_MM = 6.0
MIN_QUALITY_FRAC = 0.3


def _mesh_parts(n_points: int, faces: np.ndarray) -> np.ndarray:
    """Connected-component label of every vertex of a mesh."""
    rows = np.repeat(faces[:, 0], 2)
    cols = faces[:, 1:].ravel()
    adj = sparse.coo_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n_points, n_points)
    )
    return connected_components(adj, directed=False)[1]


def _cloud_parts(thin: np.ndarray) -> np.ndarray:
    """Connected-component label of every thinned point, linking points closer than the gap."""
    from scipy.spatial import cKDTree

    pairs = cKDTree(thin).query_pairs(FRAGMENT_GAP_MM, output_type="ndarray")
    adj = sparse.coo_matrix(
        (np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])),
        shape=(len(thin), len(thin)),
    )
    return connected_components(adj, directed=False)[1]


def _voxel_index(thin: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Index of the thinned point (one per CLEAN_VOXEL_MM voxel) whose voxel holds each point;
    -1 for points whose voxel has none. A voxel's mean lies inside the voxel, so keys agree."""
    tkeys = np.floor(thin / CLEAN_VOXEL_MM).astype(np.int64)
    rkeys = np.floor(pts / CLEAN_VOXEL_MM).astype(np.int64)
    base = np.minimum(tkeys.min(axis=0), rkeys.min(axis=0))
    dims = np.maximum(tkeys.max(axis=0), rkeys.max(axis=0)) - base + 1

    def pack(k: np.ndarray) -> np.ndarray:
        k = k - base
        return (k[:, 0] * dims[1] + k[:, 1]) * dims[2] + k[:, 2]

    tp, rp = pack(tkeys), pack(rkeys)
    order = np.argsort(tp, kind="stable")
    pos = np.clip(np.searchsorted(tp[order], rp), 0, len(tp) - 1)
    return np.where(tp[order][pos] == rp, order[pos], -1)


def _noise_mm(points: np.ndarray) -> float:
    """Median RMS distance of points from a plane fitted to each NOISE_VOXEL_MM patch."""
    keys = np.floor(points / NOISE_VOXEL_MM).astype(np.int64)
    keys -= keys.min(axis=0)
    dims = keys.max(axis=0) + 1
    flat = (keys[:, 0] * dims[1] + keys[:, 1]) * dims[2] + keys[:, 2]
    order = np.argsort(flat, kind="stable")
    fs = flat[order]
    starts = np.flatnonzero(np.r_[True, fs[1:] != fs[:-1]])
    counts = np.diff(np.r_[starts, len(fs)])
    p = points[order]
    mean = np.add.reduceat(p, starts, axis=0) / counts[:, None]
    d = p - np.repeat(mean, counts, axis=0)
    cov = np.add.reduceat(d[:, :, None] * d[:, None, :], starts, axis=0) / counts[:, None, None]
    full = counts >= 12
    if not full.any():
        return 0.0
    return float(np.sqrt(np.median(np.linalg.eigvalsh(cov[full])[:, 0])))


def _floor(thin: np.ndarray, pts: np.ndarray) -> tuple[np.ndarray, float, float] | None:
    """The floor under the foot, if there is one: (up, offset, band_mm).

    The plane is refitted by least squares on the points near the support facet (the facet itself
    sits on the noise's lowest tail); ``band_mm`` is how far above the refitted plane the floor's
    own points reach: ``FLOOR_BAND_MM`` or 3.5 robust standard deviations of the raw points near
    the plane, whichever is larger, so noisy or uneven plates are removed whole.
    """
    up, offset = support_plane(thin)
    near = thin @ up - offset < FLOOR_SEARCH_MM
    if near.sum() < 3:
        return None
    normal, off = fit_plane(thin[near])
    if normal @ up < 0:
        normal, off = -normal, -off
    raw_h = pts @ normal - off
    close = raw_h[np.abs(raw_h) < FLOOR_SEARCH_MM]
    sigma = 1.4826 * float(np.median(np.abs(close - np.median(close)))) if len(close) else 0.0
    band = max(FLOOR_BAND_MM, 3.5 * sigma)
    on = thin @ normal - off < band
    helper = np.eye(3)[int(np.argmin(np.abs(normal)))]
    e1 = np.cross(helper, normal)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(normal, e1)
    uv = np.stack([thin @ e1, thin @ e2], axis=1)
    cell = 2 * CLEAN_VOXEL_MM
    plane_cells = np.unique(np.floor(uv[on] / cell).astype(np.int64), axis=0)
    foot_cells = np.unique(np.floor(uv[~on] / cell).astype(np.int64), axis=0)
    if len(plane_cells) < FLOOR_AREA_RATIO * len(foot_cells):
        return None
    return normal, off, band


def clean_scan(raw: RawScan, *, units: Unit | None = None) -> CleanScan:
    """Convert a raw scan to millimetres and remove outliers, fragments and floor.

    Parameters
    ----------
    raw : the scan as read, file units.
    units : force the file's unit instead of detecting it.
    """
    finite = np.isfinite(raw.vertices).all(axis=1)
    if not finite.all():
        raise ScanError(
            f"{raw.name}: {int((~finite).sum())} vertices have NaN or infinite coordinates"
        )
    if len(raw.vertices) < 10:
        raise ScanError(f"{raw.name}: {len(raw.vertices)} points is not a scan of a foot")
    decision = detect_units(raw.vertices, forced=units)
    pts = raw.vertices * decision.mm_per_unit
    faces = raw.faces
    n_in = len(pts)
    reasons: list[str] = []

    samples = surface_samples(pts, faces, spacing_mm=CLEAN_VOXEL_MM)
    thin = voxel_thin(samples, voxel_mm=CLEAN_VOXEL_MM)
    keep = np.ones(n_in, dtype=bool)
    floor_plane = None
    floor = _floor(thin, pts)
    floor_band = 0.0
    if floor is not None:
        up, off, floor_band = floor
        keep &= pts @ up - off > floor_band
        thin = thin[thin @ up - off > floor_band]
        floor_plane = np.r_[up, off]
        reasons.append(f"floor removed ({int(n_in - keep.sum())} points)")

    if len(faces):
        faces = faces[keep[faces].all(axis=1)]
        labels = _mesh_parts(n_in, faces)
        used = np.zeros(n_in, dtype=bool)
        used[faces.ravel()] = True
        tri = pts[faces]
        area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
        part_area = np.bincount(labels[faces[:, 0]], weights=area, minlength=labels.max() + 1)
        size = part_area
        keep &= used
    else:
        from scan2insole.open3d_import import open3d

        o3d = open3d()
        cloud = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(thin))
        _, inliers = cloud.remove_radius_outlier(OUTLIER_MIN_NEIGHBOURS, OUTLIER_RADIUS_MM)
        good = np.zeros(len(thin), dtype=bool)
        good[np.asarray(inliers, dtype=np.int64)] = True
        thin_labels = _cloud_parts(thin)
        thin_labels[~good] = -1
        voxel = _voxel_index(thin, pts)
        labels = np.where(voxel >= 0, thin_labels[voxel], -1)
        size = np.bincount(thin_labels[thin_labels >= 0])
        dropped_outliers = int(((labels == -1) & keep).sum())
        if dropped_outliers:
            reasons.append(f"{dropped_outliers} outlier points dropped")
        keep &= labels >= 0
        labels = np.where(labels >= 0, labels, 0)

    if len(size) == 0 or size.max() <= 0:
        raise ScanError(f"{raw.name}: nothing left of the scan after removing the floor")
    ranked = np.argsort(-size, kind="stable")
    largest = size[ranked[0]]
    big = ranked[size[ranked] >= SECOND_FOOT_FRAC * largest]
    if len(big) > 1:
        raise ScanError(
            f"{raw.name}: found {len(big)} feet (separate parts of similar size) in "
            "one scan; scan one foot at a time"
        )
    part_ok = size >= FRAGMENT_MAX_FRAC * largest
    frag = keep & ~part_ok[labels]
    if frag.any():
        reasons.append(f"{int(frag.sum())} points in small fragments dropped")
    keep &= part_ok[labels]

    remap = np.cumsum(keep) - 1
    out_faces = remap[faces[keep[faces].all(axis=1)]] if len(faces) else faces
    out_pts = pts[keep]
    noise = _noise_mm(out_pts)
    score = 1.0 - min(0.5, noise / 2.0) - min(0.3, (n_in - len(out_pts)) / max(n_in, 1))
    quality = ScanQuality(
        score_frac=score,
        reasons=tuple(reasons),
        n_points_in=n_in,
        n_points_dropped=int(n_in - len(out_pts)),
        floor_removed=floor_plane is not None,
        leg_cut=False,
        noise_mm=noise,
        floor_band_mm=floor_band,
    )
    return CleanScan(
        points_mm=out_pts,
        faces=out_faces,
        units=decision,
        quality=quality,
        name=raw.name,
        sha256=raw.sha256,
        floor_plane=floor_plane,
    )
