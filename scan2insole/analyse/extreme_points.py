"""Extreme points of a noisy surface: the farthest point in a direction, denoised by a local fit.

The foot's length and breadths are differences of extremes, and the largest coordinate of a noisy
scan sits on the noise's upper tail (about +3 sigma for a 200k-point cloud), which would bias every
breadth by 6 sigma. Instead of the raw extreme, the surface near it is fitted with a quadric
height field over the plane perpendicular to the direction (least squares, a second pass without
residuals beyond ``OUTLIER_MADS`` robust deviations), and the extreme is the largest fitted value
among the candidate points near it. Unlike ``scan2insole.extremes`` (a distance only) this gives
the point itself, within a region, which landmarks need. On a noise-free surface the fit
reproduces the surface (a quadric matches a 10 mm radius cap within 0.04 mm over a 5 mm radius).
"""

from __future__ import annotations

import numpy as np

# Radius of the patch fitted around a raw extreme (E): large enough to hold ~20 vertices of a
# 2 mm mesh and ~150 points of a 200k cloud, small enough that a quadric still matches toe tips
# and heel curvature (radius >= 10 mm) to a few hundredths of a millimetre.
FIT_RADIUS_MM = 5.0
# Fewer points than this in the patch and the fit is not trusted: the raw extreme is used.
MIN_FIT_POINTS = 12
# Residuals beyond this many robust deviations (1.4826 MAD) are outliers for the second pass.
OUTLIER_MADS = 3.5


def _basis(direction: np.ndarray) -> np.ndarray:
    """Rows: two unit vectors perpendicular to ``direction`` and ``direction`` itself."""
    d = direction / np.linalg.norm(direction)
    helper = np.eye(3)[int(np.argmin(np.abs(d)))]
    e1 = np.cross(helper, d)
    e1 /= np.linalg.norm(e1)
    return np.stack([e1, np.cross(d, e1), d])


def _design(uv: np.ndarray) -> np.ndarray:
    u, v = uv[:, 0], uv[:, 1]
    return np.column_stack([np.ones_like(u), u, v, u * u, u * v, v * v])


def extreme_point(
    points_mm: np.ndarray,
    direction: np.ndarray,
    *,
    candidates: np.ndarray | None = None,
    section_x_mm: float | None = None,
    radius_mm: float = FIT_RADIUS_MM,
) -> np.ndarray:
    """The point of the surface farthest along ``direction``, denoised by a local quadric fit.

    Parameters
    ----------
    points_mm : (n, 3) float64, mm, any frame: samples of the surface (vertices or a cloud).
    direction : (3,) float64, the direction to go farthest in (normalised here).
    candidates : (n,) bool, optional
        Points allowed to be the extreme (a region: the heel, a section); every point near the
        extreme still helps the fit. Default: all.
    section_x_mm : optional
        The extreme on the section x = ``section_x_mm`` (``direction`` perpendicular to x): the
        fit is evaluated at the candidates moved onto that plane, so a candidate slab of finite
        thickness does not add the surface's slope along x.
    radius_mm : radius of the fitted patch.

    Returns
    -------
    (3,) float64, mm: the fitted surface point among the candidates that lies farthest along
    ``direction``; NaN if there are no candidates.
    """
    if candidates is None:
        candidates = np.ones(len(points_mm), dtype=bool)
    if not candidates.any():
        return np.full(3, np.nan)
    basis = _basis(np.asarray(direction, dtype=np.float64))
    along = points_mm @ basis[2]
    i_seed = int(np.argmax(np.where(candidates, along, -np.inf)))
    seed = points_mm[i_seed]
    # only points in the slab below the seed can lie within the radius (keeps this O(n) cheap)
    slab = np.flatnonzero(along >= along[i_seed] - radius_mm)
    pts = points_mm[slab]
    near = np.einsum("ij,ij->i", pts - seed, pts - seed) <= radius_mm * radius_mm
    local = (pts[near] - seed) @ basis.T  # u, v, s relative to the seed
    cand = candidates[slab[near]]
    if len(local) < MIN_FIT_POINTS:
        return seed.copy()
    design = _design(local[:, :2] / radius_mm)
    keep = np.ones(len(local), dtype=bool)
    for _ in range(2):
        coef, *_ = np.linalg.lstsq(design[keep], local[keep, 2], rcond=None)
        resid = local[:, 2] - design @ coef
        mad = 1.4826 * float(np.median(np.abs(resid[keep])))
        if mad == 0.0:
            break
        keep = np.abs(resid) <= OUTLIER_MADS * mad
        if keep.sum() < MIN_FIT_POINTS:
            break
    uv = local[:, :2]
    if section_x_mm is not None:
        # move each point along x onto the section; in the local frame that is along e1, e2
        shift = section_x_mm - (seed[0] + local @ basis[:, 0])
        uv = uv + shift[:, None] * basis[:2, 0][None, :]
    fitted = _design(uv / radius_mm) @ coef
    best = int(np.argmax(np.where(cand, fitted, -np.inf)))
    local_best = np.array([uv[best, 0], uv[best, 1], fitted[best]])
    return seed + local_best @ basis
