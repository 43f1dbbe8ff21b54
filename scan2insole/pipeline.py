"""The pipeline: the stages in order, and nothing else.

load -> clean -> frame -> analyse -> design -> solid -> verify -> export
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Literal

from scan2insole import __version__
from scan2insole.analyse import analyse_foot
from scan2insole.analyse.report import (
    foot_type_dict,
    landmarks_dict,
    measurements_dict,
    uncertainty_dict,
)
from scan2insole.design import design_insole
from scan2insole.export import orient, stl_bytes
from scan2insole.intake import clean_and_frame
from scan2insole.load import load_scan
from scan2insole.profile import Profile
from scan2insole.realized import Realized, measure_realized, realized_dict
from scan2insole.records import FootAnalysis, InsoleDesign, InsoleMesh, RawScan, Unit, VerifyReport
from scan2insole.solid import build_solid
from scan2insole.verify import verify_mesh


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class MakeResult:
    """Everything ``make`` produced for one foot."""

    raw: RawScan
    analysis: FootAnalysis
    design: InsoleDesign
    insole: InsoleMesh
    """Output frame: mm, bottom on z = 0, the foot's own side."""
    verify: VerifyReport
    profile: Profile
    realized: Realized | None = None
    """Every profile parameter measured back off the exported STL (``realized/``)."""


def run(
    raw: RawScan,
    profile: Profile,
    *,
    side: Literal["auto", "left", "right"] = "auto",
    units: Unit | None = None,
    kind: Literal["auto", "foot", "foam", "plantar"] = "auto",
) -> MakeResult:
    """Design and check the insole for a scan already read (``kind``: see ``intake.py``)."""
    foot = clean_and_frame(raw, units=units, side=side, kind=kind)
    analysis = analyse_foot(foot)
    design = design_insole(analysis, profile)
    solid = build_solid(design, side=foot.frame.side)
    insole = orient(solid)
    report = verify_mesh(
        insole.vertices_mm,
        insole.faces,
        min_thickness_mm=profile.shell.min_thickness_mm,
        bed_mm=(profile.printing.bed_x_mm, profile.printing.bed_y_mm),
        max_height_mm=profile.printing.max_height_mm,
    )
    realized = measure_realized(analysis, profile, stl_bytes(insole), side=foot.frame.side)
    return MakeResult(
        raw=raw,
        analysis=analysis,
        design=design,
        insole=insole,
        verify=report,
        profile=profile,
        realized=realized,
    )


def make(
    path: str | os.PathLike,
    profile: Profile,
    *,
    side: Literal["auto", "left", "right"] = "auto",
    units: Unit | None = None,
    kind: Literal["auto", "foot", "foam", "plantar"] = "auto",
) -> MakeResult:
    """Load a scan file and run the whole pipeline on it."""
    return run(load_scan(path), profile, side=side, units=units, kind=kind)


def measure(
    raw: RawScan,
    *,
    side: Literal["auto", "left", "right"] = "auto",
    units: Unit | None = None,
) -> FootAnalysis:
    """Measure a scan already read, without designing an insole (``scan2insole measure``)."""
    return analyse_foot(clean_and_frame(raw, units=units, side=side))


def report_dict(result: MakeResult, *, outputs: dict[str, str]) -> dict[str, Any]:
    """The JSON report: input, frame, quality, measurements, profile, print checks, outputs."""
    a = result.analysis
    foot = a.foot
    m = a.measurements
    q = foot.quality
    return {
        "scan2insole_version": __version__,
        "input": {
            "name": result.raw.name,
            "sha256": result.raw.sha256,
            "format": result.raw.format,
            "n_vertices": len(result.raw.vertices),
            "n_faces": len(result.raw.faces),
            "point_cloud": result.raw.is_point_cloud,
        },
        "units": {
            "unit": foot.units.unit,
            "mm_per_unit": foot.units.mm_per_unit,
            "detected": foot.units.detected,
            "reason": foot.units.reason,
        },
        "frame": {
            "side": foot.frame.side,
            "side_detected": foot.frame.side_detected,
            "side_confidence": foot.frame.side_confidence_frac,
            "side_reason": foot.frame.side_reason,
            "foot_from_scanner": foot.frame.foot_from_scanner,
        },
        "kind": {
            "kind": foot.kind,
            "confidence": foot.kind_confidence_frac,
            "reason": foot.kind_reason,
        },
        "quality": {
            "score": q.score_frac,
            "reasons": list(q.reasons),
            "n_points_in": q.n_points_in,
            "n_points_dropped": q.n_points_dropped,
            "floor_removed": q.floor_removed,
            "leg_cut": q.leg_cut,
            "noise_mm": q.noise_mm,
            "hole_area_mm2": q.hole_area_mm2,
        },
        "measurements": measurements_dict(m),
        "measurement_uncertainty": uncertainty_dict(m),
        "measurement_plausibility": list(m.plausibility),
        "landmarks": landmarks_dict(a),
        "foot_type": foot_type_dict(m),
        "profile": {
            "name": result.profile.name,
            "sha256": result.profile.sha256(),
            "values": result.profile.to_dict(),
        },
        "insole": dict(result.verify.figures),
        "realized": None if result.realized is None else realized_dict(result.realized),
        "print_checks": [
            {
                "name": c.name,
                "passed": c.passed,
                "value": c.value,
                "limit": c.limit,
                "message": c.message,
            }
            for c in result.verify.checks
        ],
        "printable": result.verify.printable,
        "outputs": outputs,
    }
