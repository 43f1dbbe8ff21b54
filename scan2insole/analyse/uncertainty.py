"""How far each measurement may be from what its definition gives on this foot (about 95 %).

Each uncertainty combines, in quadrature,

- the method's own error: the 95th-percentile absolute error that ``benchmarks/accuracy.py``
  measured over its synthetic feet (posed, noisy, holed, any units, clouds), constants below
  (E: measured on synthetic feet with exact truth, not on people; re-run the benchmark after
  changing a measurement and update them);
- the scan's noise (``ScanQuality.noise_mm``) times a gain (E);
- for the plantar indices, the index's slope with the contact height (from the 1 / 2 / 3 mm
  sensitivity) times the uncertainty of the support plane's height, ``PLANE_HEIGHT_MM``.

The arch height index propagates its two factors' relative uncertainties.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

# 95th-percentile absolute errors of the whole pipeline (frame included) over the 126 scans of
# ``python -m benchmarks.accuracy`` (E: synthetic feet, not people, calibrated on the same set
# the benchmark reports coverage on; a real foot's axis and landmarks are less clear-cut). The
# arch length's is large because the 1st metatarsal head sits on a nearly straight border. The
# Chippaux-Smirak and Staheli indices have no synthetic truth: their values are E guesses
# (about a 3 mm error in one of the widths), not measured.
METHOD_95: dict[str, float] = {
    "foot_length_mm": 0.2,
    "ball_width_mm": 0.25,
    "heel_width_mm": 0.4,
    "arch_length_mm": 4.3,
    "dorsal_height_50_mm": 0.5,
    "medial_arch_height_mm": 0.5,
    "arch_index": 0.007,
    "chippaux_smirak_index_pct": 5.0,
    "staheli_index": 0.1,
}
# Extra uncertainty per mm of scan noise (E: from the benchmark's noisy scenario, 0.3 mm, against
# its clean one: the arch length grows ~3 mm there, the medial arch height ~0.35 mm, the
# extremes a few tenths).
NOISE_GAIN: dict[str, float] = {
    "foot_length_mm": 1.0,
    "ball_width_mm": 1.0,
    "heel_width_mm": 1.0,
    "arch_length_mm": 10.0,
    "dorsal_height_50_mm": 1.0,
    "medial_arch_height_mm": 1.5,
}
# Uncertainty of the support plane's height under the plantar surface (E: the frame anchors the
# plane on the median of the lowest cells; scanning plates are ~1 mm thick in the synthetic set).
PLANE_HEIGHT_MM = 0.5


def uncertainties(
    values: Mapping[str, float],
    arch_index_by_contact_mm: tuple[tuple[float, float], ...],
    *,
    noise_mm: float,
) -> dict[str, float]:
    """Uncertainty of each measurement in ``values`` (same keys and units); NaN if unmeasured."""
    out: dict[str, float] = {}
    for name, method in METHOD_95.items():
        value = values.get(name, math.nan)
        if not math.isfinite(value):
            out[name] = math.nan
            continue
        noise = NOISE_GAIN.get(name, 0.0) * noise_mm
        out[name] = math.hypot(method, noise)
    out["medial_arch_height_mm"] = math.hypot(out["medial_arch_height_mm"], PLANE_HEIGHT_MM)
    heights = [h for h, _ in arch_index_by_contact_mm]
    ais = [a for _, a in arch_index_by_contact_mm]
    if len(heights) >= 2 and all(math.isfinite(a) for a in ais):
        slope = abs(ais[-1] - ais[0]) / (heights[-1] - heights[0])
        out["arch_index"] = math.hypot(out["arch_index"], slope * PLANE_HEIGHT_MM)
    d, a = values.get("dorsal_height_50_mm", math.nan), values.get("arch_length_mm", math.nan)
    ahi = values.get("arch_height_index", math.nan)
    if all(math.isfinite(v) for v in (d, a, ahi)) and d > 0 and a > 0:
        rel = math.hypot(out["dorsal_height_50_mm"] / d, out["arch_length_mm"] / a)
        out["arch_height_index"] = ahi * rel
    else:
        out["arch_height_index"] = math.nan
    return out
