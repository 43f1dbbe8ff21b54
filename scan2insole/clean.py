"""Cleaning: millimetres, no stray points, no fragments, no floor.

What a scanner writes besides the foot: isolated outlier points, small disconnected fragments
(sock fluff, a bit of the other foot), and the floor or scanning plate under the foot. This stage
converts to millimetres (``units.py``), drops those, and measures the scan's noise. The leg above
the ankle is cut in ``frame.py``, which knows where the ground is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from scan2insole.errors import ScanError
from scan2insole.records import CleanScan, RawScan, ScanQuality, Unit, UnitsDecision
from scan2insole.sampling import surface_samples, voxel_thin
from scan2insole.submesh import submesh
from scan2insole.support import fit_plane, support_plane
from scan2insole.units import detect_units

# Voxel size of the working copy for outliers, fragments and the floor search (E).
CLEAN_VOXEL_MM = 2.0
# A point cloud voxel is an outlier when it has fewer than this many occupied neighbour voxels
# within OUTLIER_RADIUS_MM (open3d's remove_radius_outlier rule on the thinned cloud; E).
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
NOISE_PATCH_STRIDE = 4
MIN_QUALITY_FRAC = 0.3


def isolated_points(thin: np.ndarray) -> np.ndarray:
    """Mask of thinned cloud points with fewer than OUTLIER_MIN_NEIGHBOURS others within
    OUTLIER_RADIUS_MM.

    The rule is open3d's ``remove_radius_outlier`` (tests hold the two to the same answer); a
    scipy tree gives it without importing open3d, whose 0.5-0.7 s import would be a third of
    ``make``'s time budget on a 1 M-point scan.
    """
    if len(thin) == 0:
        return np.zeros(0, dtype=bool)
    count = cKDTree(thin).query_ball_point(thin, OUTLIER_RADIUS_MM, return_length=True)
    return count - 1 < OUTLIER_MIN_NEIGHBOURS


def _noise_mm(points: np.ndarray) -> float:
    """Median RMS distance of points from a plane fitted to each NOISE_VOXEL_MM patch.

    Only every NOISE_PATCH_STRIDE-th patch (by a hash of its voxel key, so the choice does not
    depend on point order) is measured: the median over a few thousand patches is as good as over
    all of them, at a fraction of the cost on a 1M-point cloud.
    """
    keys = np.floor(points / NOISE_VOXEL_MM).astype(np.int64)
    pick = ((keys[:, 0] * 73856093) ^ (keys[:, 1] * 19349663) ^ (keys[:, 2] * 83492791)) % (
        NOISE_PATCH_STRIDE
    ) == 0
    points, keys = points[pick], keys[pick]
    if len(points) == 0:
        return 0.0
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


def _parts_of_thin(thin: np.ndarray) -> np.ndarray:
    """Connected-component label of each thinned point: occupied voxels of FRAGMENT_GAP_MM / 2
    linked to their 26 neighbours (so gaps narrower than the gap join).

    Only occupied voxels are labelled (a neighbour graph over them), never a dense grid over
    the bounding box: one stray point a kilometre away must not allocate gigabytes.
    """
    voxel = FRAGMENT_GAP_MM / 2
    keys = np.floor(thin / voxel).astype(np.int64)
    occupied, inverse = np.unique(keys, axis=0, return_inverse=True)
    pairs = cKDTree(occupied).query_pairs(np.sqrt(3.0) + 1e-6, p=2.0, output_type="ndarray")
    adj = sparse.coo_matrix(
        (np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])),
        shape=(len(occupied), len(occupied)),
    )
    labels = connected_components(adj, directed=False)[1]
    return labels[inverse.ravel()]


def largest_part(thin: np.ndarray, good: np.ndarray) -> tuple[np.ndarray, int]:
    """The good thinned points of the largest connected part (mask), and how many parts hold at
    least SECOND_FOOT_FRAC of its points (more than one: two feet, or two soles)."""
    labels = np.full(len(thin), -1, dtype=np.int64)
    labels[good] = _parts_of_thin(thin[good])
    size = np.bincount(labels[good])
    largest = int(np.argmax(size))  # the first of equals, as a stable sort would rank it
    return good & (labels == largest), int((size >= SECOND_FOOT_FRAC * size[largest]).sum())


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class WorkingCopy:
    """A scan in millimetres and its thinned copy, made once for the kind decision and clean.

    The copy (CLEAN_VOXEL_MM voxel means of the vertices and of samples on long mesh edges)
    serves the kind survey (coarsened, weighted by ``counts``), the floor, outlier and fragment
    searches and the frame search; every vertex follows its voxel's verdict.
    """

    units: UnitsDecision
    points_mm: np.ndarray
    """(n, 3) float64, mm: the scan's vertices."""
    thin_mm: np.ndarray
    """(k, 3) float64, mm: one mean point per occupied voxel."""
    counts: np.ndarray
    """(k,) samples in each voxel."""
    inverse: np.ndarray
    """(n_samples,) voxel of each sample; the first n are the vertices."""


