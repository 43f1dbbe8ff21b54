"""Which length unit a scan was written in, decided from the size of a foot.

STL and PLY carry no unit, and scanners write metres, centimetres, millimetres or inches. A foot's
longest extent is a strong clue: whatever the unit, it must come out between
``FOOT_EXTENT_MIN_MM`` and ``FOOT_EXTENT_MAX_MM`` once converted. Where more than one unit fits,
one inside ``COMMON_EXTENT_MM`` is preferred, then the one closest (on a log scale) to
``TYPICAL_EXTENT_MM``. Where none fits, the scan is
rejected rather than guessed: a 3 m or 3 mm "foot" is not a foot in any unit.
"""

from __future__ import annotations

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.records import Unit, UnitsDecision

MM_PER_UNIT: dict[Unit, float] = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4}

# Longest extent of a scan of one foot, optionally with ankle and a leg stump (E: an infant foot
# is ~100 mm long; a foot of 330 mm plus a shin stump reaches ~450 mm; two feet side by side
# stay below 500 mm along their length).
FOOT_EXTENT_MIN_MM = 90.0
FOOT_EXTENT_MAX_MM = 520.0
# Most scans (a child's or adult's foot, ankle cut) fall in this narrower range, which decides
# between units that both fit the wide one: 15 units is a 150 mm foot in cm, not 381 mm in inches
# (E; a 120-134 mm foot written in cm still reads as inches: use --units).
COMMON_EXTENT_MM = (120.0, 340.0)
# ANSUR II men's mean foot length is 271 mm, women's 246 mm (CLINICAL.md §1.3, status C).
TYPICAL_EXTENT_MM = 265.0
# Percentiles that define the extent, so a few stray points do not decide the unit.
_EXTENT_PERCENTILES = (0.5, 99.5)


def longest_extent(points: np.ndarray) -> float:
    """Robust longest extent of a point set along its first principal axis (input units)."""
    centred = points - points.mean(axis=0)
    # 3x3 covariance eigen-decomposition: cheap and independent of point order
    _, vecs = np.linalg.eigh(centred.T @ centred)
    along = centred @ vecs[:, -1]
    lo, hi = np.percentile(along, _EXTENT_PERCENTILES)
    return float(hi - lo)


def detect_units(points: np.ndarray, *, forced: Unit | None = None) -> UnitsDecision:
    """Decide the unit of ``points`` ((n, 3) float64, file units).

    With ``forced`` the unit is taken as given, but the converted size must still be a foot's.
    """
    extent = longest_extent(points)
    if forced is not None:
        extent_mm = extent * MM_PER_UNIT[forced]
        if not FOOT_EXTENT_MIN_MM <= extent_mm <= FOOT_EXTENT_MAX_MM:
            raise ScanError(
                f"with --units {forced} the scan is {extent_mm:.0f} mm long; a foot scan is "
                f"{FOOT_EXTENT_MIN_MM:.0f}-{FOOT_EXTENT_MAX_MM:.0f} mm"
            )
        return UnitsDecision(
            unit=forced,
            mm_per_unit=MM_PER_UNIT[forced],
            detected=False,
            reason=f"forced by --units {forced}",
        )
    fits = [
        u for u, s in MM_PER_UNIT.items() if FOOT_EXTENT_MIN_MM <= extent * s <= FOOT_EXTENT_MAX_MM
    ]
    if not fits:
        raise ScanError(
            f"scan extent {extent:.4g} (file units) is not a foot's size in mm, cm, m or inches "
            f"(expected {FOOT_EXTENT_MIN_MM:.0f}-{FOOT_EXTENT_MAX_MM:.0f} mm); use --units"
        )
    common = [
        u for u in fits if COMMON_EXTENT_MM[0] <= extent * MM_PER_UNIT[u] <= COMMON_EXTENT_MM[1]
    ]
    best = min(
        common or fits, key=lambda u: abs(np.log(extent * MM_PER_UNIT[u] / TYPICAL_EXTENT_MM))
    )
    extent_mm = extent * MM_PER_UNIT[best]
    others = ", ".join(
        f"{u} would give {extent * MM_PER_UNIT[u]:.0f} mm" for u in fits if u != best
    )
    reason = f"longest extent {extent:.4g} {best} = {extent_mm:.0f} mm fits a foot"
    if others:
        reason += f" (also possible: {others}; {best} is nearest {TYPICAL_EXTENT_MM:.0f} mm)"
    rest = sorted(
        (u for u in fits if u != best),
        key=lambda u: abs(np.log(extent * MM_PER_UNIT[u] / TYPICAL_EXTENT_MM)),
    )
    return UnitsDecision(
        unit=best,
        mm_per_unit=MM_PER_UNIT[best],
        detected=True,
        reason=reason,
        alternatives=tuple(rest),
    )
