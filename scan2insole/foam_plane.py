"""The top plane of a foam impression box, and the cavity the foot left under it.

A scanned foam box is a plane (the foam's top) around a foot-shaped hole, with the imprint hanging
below the hole: one surface, on one side, deep in the middle and reaching up to the plane at the
hole's edge. Box walls and a table may be in the scan too; the table is a parallel plane around
the box, whose "hole" holds the whole foam block, so among planes that pass the test the one with
the smallest hole is the foam's top.

How the planes are found, without randomness: local normals of a thinned copy (PCA of each
point's nearest neighbours); the orientations most flat points share (modes of the normals: the
foam's top, and a box's two pairs of walls); along each, the most populated offsets, each
refitted by least squares. A plane's surface is its flat points facing along its normal, so a
wall or a rounded side crossing it cannot close a hole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from scan2insole.records import frozen_array
from scan2insole.support import fit_plane

NORMAL_NEIGHBOURS = 12
# A point is on a flat patch when its neighbourhood's smallest spread is below this share of the
# next one (E: a 4 mm-voxel plane with 0.5 mm noise gives ~0.01, a 30 mm radius heel ~0.02).
FLAT_RATIO = 0.05
AXIS_CONE_DEG = 10.0  # flat points within this of an orientation share it (E)
AXIS_TRIALS = 100  # flat normals tried as the mode (every k-th in voxel order: deterministic)
AXIS_VOTERS = 4000  # flat normals that vote for them (shares are good to ~1 %)
MAX_AXES = 3  # a box: its top and two pairs of walls
MIN_AXIS_SHARE = 0.1
OFFSET_BIN_MM = 2.0
MAX_PLANES = 4
MIN_PLANE_SHARE = 0.05  # a plane candidate holds at least this share of the aligned points (E)
PLANE_SEPARATION_MM = 6.0  # candidate planes closer than this are one plane
# Points this close to a plane are on it (E: scanner noise up to ~0.7 mm on 4 mm voxel means,
# plus the plane's own flatness; a foam top is cut flat).
PLANE_BAND_MM = 2.5
CELL_MM = 4.0  # grid of the plane's occupancy (E: a closing bridges 4 mm voxels' gaps)
# Foam test (E, on the synthetic boxes of ``synthetic.impressions`` and the feet it must reject):
MIN_HOLE_MM2 = 4000.0  # a child's EU 22 foot is ~140 x 55 mm, ~6000 mm2 of outline
MIN_DEPTH_MM = 6.0  # median cavity depth inside the hole; 15-40 mm imprints give >= 9 mm,
# a foot standing in a hole of its floor gives ~0 (its sole touches the plane)
MAX_DEPTH_MM = 120.0
MIN_ONE_SIDE_FRAC = 0.9  # contents of the hole on one side of the plane
MIN_COVERAGE_FRAC = 0.6  # hole cells with a surface under them
MAX_DOUBLE_FRAC = 0.25  # hole cells seen twice (a foot's sole and dorsum)
# Material around: of the ring RIM_MM wide around the hole, at least this share is the plane's
# surface (a foam block reaches 20-40 mm beyond the foot; issue 10).
MIN_RIM_FRAC = 0.8
RIM_MM = 16.0
INTERIOR_MM = 8.0  # the hole's interior: this far inside its edge
LAYER_GAP_MM = 6.0  # two points of one cell this far apart along the normal are two surfaces


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Cavity:
    """A plane with a foot-sized hole and what lies under the hole (mm, scan frame)."""

    up: np.ndarray
    """(3,) unit normal of the plane pointing out of the cavity (up, for a foam box)."""
    offset_mm: float
    """The plane is {p : up · p = offset_mm}."""
    hole_mm2: float
    depth_mm: float
    """Median depth under the plane of the hole's interior cells (nearest surface)."""
    one_side_frac: float
    coverage_frac: float
    double_frac: float
    rim_frac: float
    grid_origin_mm: np.ndarray
    """(2,) in-plane coordinates of cell [0, 0] (along the rows of ``basis``)."""
    basis: np.ndarray
    """(3, 3) rows: two in-plane unit vectors spanning the grid, then the plane's normal."""
    hole: np.ndarray
    """(nu, nv) bool: the hole's cells, indexed by floor((in-plane - origin) / CELL_MM)."""

    def __post_init__(self) -> None:
        for name, shape, dtype in (
            ("up", (3,), np.float64),
            ("grid_origin_mm", (2,), np.float64),
            ("basis", (3, 3), np.float64),
            ("hole", (None, None), bool),
        ):
            value = frozen_array(getattr(self, name), dtype=dtype, shape=shape, name=name)
            object.__setattr__(self, name, value)


