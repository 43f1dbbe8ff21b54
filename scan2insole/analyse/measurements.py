"""Foot measurements in the design frame (CLINICAL.md §1.2; issue 5 fixes the wording).

- foot length: pternion to the most distal toe point, along the foot axis (x) (V [S1][S4]);
- ball width: maximum breadth perpendicular to the axis, projected on the ground: the caliper
  breadth (max y - min y) of the whole foot below the leg cut ("foot breadth horizontal", [S19]);
- heel width: caliper breadth (max y - min y) of the surface within the rearmost 20 % of the foot
  length and below 40 mm height ([S11][S14] call it the least reproducible measure);
- arch length: pternion to the 1st metatarsal head (its most medial point), along x: the
  "truncated foot length" of the arch height index (V [S20]);
- dorsal height at 50 %: highest point of the foot on the section at half the foot length
  (V [S20][S21]);
- arch height index: dorsal height at 50 % / arch length (V [S20]);
- medial arch height: highest point of the plantar surface along the line 25 % of the ball width
  in from the medial outline, between 30 % and 60 % of the foot length (issue 5, E).

Every extreme is a denoised surface point (``extremes.py``), so noise does not widen the foot.
"""

from __future__ import annotations

import numpy as np

from scan2insole.analyse.border import border_points
from scan2insole.analyse.extreme_points import extreme_point
from scan2insole.analyse.landmarks import SECTION_HALF_MM, OutlineExtremes
from scan2insole.heightmap import sample
from scan2insole.records import HeightMap

DORSAL_STATION_FRAC = 0.50
MEDIAL_ARCH_LINE_FRAC = 0.25  # the line lies 0.25 x ball width in from the medial outline
MEDIAL_ARCH_RANGE_FRAC = (0.30, 0.60)
MEDIAL_ARCH_STEP_MM = 1.0  # stations along the line; the maximum is refined between them
# Plantar heights on the arch line come from a plane fitted to the surface samples within this
# radius (E: ~15 samples of a 0.7 mm sampling or a 200k cloud) that lie within SOLE_LAYER_MM of the
# sole map (the dorsum and the sides are far above it).
PLANE_RADIUS_MM = 1.5
SOLE_LAYER_MM = 2.0
MIN_PLANE_POINTS = 6
# The medial outline is the projection of the surface below this height (E): the medial border
# of the midfoot and the navicular bulge lie below it, the medial malleolus (~80 mm) above.
MEDIAL_OUTLINE_HEIGHT_MM = 60.0
_Z = np.array([0.0, 0.0, 1.0])


def dorsal_height_50(samples_mm: np.ndarray, ext: OutlineExtremes) -> float:
    """Highest point of the surface on the section x = pternion + 0.5 L (mm above z = 0)."""
    x50 = ext.pternion[0] + DORSAL_STATION_FRAC * ext.length_mm
    section = np.abs(samples_mm[:, 0] - x50) <= SECTION_HALF_MM
    return float(extreme_point(samples_mm, _Z, candidates=section, section_x_mm=x50)[2])


def plantar_heights(dense_mm: np.ndarray, sole: HeightMap, xy_mm: np.ndarray) -> np.ndarray:
    """Height of the plantar surface at points (k, 2): a plane fitted to the surface samples
    within ``PLANE_RADIUS_MM`` on the sole's layer, or the sole map where too few are seen.

    The sole map holds each cell's lowest point, which on a slope lies below the cell centre
    (by half a cell times the slope, ~0.4 mm under a high arch) and on the noise's low tail; the
    local plane has neither bias.
    """
    out = sample(sole, xy_mm)
    lo = xy_mm.min(axis=0) - PLANE_RADIUS_MM
    hi = xy_mm.max(axis=0) + PLANE_RADIUS_MM
    x, y = dense_mm[:, 0], dense_mm[:, 1]  # by column: (n, 2) comparisons cost 3x more
    pts = dense_mm[(x >= lo[0]) & (x <= hi[0]) & (y >= lo[1]) & (y <= hi[1])]
    pts = pts[pts[:, 2] <= sample(sole, pts[:, :2]) + SOLE_LAYER_MM]
    # each station looks only at the points of its x strip (found by bisection in x order),
    # taken in their original order so the fit is the same as over all of them
    by_x = np.argsort(pts[:, 0], kind="stable")
    x_sorted = pts[by_x, 0]
    for k, (x, y) in enumerate(xy_mm):  # ~30 stations, each a handful of points
        strip = slice(
            *np.searchsorted(x_sorted, [x - PLANE_RADIUS_MM - 1e-6, x + PLANE_RADIUS_MM + 1e-6])
        )
        near_pts = pts[np.sort(by_x[strip])]
        d = near_pts[:, :2] - (x, y)
        near = np.einsum("ij,ij->i", d, d) <= PLANE_RADIUS_MM**2
        if near.sum() < MIN_PLANE_POINTS:
            continue
        a = np.column_stack([np.ones(int(near.sum())), d[near]])
        coef, *_ = np.linalg.lstsq(a, near_pts[near, 2], rcond=None)
        out[k] = coef[0]
    return out


def medial_arch(
    samples_mm: np.ndarray, dense_mm: np.ndarray, sole: HeightMap, ext: OutlineExtremes
) -> tuple[float, np.ndarray]:
    """Medial arch height (mm) and the apex point (3,) where it is taken.

    Parameters
    ----------
    samples_mm : (n, 3) float64, mm, design frame: surface samples for the medial outline.
    dense_mm : (m, 3) float64, mm, design frame: surface samples ~0.7 mm apart for the heights.
    sole : the sole's height map (holes bridged, sides as scanned), design frame.
    ext : the foot's extreme points (length, ball width).
    """
    length = ext.length_mm
    width = float(ext.medial[1] - ext.lateral[1])
    x0 = float(ext.pternion[0])
    xs = np.arange(
        x0 + MEDIAL_ARCH_RANGE_FRAC[0] * length,
        x0 + MEDIAL_ARCH_RANGE_FRAC[1] * length + 1e-9,
        MEDIAL_ARCH_STEP_MM,
    )
    border = border_points(samples_mm, xs, side=1, max_height_mm=MEDIAL_OUTLINE_HEIGHT_MM)
    ys = border[:, 1] - MEDIAL_ARCH_LINE_FRAC * width
    ok = np.isfinite(ys)
    if ok.sum() < 3:
        return float("nan"), np.full(3, np.nan)
    xs, ys = xs[ok], ys[ok]
    z = plantar_heights(dense_mm, sole, np.column_stack([xs, ys]))
    k = int(np.argmax(z))
    x_best, y_best, z_best = xs[k], ys[k], z[k]
    if 0 < k < len(z) - 1:  # vertex of the parabola through the best station and its neighbours
        curv = z[k - 1] - 2 * z[k] + z[k + 1]
        if curv < 0:
            t = 0.5 * (z[k - 1] - z[k + 1]) / curv
            x_best = xs[k] + t * MEDIAL_ARCH_STEP_MM
            y_best = float(np.interp(x_best, xs, ys))
            z_best = z[k] - 0.25 * (z[k - 1] - z[k + 1]) * t
    return float(z_best), np.array([x_best, y_best, z_best])
