"""The plane a foot stands on, found as the best-supported facet of its convex hull.

A standing foot touches its support with heel, lateral border, ball and toe pads; a
non-weight-bearing, plantar-flexed foot still rests on heel and ball. Either way the support plane
is a tangent plane below the foot, that is, a facet of the convex hull. Each facet is scored by

- the amount of surface within ``CONTACT_BAND_MM`` of it (contact area, as the points are thinned
  to one per voxel),
- how far the contact spreads, in mm along its own main direction (sole: heel to toe; a flat
  ankle cut: a patch), and
- how unequal the height over it is between the two ends of the contact (over the sole: tall
  ankle or leg at one end, low toes at the other; over the medial side: about the same),

and the product of the three picks the sole. A scanning plate or floor under the foot is an even
bigger facet and wins, which is what ``clean`` uses to find and remove it.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import ConvexHull, QhullError

from scan2insole.errors import ScanError
from scan2insole.sampling import voxel_thin

# E: 3 mm covers scanner noise of ~0.5 mm and the 2 mm footprint section (CLINICAL.md §2.1).
CONTACT_BAND_MM = 3.0
# The facet search runs on one point per 4 mm voxel: the plane's orientation is then good to a
# fraction of a degree and the search costs ~0.1 s; callers re-anchor the height on dense data.
SUPPORT_VOXEL_MM = 4.0
# Counting the contact of every hull facet costs points x facets (~1e-8 s each). Feet stay well
# under this budget (E: dupontgu 1.0e7, synthetic 320 mm foot with leg 1.8e7, with a floor 3e6),
# so they are searched at SUPPORT_VOXEL_MM exactly; a round body has about as many facets as
# points (a 500 mm ball: 62 k x 17 k = 1e9, 11 s a call) and is searched on coarser voxels until
# it fits, which bounds the search at ~0.5 s whatever the input.
MAX_CONTACT_TESTS = 50_000_000
_CHUNK = 256
# Facets with the most contact that are scored in full (E: the sole is always among the largest
# contacts; 40 leaves room for a floor's many coplanar facets and the sides of a leg).
N_CANDIDATES = 40


def principal_axis(pts: np.ndarray) -> np.ndarray:
    """Unit vector of the largest spread of ``pts`` (n, 3)."""
    centred = pts - pts.mean(axis=0)
    _, vecs = np.linalg.eigh(centred.T @ centred)
    return vecs[:, -1]


def _facet_score(pts: np.ndarray, eq: np.ndarray) -> float:
    """Contact count x contact spread (mm) x end-to-end height ratio of one hull facet.

    The spread and the two ends are taken along the contact's own principal direction in the
    facet's plane, so a leg rising from the foot does not tilt the yardstick.
    """
    height = -(pts @ eq[:3] + eq[3])
    near = height < CONTACT_BAND_MM
    if near.sum() < 3:
        return 0.0
    n = eq[:3] / np.linalg.norm(eq[:3])
    flat = pts - np.outer(pts @ n, n)
    c = flat[near] - flat[near].mean(axis=0)
    _, vecs = np.linalg.eigh(c.T @ c)
    along = flat @ vecs[:, -1]
    lo, hi = along[near].min(), along[near].max()
    spread = float(hi - lo)
    if spread <= 0:
        return 0.0
    rear = height[along < lo + spread / 3]
    front = height[along > hi - spread / 3]
    if len(rear) == 0 or len(front) == 0:
        return 0.0
    a, b = float(rear.max()), float(front.max())
    aniso = max(a, b) / max(min(a, b), 1e-6)
    return float(near.sum()) * spread * aniso


def _thin_hull(pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The thinned points and their distinct hull facet planes (k, 4), within the budget.

    The voxel doubles from ``SUPPORT_VOXEL_MM`` until points x facets <= ``MAX_CONTACT_TESTS``;
    it ends, as fewer points have fewer facets (at most 2 per point).
    """
    voxel_mm = SUPPORT_VOXEL_MM
    while True:
        thin = voxel_thin(pts, voxel_mm=voxel_mm)
        try:
            hull = ConvexHull(thin)
        except (QhullError, ValueError) as err:
            raise ScanError(
                f"scan is flat or degenerate ({len(thin)} points span no volume)"
            ) from err
        eqs = np.unique(np.round(hull.equations, 9), axis=0)
        if len(thin) * len(eqs) <= MAX_CONTACT_TESTS:
            return thin, eqs
        voxel_mm *= 2.0


def support_plane(pts: np.ndarray) -> tuple[np.ndarray, float]:
    """The support plane of a thinned point set.

    Parameters
    ----------
    pts : (n, 3) float64, mm; dense clouds are thinned to one point per ``SUPPORT_VOXEL_MM``
        (coarser for bodies whose hull would cost more than ``MAX_CONTACT_TESTS``).

    Returns
    -------
    up : (3,) unit normal pointing from the plane into the foot.
    offset_mm : the plane is {p : up · p = offset_mm}; every point has up · p >= offset_mm.
    """
    pts, eqs = _thin_hull(pts)
    counts = np.concatenate(
        [
            (-(pts @ chunk[:, :3].T + chunk[:, 3]) < CONTACT_BAND_MM).sum(axis=0)
            for chunk in np.array_split(eqs, max(1, len(eqs) // _CHUNK))
        ]
    )
    # only facets with a large contact can be the sole; rank the best few in full
    order = np.lexsort((np.arange(len(eqs)), -counts))[:N_CANDIDATES]
    best, best_score = eqs[order[0]], -1.0
    for k in order:
        score = _facet_score(pts, eqs[k])
        if score > best_score:
            best_score, best = score, eqs[k]
    norm = np.linalg.norm(best[:3])
    return -best[:3] / norm, float(best[3] / norm)


def fit_plane(pts: np.ndarray) -> tuple[np.ndarray, float]:
    """Least-squares plane through ``pts`` (n, 3): unit normal (sign arbitrary) and offset."""
    centre = pts.mean(axis=0)
    _, vecs = np.linalg.eigh((pts - centre).T @ (pts - centre))
    normal = vecs[:, 0]
    return normal, float(normal @ centre)


def anchor_height(heights_mm: np.ndarray, xy_mm: np.ndarray, *, cell_mm: float = 2.0) -> float:
    """Height of the support plane under points already levelled to it (roughly z = 0).

    A tangent plane through the lowest points of a noisy scan sits on the noise's lowest tail
    (~3.5 sigma below the surface). The median height of the points in each ``cell_mm`` cell is
    unbiased by noise on a flat contact patch, and the 5th percentile of those medians over the
    low cells is the contact height.
    """
    low = heights_mm < heights_mm.min() + 10.0
    cells = np.floor(xy_mm[low] / cell_mm).astype(np.int64)
    z = heights_mm[low]
    key = (cells[:, 0] - cells[:, 0].min()) * (cells[:, 1].max() - cells[:, 1].min() + 1) + (
        cells[:, 1] - cells[:, 1].min()
    )
    order = np.lexsort((z, key))
    ks, zs = key[order], z[order]
    starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
    counts = np.diff(np.r_[starts, len(ks)])
    medians = zs[starts + counts // 2]
    return float(np.percentile(medians, 5))
