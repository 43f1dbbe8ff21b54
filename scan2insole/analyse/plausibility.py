"""Plausibility of a foot's measurements against population ratios (ANSUR II, CLINICAL.md §1.3).

The ratios are status C (computed from the ANSUR II public CSVs, 4,082 men and 1,986 women). A
measurement pair whose ratio falls outside the range below is flagged in the scan's quality
rather than silently reported: it is more often a scan or landmark problem than an unusual foot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

# (numerator, denominator, low, high, what the range is)
RATIO_RANGES: tuple[tuple[str, str, float, float, str], ...] = (
    # CLINICAL.md §1.3 suggests 0.70-0.78 (ANSUR II 0.741 ± 0.015 men, 0.739 ± 0.013 women)
    ("arch_length_mm", "foot_length_mm", 0.70, 0.78, "ANSUR II ball length / foot length"),
    # mean ± 3 SD of ANSUR II 0.376 ± 0.017 (men) and 0.377 ± 0.018 (women); the ±3 SD is E
    ("ball_width_mm", "foot_length_mm", 0.32, 0.43, "ANSUR II breadth / foot length"),
    # mean ± 3 SD of ANSUR II 0.712 ± 0.047 (men) and 0.725 ± 0.047 (women); the ±3 SD is E
    ("heel_width_mm", "ball_width_mm", 0.57, 0.87, "ANSUR II heel breadth / foot breadth"),
)
# A medial arch height outside this range is not a standing foot's arch (E: the highest
# synthetic arches are 28 mm; navicular heights above 64 mm are "severely high" [S24]).
MEDIAL_ARCH_RANGE_MM = (-1.0, 40.0)


def implausible(values: Mapping[str, float]) -> tuple[str, ...]:
    """One line per implausible measurement; empty when everything is plausible.

    Parameters
    ----------
    values : measurement name (as in ``records.Measurements``) to value; NaN when not measured.
    """
    out = []
    for num, den, lo, hi, what in RATIO_RANGES:
        a, b = values.get(num, math.nan), values.get(den, math.nan)
        if not (math.isfinite(a) and math.isfinite(b)) or b <= 0:
            continue
        r = a / b
        if not lo <= r <= hi:
            out.append(f"{num} / {den} = {r:.3f} is outside {lo:.2f}-{hi:.2f} ({what})")
    h = values.get("medial_arch_height_mm", math.nan)
    if math.isfinite(h) and not MEDIAL_ARCH_RANGE_MM[0] <= h <= MEDIAL_ARCH_RANGE_MM[1]:
        lo, hi = MEDIAL_ARCH_RANGE_MM
        out.append(f"medial_arch_height_mm = {h:.1f} is outside {lo:.0f}-{hi:.0f} mm")
    return tuple(out)