def is_foam(cav: Cavity) -> bool:
    """Whether the plane and its hole pass the foam test (the thresholds above)."""
    return (
        cav.hole_mm2 >= MIN_HOLE_MM2
        and MIN_DEPTH_MM <= cav.depth_mm <= MAX_DEPTH_MM
        and cav.one_side_frac >= MIN_ONE_SIDE_FRAC
        and cav.coverage_frac >= MIN_COVERAGE_FRAC
        and cav.double_frac <= MAX_DOUBLE_FRAC
        and cav.rim_frac >= MIN_RIM_FRAC
    )


def in_hole(cav: Cavity, points_mm: np.ndarray, *, grow_mm: float = 0.0) -> np.ndarray:
    """(n,) bool: which points (n, 3), scan frame, project into the hole grown by ``grow_mm``."""
    hole = cav.hole
    if grow_mm > 0.0:
        hole = ndimage.binary_dilation(hole, iterations=max(1, round(grow_mm / CELL_MM)))
    ij = np.floor((points_mm @ cav.basis[:2].T - cav.grid_origin_mm) / CELL_MM).astype(np.int64)
    ok = (ij >= 0).all(axis=1) & (ij < np.array(hole.shape)).all(axis=1)
    inside = np.zeros(len(points_mm), dtype=bool)
    inside[ok] = hole[ij[ok, 0], ij[ok, 1]]
    return inside


def basis_from_up(up: np.ndarray) -> np.ndarray:
    """Rows: two in-plane unit vectors and ``up``."""
    helper = np.eye(3)[int(np.argmin(np.abs(up)))]
    e1 = np.cross(helper, up)
    e1 /= np.linalg.norm(e1)
    return np.stack([e1, np.cross(up, e1), up])


