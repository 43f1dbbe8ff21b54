"""Anatomical landmarks of a framed foot (CLINICAL.md §1.1), found as denoised extreme points.

All in the right-foot design frame (+x heel to toe along the foot axis, +y medial, z up):

- pternion: the rearmost point of the heel (V [S1]);
- distal point: the most distal toe point (hallux or 2nd toe), the front end of the foot length;
- hallux tip: the most distal point within ``HALLUX_BAND_FRAC`` of the ball width from the 1st
  metatarsal head's medial side (E: the hallux is the medial toe, ~30 % of the ball width wide);
- metatarsale tibiale (1st MTH): the most medial point within ``FIRST_MTH_BAND_FRAC`` of the
  length (V definition [S1]; the band is E). The medial border is very flat there (on the
  synthetic feet it falls only 0.2 mm within 10 mm of the head) and may slope across the band,
  so the point is the highest local peak of the border profile (``border.py``) smoothed over a
  few millimetres, not the single farthest point;
- metatarsale fibulare (5th MTH): the most lateral point within ``FIFTH_MTH_BAND_FRAC``, found
  the same way (V [S1]; band E);
- heel centre: midpoint of the heel breadth (rearmost 20 % of the length, below 40 mm), on z = 0;
- navicular estimate: the most medial point of the section at ``NAVICULAR_X_FRAC`` of the length.
  A surface scan cannot see the navicular tuberosity (a palpated landmark [S24]): this is an
  estimate (E) and its height is not a clinical navicular height.

The medial arch apex is found with the medial arch height (``measurements.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scan2insole.analyse.border import border_points, profile_peak
from scan2insole.analyse.extreme_points import extreme_point

HEEL_REGION_FRAC = 0.20  # heel breadth within the rearmost 20 % of foot length (issue 5)
HEEL_MAX_HEIGHT_MM = 40.0  # ... below 40 mm: above it the malleoli widen the section (issue 5)
# Where the metatarsal heads are searched (E): ANSUR II ball length / foot length is 0.741 ± 0.015
# (CLINICAL.md §1.3), so the 1st MTH lies within 0.65-0.80 L (-6 / +4 SD); the 5th lies ~0.1 L
# behind it. The bands keep the navicular bulge of a flat foot out, and the hallux's medial bulge
# in front (0.82-0.85 L on the dupontgu feet, which stands out further than the head when the
# frame's axis is turned a few degrees).
FIRST_MTH_BAND_FRAC = (0.65, 0.80)
FIFTH_MTH_BAND_FRAC = (0.50, 0.80)
FOREFOOT_BAND_FRAC = (0.55, 0.86)  # the hallux lies in front of this band's start
# The hallux: points no farther in from the medial border than this share of the ball width (E).
HALLUX_BAND_FRAC = 0.35
# x of the navicular estimate / foot length (E, no source: the arch's highest point in adults
# lies near 0.4-0.45 L; the synthetic feet put it at 0.43 L).
NAVICULAR_X_FRAC = 0.43
MTH_STEP_MM = 1.0  # stations along the forefoot border for the metatarsal heads
# Half thickness of the slab of samples a section's extreme is chosen from (E: holds samples
# ~2.5 mm apart; the fit is evaluated on the section plane itself, so the slab adds no slope).
SECTION_HALF_MM = 1.25
_X = np.array([1.0, 0.0, 0.0])
_Y = np.array([0.0, 1.0, 0.0])


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class OutlineExtremes:
    """Extreme points of the foot that its length, breadths and landmarks are made of (mm)."""

    pternion: np.ndarray
    distal: np.ndarray
    medial: np.ndarray
    lateral: np.ndarray
    first_mth: np.ndarray
    fifth_mth: np.ndarray
    hallux_tip: np.ndarray
    heel_medial: np.ndarray
    heel_lateral: np.ndarray
    navicular: np.ndarray

    @property
    def length_mm(self) -> float:
        return float(self.distal[0] - self.pternion[0])


def outline_extremes(samples_mm: np.ndarray, *, noise_mm: float) -> OutlineExtremes:
    """The extreme points of a foot in the design frame.

    Parameters
    ----------
    samples_mm : (n, 3) float64, mm, design frame: points on the foot's surface, no farther
        apart than ~2.5 mm (vertices of a fine mesh, a cloud or surface samples).
    noise_mm : the scan's noise (``ScanQuality.noise_mm``); sets how much the borders are
        smoothed before the metatarsal heads are found.
    """
    x = samples_mm[:, 0]
    pternion = extreme_point(samples_mm, -_X)
    distal = extreme_point(samples_mm, _X)
    length = float(distal[0] - pternion[0])
    x0 = float(pternion[0])
    first_mth = _border_peak(samples_mm, x0, length, FIRST_MTH_BAND_FRAC, side=1, noise_mm=noise_mm)
    fifth_mth = _border_peak(
        samples_mm, x0, length, FIFTH_MTH_BAND_FRAC, side=-1, noise_mm=noise_mm
    )
    medial = extreme_point(samples_mm, _Y)
    lateral = extreme_point(samples_mm, -_Y)
    width = float(medial[1] - lateral[1])
    hallux = samples_mm[:, 1] >= first_mth[1] - HALLUX_BAND_FRAC * width
    hallux &= x >= x0 + FOREFOOT_BAND_FRAC[0] * length
    heel = (x <= x0 + HEEL_REGION_FRAC * length) & (samples_mm[:, 2] <= HEEL_MAX_HEIGHT_MM)
    x_nav = x0 + NAVICULAR_X_FRAC * length
    nav = np.abs(x - x_nav) <= SECTION_HALF_MM
    return OutlineExtremes(
        pternion=pternion,
        distal=distal,
        medial=medial,
        lateral=lateral,
        first_mth=first_mth,
        fifth_mth=fifth_mth,
        hallux_tip=extreme_point(samples_mm, _X, candidates=hallux),
        heel_medial=extreme_point(samples_mm, _Y, candidates=heel),
        heel_lateral=extreme_point(samples_mm, -_Y, candidates=heel),
        navicular=extreme_point(samples_mm, _Y, candidates=nav, section_x_mm=x_nav),
    )


def _border_peak(
    samples_mm: np.ndarray,
    x0: float,
    length: float,
    band: tuple[float, float],
    *,
    side: int,
    noise_mm: float,
) -> np.ndarray:
    """The most prominent point of the medial (side +1) or lateral (-1) border in a band."""
    stations = np.arange(x0 + band[0] * length, x0 + band[1] * length, MTH_STEP_MM)
    border = border_points(samples_mm, stations, side=side)
    x, k = profile_peak(stations, side * border[:, 1], noise_mm=noise_mm)
    ok = np.isfinite(border[:, 1])
    y = float(np.interp(x, stations[ok], border[ok, 1]))
    return np.array([x, y, border[k, 2]])


def heel_centre(ext: OutlineExtremes) -> np.ndarray:
    """(3,) midpoint of the heel breadth, on the support plane."""
    mid = 0.5 * (ext.heel_medial + ext.heel_lateral)
    return np.array([mid[0], mid[1], 0.0])
