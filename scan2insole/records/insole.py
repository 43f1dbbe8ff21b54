"""Records of the design and solid stages: the insole as height fields, then as a closed mesh."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scan2insole.records.frame import Side
from scan2insole.records.frozen import RECORD, frozen_array, set_field
from scan2insole.records.height_map import HeightMap


@dataclass(**RECORD)
class InsoleDesign:
    """The insole as two height fields over one outline, in the right-foot design frame."""

    outline_mm: np.ndarray
    """(k, 2) float64 counter-clockwise insole outline."""
    top: HeightMap
    bottom: HeightMap

    def __post_init__(self) -> None:
        set_field(
            self,
            "outline_mm",
            frozen_array(self.outline_mm, dtype=np.float64, shape=(None, 2), name="outline_mm"),
        )


@dataclass(**RECORD)
class InsoleMesh:
    """A closed triangle mesh of the insole."""

    vertices_mm: np.ndarray
    """(n, 3) float64, mm; design frame (right foot) or output frame after ``export.orient``."""
    faces: np.ndarray
    """(m, 3) int64, counter-clockwise seen from outside."""
    side: Side

    def __post_init__(self) -> None:
        set_field(
            self,
            "vertices_mm",
            frozen_array(self.vertices_mm, dtype=np.float64, shape=(None, 3), name="vertices_mm"),
        )
        set_field(
            self, "faces", frozen_array(self.faces, dtype=np.int64, shape=(None, 3), name="faces")
        )
