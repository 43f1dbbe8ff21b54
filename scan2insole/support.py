"""The plane a foot stands on, found as the best-supported facet of its convex hull.

A standing foot touches its support with heel, lateral border, ball and toe pads; a
non-weight-bearing, plantar-flexed foot still rests on heel and ball. Either way the support plane
is a tangent plane below the foot, that is, a facet of the convex hull. Each facet is scored by

- the amount of surface within ``CONTACT_BAND_MM`` of it (contact area, as the points are thinned
  to one per voxel),
- how far along the foot that contact spreads (sole: heel to ball; a flat ankle cut: a patch), and
- how unequal the height over it is between the two ends (over the sole: tall ankle at one end,
  low toes at the other; over the medial side: about the same),

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
_CHUNK = 256


def principal_axis(pts: np.ndarray) -> np.ndarray:
    """Unit vector of the largest spread of ``pts`` (n, 3)."""
    centred = pts - pts.mean(axis=0)
    _, vecs = np.linalg.eigh(centred.T @ centred)
    return vecs[:, -1]


def support_plane(pts: np.ndarray) -> tuple[np.ndarray, float]:
    """The support plane of a thinned point set.

    Parameters
    ----------
    pts : (n, 3) float64, mm; dense clouds are thinned to one point per ``SUPPORT_VOXEL_MM``.

    Returns
    -------
    up : (3,) unit normal pointing from the plane into the foot.
    offset_mm : the plane is {p : up · p = offset_mm}; every point has up · p >= offset_mm.
    """
    pts = voxel_thin(pts, voxel_mm=SUPPORT_VOXEL_MM)
    try:
        hull = ConvexHull(pts)
    except (QhullError, ValueError) as err:
        raise ScanError(f"scan is flat or degenerate ({len(pts)} points span no volume)") from err
    eqs = np.unique(np.round(hull.equations, 9), axis=0)
    along = (pts - pts.mean(axis=0)) @ principal_axis(pts)
    length = float(np.ptp(along))
    third_lo = along < along.min() + length / 3
    third_hi = along > along.max() - length / 3
    best, best_score = eqs[0], -1.0
    for chunk in np.array_split(eqs, max(1, len(eqs) // _CHUNK)):
        height = -(pts @ chunk[:, :3].T + chunk[:, 3])  # (n, k) >= 0: qhull normals point out
        near = height < CONTACT_BAND_MM
        count = near.sum(axis=0)
        hi = np.where(near, along[:, None], -np.inf).max(axis=0)
        lo = np.where(near, along[:, None], np.inf).min(axis=0)
        spread = np.where(count > 1, (hi - lo) / length, 0.0)
        rear = height[third_lo].max(axis=0)
        front = height[third_hi].max(axis=0)
        aniso = np.maximum(rear, front) / np.maximum(np.minimum(rear, front), 1e-6)
        score = count * spread * aniso
        k = int(np.argmax(score))
        if score[k] > best_score:
            best_score, best = float(score[k]), chunk[k]
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