def local_normals(thin: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Unit normal (n, 3) of each thinned point, whether its neighbourhood is flat (n,), and
    the median distance (mm) from a point to its nearest neighbour (the sampling's spacing).

    ``thin`` holds at least ``NORMAL_NEIGHBOURS`` points.
    """
    k = NORMAL_NEIGHBOURS
    dist, idx = cKDTree(thin).query(thin, k=k)
    nb = thin[idx]
    centred = nb - nb.mean(axis=1, keepdims=True)
    cov = np.einsum("nki,nkj->nij", centred, centred) / k
    w, v = np.linalg.eigh(cov)
    flat = w[:, 0] < FLAT_RATIO * np.maximum(w[:, 1], 1e-12)
    return v[:, :, 0], flat, float(np.median(dist[:, 1]))


def dominant_axes(normals: np.ndarray, flat: np.ndarray) -> list[np.ndarray]:
    """The orientations most flat points share, most shared first (signs arbitrary).

    The mode of the normals, not the orientation tensor's eigenvector: a box's walls hold about as
    much flat surface as its top, and two near-equal eigenvalues mix their eigenvectors.
    """
    n = normals[flat]
    if len(n) < 10:
        return []
    cone = np.cos(np.radians(AXIS_CONE_DEG))
    n = n[:: max(1, len(n) // AXIS_VOTERS)]
    trial = n[:: max(1, len(n) // AXIS_TRIALS)]
    members = np.abs(n @ trial.T) >= cone  # (voters, trials)
    axes: list[np.ndarray] = []
    free = np.ones(len(n), dtype=bool)
    for _ in range(MAX_AXES):
        counts = (members & free[:, None]).sum(axis=0)
        k = int(np.argmax(counts))
        if counts[k] < MIN_AXIS_SHARE * len(n):
            break
        near = members[:, k] & free
        refined = (n[near] * np.sign(n[near] @ trial[k])[:, None]).sum(axis=0)
        axes.append(refined / np.linalg.norm(refined))
        free &= np.abs(n @ axes[-1]) < cone
    return axes


def plane_candidates(
    thin: np.ndarray, normals: np.ndarray, flat: np.ndarray, axis: np.ndarray
) -> list[tuple[np.ndarray, float]]:
    """Planes (unit normal along ``axis``, offset) at the most populated offsets along it."""
    aligned = flat & (np.abs(normals @ axis) >= np.cos(np.radians(AXIS_CONE_DEG)))
    s = thin[aligned] @ axis
    if len(s) < 10:
        return []
    lo = np.floor(s.min() / OFFSET_BIN_MM)
    bins = (np.floor(s / OFFSET_BIN_MM) - lo).astype(np.int64)
    counts = np.bincount(bins)
    # a peak's count includes its neighbour bins, so a plane straddling a bin edge is one peak
    smooth = counts + np.r_[counts[1:], 0] + np.r_[0, counts[:-1]]
    order = np.argsort(-smooth, kind="stable")
    chosen: list[float] = []
    for b in order:
        if smooth[b] < MIN_PLANE_SHARE * len(s) or len(chosen) == MAX_PLANES:
            break
        centre = (lo + b + 0.5) * OFFSET_BIN_MM
        if all(abs(centre - c) >= PLANE_SEPARATION_MM for c in chosen):
            chosen.append(centre)
    planes = []
    for centre in chosen:
        near = aligned & (np.abs(thin @ axis - centre) <= PLANE_BAND_MM)
        if near.sum() < 3:  # a peak made of its neighbour bins only
            continue
        normal, offset = fit_plane(thin[near])
        if normal @ axis < 0:
            normal, offset = -normal, -offset
        planes.append((normal, offset))
    return planes


def cavity_under(
    thin: np.ndarray, normals: np.ndarray, flat: np.ndarray, normal: np.ndarray, offset: float
) -> Cavity | None:
    """The largest hole in the plane's surface and what lies in it; None without a hole.

    The plane's surface is its flat points facing along ``normal``: a wall or a rounded side
    crossing the plane is near it but not part of it, so it cannot enclose a hole.
    """
    d = thin @ normal - offset
    on = np.abs(d) < PLANE_BAND_MM
    surface = on & flat & (np.abs(normals @ normal) >= np.cos(np.radians(AXIS_CONE_DEG)))
    pad = RIM_MM / CELL_MM + 2
    basis = basis_from_up(normal)
    uv = thin @ basis[:2].T
    origin = uv.min(axis=0) - pad * CELL_MM
    ij = np.floor((uv - origin) / CELL_MM).astype(np.int64)
    shape = tuple(ij.max(axis=0) + int(pad) + 1)
    occ = np.zeros(shape, dtype=bool)
    occ[ij[surface, 0], ij[surface, 1]] = True
    occ = ndimage.binary_closing(occ, structure=np.ones((3, 3), dtype=bool))
    holes, n = ndimage.label(ndimage.binary_fill_holes(occ) & ~occ)
    if n == 0:
        return None
    sizes = np.bincount(holes.ravel())[1:]
    hole = holes == int(np.argmax(sizes)) + 1
    inside = hole[ij[:, 0], ij[:, 1]] & ~on
    if inside.sum() < 10:
        return None
    side = 1.0 if np.median(d[inside]) > 0 else -1.0
    up = -side * normal  # out of the cavity: its contents lie at negative height
    depth = side * d  # >= 0 below the plane
    one_side = float(np.mean(depth[inside] > 0))
    cells = ij[inside]
    flat_cell = cells[:, 0] * shape[1] + cells[:, 1]
    z = depth[inside]
    order = np.lexsort((z, flat_cell))
    fc, zs = flat_cell[order], z[order]
    first = np.r_[True, fc[1:] != fc[:-1]]
    gaps = np.zeros(len(fc), dtype=np.int64)
    gaps[1:] = (~first[1:]) & (np.diff(zs) > LAYER_GAP_MM)
    cell_ids = np.flatnonzero(first)
    n_gaps = np.add.reduceat(gaps, cell_ids)
    nearest = np.full(shape[0] * shape[1], np.nan)
    nearest[fc[first]] = zs[first]  # the smallest depth of each cell: the surface seen first
    interior = ndimage.binary_erosion(hole, iterations=max(1, round(INTERIOR_MM / CELL_MM)))
    inner = nearest.reshape(shape)[interior if interior.any() else hole]
    inner = inner[np.isfinite(inner)]
    ring = ndimage.binary_dilation(hole, iterations=round(RIM_MM / CELL_MM)) & ~hole
    return Cavity(
        up=up,
        offset_mm=float(-side * offset),
        hole_mm2=float(hole.sum() * CELL_MM * CELL_MM),
        depth_mm=float(np.median(inner)) if len(inner) else 0.0,
        one_side_frac=one_side,
        coverage_frac=float(len(cell_ids) / hole.sum()),
        double_frac=float(np.mean(n_gaps > 0)),
        rim_frac=float(occ[ring].mean()) if ring.any() else 0.0,
        grid_origin_mm=origin,
        basis=basis,
        hole=hole,
    )
