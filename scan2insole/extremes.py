"""How far a noisy surface reaches in a direction: the extremes behind lengths and breadths.

The farthest *point* of a noisy scan overshoots the surface by about 3 noise standard deviations
(the largest of a few hundred Gaussian draws), which at 0.5 mm of scanner noise adds 1.5 mm to each
end of a foot length. Instead, the points within a thin cap at the extreme are fitted with a
quadratic surface by least squares (which averages the noise out) and the fit's maximum is taken.
On a noise-free scan the cap is ``MIN_CAP_MM`` deep and the result is the farthest point to within
a few hundredths of a millimetre.
"""

from __future__ import annotations

import numpy as np

MIN_CAP_MM = 1.0
# Cap depth in noise standard deviations: deep enough that the fit sees the surface's curvature
# through the noise, shallow enough that a quadratic still describes a toe or heel cap (E).
CAP_NOISE_MULTIPLE = 6.0
MIN_FIT_POINTS = 30


def surface_extreme_mm(points_mm: np.ndarray, direction: np.ndarray, *, noise_mm: float) -> float:
    """The surface's largest extent along ``direction`` (unit (3,)), noise removed.

    Parameters
    ----------
    points_mm : (n, 3) float64, mm; surface samples (vertices or cloud points).
    direction : (3,) unit vector.
    noise_mm : the scan's noise standard deviation (``ScanQuality.noise_mm``).
    """
    d = points_mm @ direction
    top = float(d.max())
    if noise_mm <= 0.05:
        return top
    cap = max(MIN_CAP_MM, CAP_NOISE_MULTIPLE * noise_mm)
    # centre the cap on the mean of the farthest points, then take the cap around it
    cand = np.flatnonzero(d > top - 2 * cap)
    far = cand[np.argsort(-d[cand], kind="stable")[:20]]
    basis = np.linalg.svd(np.eye(3) - np.outer(direction, direction))[0][:, :2]
    uv = points_mm[cand] @ basis
    centre = (points_mm[far] @ basis).mean(axis=0)
    radius = np.sqrt(2.0 * 20.0 * cap)  # the cap's footprint on a 20 mm radius toe
    inside = np.linalg.norm(uv - centre, axis=1) < radius
    sel = cand[inside]
    if len(sel) < MIN_FIT_POINTS:
        return top
    uv = uv[inside]
    u, v = (uv - centre).T
    a = np.column_stack([np.ones_like(u), u, v, u * u, u * v, v * v])
    coef, *_ = np.linalg.lstsq(a, d[sel], rcond=None)
    fitted = a @ coef
    # the fit's maximum over the cap (the stationary point when the cap is concave and inside)
    h = np.array([[2 * coef[3], coef[4]], [coef[4], 2 * coef[5]]])
    best = float(fitted.max())
    if np.all(np.linalg.eigvalsh(h) < 0):
        s = np.linalg.solve(h, -coef[1:3])
        if np.linalg.norm(s) < radius:
            best = float(
                coef[0]
                + coef[1] * s[0]
                + coef[2] * s[1]
                + coef[3] * s[0] ** 2
                + coef[4] * s[0] * s[1]
                + coef[5] * s[1] ** 2
            )
    return min(best, top)
