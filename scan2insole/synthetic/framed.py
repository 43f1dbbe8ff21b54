"""A synthetic foot put straight into its true design frame, for testing ``analyse`` alone."""

from __future__ import annotations

import numpy as np

from scan2insole.records import FootFrame, FramedFoot, ScanQuality, UnitsDecision


def in_true_frame(
    vertices_mm: np.ndarray, faces: np.ndarray, *, noise_mm: float = 0.0
) -> FramedFoot:
    """A right synthetic foot (``foot_mesh`` / ``synthetic_scan`` with no pose) as ``frame`` would
    give it were its estimate exact: identity ``foot_from_scanner``, millimetres, nothing
    cleaned away; ``noise_mm`` is the noise the scan was made with."""
    return FramedFoot(
        points_mm=vertices_mm,
        faces=faces,
        frame=FootFrame(
            foot_from_scanner=np.eye(4),
            side="right",
            side_detected=False,
            side_confidence_frac=1.0,
            side_reason="synthetic foot in its true frame",
        ),
        units=UnitsDecision(unit="mm", mm_per_unit=1.0, detected=False, reason="synthetic"),
        quality=ScanQuality(
            score_frac=1.0,
            reasons=(),
            n_points_in=len(vertices_mm),
            n_points_dropped=0,
            floor_removed=False,
            leg_cut=False,
            noise_mm=noise_mm,
        ),
        name="synthetic",
        sha256="0" * 64,
    )
