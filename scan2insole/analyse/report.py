"""The analysis as plain data for JSON: measurements, landmarks, foot type, uncertainty, quality.

One place builds these dictionaries so that ``scan2insole measure --json`` and the ``make``
report say the same thing with the same keys. Values are plain floats (mm unless a key says
otherwise; NaN becomes null when the JSON is written) in the right-foot design frame.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scan2insole.analyse.contact import CONTACT_HEIGHT_MM
from scan2insole.analyse.foot_type import FLAT_ARCH_MIN_AI, HIGH_ARCH_MAX_AI
from scan2insole.records import LANDMARK_FIELDS, FootAnalysis, Measurements

# JSON key -> Measurements field; the percent index keeps the name the issue gives it.
MEASUREMENT_KEYS: dict[str, str] = {
    "foot_length_mm": "foot_length_mm",
    "ball_width_mm": "ball_width_mm",
    "heel_width_mm": "heel_width_mm",
    "arch_length_mm": "arch_length_mm",
    "dorsal_height_50_mm": "dorsal_height_50_mm",
    "arch_height_index": "arch_height_index",
    "medial_arch_height_mm": "medial_arch_height_mm",
    "arch_index": "arch_index",
    "chippaux_smirak_index": "chippaux_smirak_index_pct",
    "staheli_index": "staheli_index",
}


def measurements_dict(m: Measurements) -> dict[str, Any]:
    """The measurements under their JSON names (``chippaux_smirak_index`` in percent)."""
    out: dict[str, Any] = {key: getattr(m, name) for key, name in MEASUREMENT_KEYS.items()}
    out["arch_index_by_contact_height"] = {f"{h:g}_mm": ai for h, ai in m.arch_index_by_contact_mm}
    out["contact_area_mm2"] = m.contact_area_mm2
    return out


def uncertainty_dict(m: Measurements) -> dict[str, float]:
    """About-95 % uncertainty of each measurement, same JSON names and units."""
    return {key: m.uncertainty.get(name, float("nan")) for key, name in MEASUREMENT_KEYS.items()}


def landmarks_dict(analysis: FootAnalysis) -> dict[str, list[float] | None]:
    """Landmarks as [x, y, z] in mm, design frame; null for one the scan cannot show."""
    marks = analysis.landmarks
    if marks is None:
        return {}
    out: dict[str, list[float] | None] = {}
    for name in LANDMARK_FIELDS:
        point = getattr(marks, name)
        finite = bool(np.isfinite(point).all())
        out[name.removesuffix("_mm")] = [float(v) for v in point] if finite else None
    return out


def foot_type_dict(m: Measurements) -> dict[str, Any]:
    """Foot type, why, the suggested profile and the thresholds with their status."""
    return {
        "foot_type": m.foot_type,
        "reason": m.foot_type_reason,
        "suggested_profile": m.suggested_profile,
        "classified_by": "arch_index",
        "contact_height_mm": CONTACT_HEIGHT_MM,
        "thresholds": {
            "high_arch_max_arch_index": HIGH_ARCH_MAX_AI,
            "flat_min_arch_index": FLAT_ARCH_MIN_AI,
            "status": "U: widely quoted Cavanagh & Rodgers cut-offs, primary text not seen",
        },
    }


def quality_dict(analysis: FootAnalysis) -> dict[str, Any]:
    q = analysis.foot.quality
    return {"score": q.score_frac, "reasons": list(q.reasons)}


def measure_dict(analysis: FootAnalysis) -> dict[str, Any]:
    """Everything ``scan2insole measure --json`` prints for one scan."""
    foot = analysis.foot
    m = analysis.measurements
    return {
        "name": foot.name,
        "sha256": foot.sha256,
        "side": foot.frame.side,
        "side_detected": foot.frame.side_detected,
        "kind": foot.kind,  # issue 10: foot / foam / plantar, and how sure
        "kind_confidence": foot.kind_confidence_frac,
        "units_detected": foot.units.unit,
        "units_forced": not foot.units.detected,
        **measurements_dict(m),
        "foot_type": m.foot_type,
        "foot_type_reason": m.foot_type_reason,
        "suggested_profile": m.suggested_profile,
        "landmarks": landmarks_dict(analysis),
        "foot_from_scanner": [[float(v) for v in row] for row in foot.frame.foot_from_scanner],
        "quality": quality_dict(analysis),
        "uncertainty": uncertainty_dict(m),
        "plausibility": list(m.plausibility),
    }