def working_copy(raw: RawScan, *, units: Unit | None = None) -> WorkingCopy:
    """Check a raw scan is finite and not tiny, settle its unit, and thin it (see WorkingCopy)."""
    finite = np.isfinite(raw.vertices).all(axis=1)
    if not finite.all():
        raise ScanError(
            f"{raw.name}: {int((~finite).sum())} vertices have NaN or infinite coordinates"
        )
    if len(raw.vertices) < 10:
        raise ScanError(f"{raw.name}: {len(raw.vertices)} points is not a scan of a foot")
    decision = detect_units(raw.vertices, forced=units)
    pts = raw.vertices * decision.mm_per_unit
    samples = surface_samples(pts, raw.faces, spacing_mm=CLEAN_VOXEL_MM)
    thin, inverse = voxel_thin(samples, voxel_mm=CLEAN_VOXEL_MM, return_inverse=True)
    counts = np.bincount(inverse, minlength=len(thin))
    return WorkingCopy(units=decision, points_mm=pts, thin_mm=thin, counts=counts, inverse=inverse)


def clean_scan(
    raw: RawScan, *, units: Unit | None = None, working: WorkingCopy | None = None
) -> CleanScan:
    """Convert a raw scan to millimetres and remove outliers, fragments and floor.

    Parameters
    ----------
    raw : the scan as read, file units.
    units : force the file's unit instead of detecting it.
    working : ``working_copy(raw, units=units)`` when the caller already made it.
    """
    work = working if working is not None else working_copy(raw, units=units)
    decision, pts, thin, inverse = work.units, work.points_mm, work.thin_mm, work.inverse
    faces = raw.faces
    n_in = len(pts)
    reasons: list[str] = []
    is_mesh = len(faces) > 0
    good = np.ones(len(thin), dtype=bool)
    floor_plane = None
    floor_band = 0.0
    floor = _floor(thin, pts)
    if floor is not None:
        up, off, floor_band = floor
        good &= thin @ up - off > floor_band
        floor_plane = np.r_[up, off]
    if not is_mesh:
        idx = np.flatnonzero(good)
        good[idx[isolated_points(thin[idx])]] = False
    if not good.any():
        raise ScanError(
            f"{raw.name}: nothing left of the scan after removing the floor and isolated points"
        )
    keep_thin, n_big = largest_part(thin, good)
    if n_big > 1:
        raise ScanError(
            f"{raw.name}: expected one foot, found {n_big} separate parts of similar size "
            f"({n_big} feet, or a body with clothing or helper meshes); scan or crop one foot"
        )
    # every raw point (mesh vertices come first in the samples) follows its voxel
    keep = keep_thin[inverse[:n_in]]
    n_floor = 0
    if floor_plane is not None:
        on_floor = pts @ floor_plane[:3] - floor_plane[3] <= floor_band
        keep &= ~on_floor
        n_floor = int(on_floor.sum())
    if n_floor:
        reasons.append(f"floor removed ({n_floor} points)")
    n_other = int(n_in - keep.sum()) - n_floor
    if n_other:
        what = "fragment and outlier" if not is_mesh else "fragment"
        reasons.append(f"{n_other} {what} points dropped")
    out_pts, faces = submesh(pts, faces, keep)
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
        faces=faces,
        units=decision,
        quality=quality,
        name=raw.name,
        sha256=raw.sha256,
        floor_plane=floor_plane,
        thin_mm=thin[keep_thin],
    )
