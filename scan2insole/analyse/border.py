"""The medial and lateral borders of a foot's ground projection, station by station.

At each station x the border is the surface's extreme point in +y (medial) or -y (lateral) on the
section through x, denoised by the local fit of ``extreme_points.py``. The borders give the
medial outline the medial arch line is drawn from, and the metatarsal heads (the border's most
prominent points).
"""

from __future__ import annotations

import numpy as np

from scan2insole.analyse.extreme_points import FIT_RADIUS_MM, extreme_point

# Half thickness of a station's slab of samples (E: holds samples ~2.5 mm apart; the fit is
# evaluated on the station's plane, so the slab adds no slope).
SECTION_HALF_MM = 1.25

# Points farther than this inside the per-station maximum cannot be the border (E).
_BORDER_BAND_MM = 10.0
# The border's peak is found on the profile smoothed by a local quadratic over a half-window of
# PEAK_SMOOTH_PER_NOISE x the scan's noise, within PEAK_SMOOTH_HALF_MM (E: wide enough to average
# the station fits' noise, no wider: a metatarsal head's bulge is asymmetric, and smoothing it
# moves its peak forward, by ~5 mm at a 5 mm half-window on the synthetic 5th MTH).
PEAK_SMOOTH_HALF_MM = (1.0, 5.0)
PEAK_SMOOTH_PER_NOISE = 10.0


def border_points(
    samples_mm: np.ndarray, xs_mm: np.ndarray, *, side: int, max_height_mm: float = np.inf
) -> np.ndarray:
    """The border point of each station (side +1 medial: largest y; -1 lateral: smallest y).

    Parameters
    ----------
    samples_mm : (n, 3) float64, mm, design frame.
    xs_mm : (k,) float64, evenly spaced increasing stations along x.
    side : +1 for the medial border, -1 for the lateral one.
    max_height_mm : only the surface below this height projects (E per caller).

    Returns
    -------
    (k, 3) float64, mm; a row of NaN at a station with no surface.
    """
    step = float(xs_mm[1] - xs_mm[0]) if len(xs_mm) > 1 else 1.0
    half = max(SECTION_HALF_MM, 0.5 * step)
    sel = (samples_mm[:, 0] >= xs_mm[0] - step - 5.0) & (samples_mm[:, 0] <= xs_mm[-1] + step + 5.0)
    sel &= samples_mm[:, 2] <= max_height_mm
    pts = samples_mm[sel]
    yy = side * pts[:, 1]
    station = np.clip(np.rint((pts[:, 0] - xs_mm[0]) / step).astype(np.int64), 0, len(xs_mm) - 1)
    top = np.full(len(xs_mm), -np.inf)
    np.maximum.at(top, station, yy)
    # keep the points near the border of their own or a neighbouring station
    near_top = np.maximum(top, np.maximum(np.roll(top, 1), np.roll(top, -1)))
    pts = pts[yy >= near_top[station] - _BORDER_BAND_MM]
    pts = pts[np.argsort(pts[:, 0], kind="stable")]
    reach = half + FIT_RADIUS_MM  # only these points can take part in a station's fit
    lo = np.searchsorted(pts[:, 0], xs_mm - reach)
    hi = np.searchsorted(pts[:, 0], xs_mm + reach)
    direction = np.array([0.0, float(side), 0.0])
    out = np.full((len(xs_mm), 3), np.nan)
    for k, x in enumerate(xs_mm):  # ~100 small fits on the thin border band
        window = pts[lo[k] : hi[k]]
        in_section = np.abs(window[:, 0] - x) <= half
        if in_section.any():
            out[k] = extreme_point(window, direction, candidates=in_section, section_x_mm=x)
    return out


def profile_peak(xs_mm: np.ndarray, values: np.ndarray, *, noise_mm: float) -> tuple[float, int]:
    """x of the most prominent peak of a noisy profile, and the index of the nearest station.

    The profile is smoothed by a local quadratic (a Savitzky-Golay filter) over a half-window
    set by the scan's noise ``noise_mm``. The peak is the highest *interior* local maximum (a
    bulge such as a metatarsal head, even where the border as a whole slopes across the search
    band); only when the profile has
    none is it the higher end. The best station is refined by the parabola through it and its
    neighbours.
    """
    ok = np.isfinite(values)
    xs, v = xs_mm[ok], values[ok]
    step = float(xs[1] - xs[0]) if len(xs) > 1 else 1.0
    half = float(np.clip(PEAK_SMOOTH_PER_NOISE * noise_mm, *PEAK_SMOOTH_HALF_MM))
    h = max(1, round(half / step))
    smooth = v.copy()
    if len(v) > 2 * h + 1:
        t = np.arange(-h, h + 1, dtype=np.float64)
        design = np.column_stack([np.ones_like(t), t, t * t])
        weights = np.linalg.pinv(design)[0]  # value of the local quadratic at its centre
        smooth[h:-h] = np.convolve(v, weights[::-1], mode="valid")
    inner = np.zeros(len(smooth), dtype=bool)
    if len(smooth) > 2 * h + 2:
        mid = smooth[1:-1]
        inner[1:-1] = (mid >= smooth[:-2]) & (mid >= smooth[2:])
        inner[: h + 1] = False
        inner[-h - 1 :] = False
    k = int(np.argmax(np.where(inner, smooth, -np.inf))) if inner.any() else int(np.argmax(smooth))
    x = float(xs[k])
    if 0 < k < len(smooth) - 1:
        curv = smooth[k - 1] - 2 * smooth[k] + smooth[k + 1]
        if curv < 0:
            x += float(np.clip(0.5 * (smooth[k - 1] - smooth[k + 1]) / curv, -0.5, 0.5)) * step
    index = int(np.flatnonzero(ok)[k])
    return x, index
