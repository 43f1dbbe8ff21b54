"""Records of the frame stage: where the foot is, and the foot in the right-foot design frame."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from scan2insole.records.frozen import RECORD, frozen_array, set_field
from scan2insole.records.scan import ScanQuality, UnitsDecision

Side = Literal["left", "right"]


@dataclass(**RECORD)
class FootFrame:
    """Where the foot is: the rigid (maybe mirroring) map from scanner mm to the design frame."""

    foot_from_scanner: np.ndarray
    """(4, 4) float64; for a left foot it includes the y mirror (determinant -1)."""
    side: Side
    side_detected: bool
    """False when the user forced the side with ``--side``."""
    side_confidence_frac: float
    side_reason: str

    def __post_init__(self) -> None:
        set_field(
            self,
            "foot_from_scanner",
            frozen_array(
                self.foot_from_scanner, dtype=np.float64, shape=(4, 4), name="foot_from_scanner"
            ),
        )


@dataclass(**RECORD)
class FramedFoot:
    """The cleaned foot in the right-foot design frame (see ``frame.py`` for its definition)."""

    points_mm: np.ndarray
    """(n, 3) float64, mm, design frame: z up, support plane z = 0, +x heel to toe, +y medial."""
    faces: np.ndarray
    """(m, 3) int64, winding flipped for mirrored (left) feet so normals still point out."""
    frame: FootFrame
    units: UnitsDecision
    quality: ScanQuality
    name: str
    sha256: str
    kind: Literal["foot", "foam", "plantar"] = "foot"
    """What the scan showed (``kind.py``): a whole foot, a foam-box impression (inverted into
    its plantar surface) or a plantar-only sheet; for the last two ``points_mm`` is the plantar
    surface only, with no dorsum."""
    kind_confidence_frac: float = 1.0
    """How sure the kind detection was (1.0 when forced with ``--kind``)."""
    kind_reason: str = ""
    """One line: why the scan was taken for this kind."""

    def __post_init__(self) -> None:
        set_field(
            self,
            "points_mm",
            frozen_array(self.points_mm, dtype=np.float64, shape=(None, 3), name="points_mm"),
        )
        set_field(
            self, "faces", frozen_array(self.faces, dtype=np.int64, shape=(None, 3), name="faces")
        )
