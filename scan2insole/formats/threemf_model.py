"""3MF model: the core spec's names and units, and what a 3MF holds (placed parts, metadata)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scan2insole.records import frozen_array

CORE_NS = "http://schemas.microsoft.com/3dmanufacturing/core/2015/02"
MODEL_REL_TYPE = "http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"
META_NS = "urn:scan2insole:3mf:metadata"
"""Namespace of our own metadata names (the core spec reserves un-prefixed names)."""
MODEL_PATH = "3D/3dmodel.model"

MM_PER_UNIT = {
    "micron": 0.001,
    "millimeter": 1.0,
    "centimeter": 10.0,
    "inch": 25.4,
    "foot": 304.8,
    "meter": 1000.0,
}
"""The units the 3MF core spec allows, in millimetres."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Part:
    """One printed part of a 3MF: its mesh in its own frame and where the build places it."""

    name: str
    vertices_mm: np.ndarray
    """(n, 3) float64, mm, the object's own frame."""
    faces: np.ndarray
    """(m, 3) int64, counter-clockwise seen from outside."""
    build_from_part: np.ndarray
    """(4, 4) float64 affine map from the part's frame to build-plate coordinates (mm)."""

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "vertices_mm",
            frozen_array(self.vertices_mm, dtype=np.float64, shape=(None, 3), name="vertices_mm"),
        )
        object.__setattr__(
            self, "faces", frozen_array(self.faces, dtype=np.int64, shape=(None, 3), name="faces")
        )
        object.__setattr__(
            self,
            "build_from_part",
            frozen_array(
                self.build_from_part, dtype=np.float64, shape=(4, 4), name="build_from_part"
            ),
        )

    def placed(self) -> tuple[np.ndarray, np.ndarray]:
        """The mesh where the build places it: vertices (n, 3) mm and faces (m, 3), the faces
        reversed when the placement mirrors (so they still wind counter-clockwise outside)."""
        return transformed(self.build_from_part, self.vertices_mm, self.faces)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Model:
    """What a 3MF file holds, in millimetres."""

    unit: str
    """The unit the file declared (one of ``MM_PER_UNIT``); coordinates here are converted."""
    metadata: dict[str, str]
    """Model metadata by name, as written (``Title``, ``scan2insole:scan_sha256``, ...)."""
    parts: tuple[Part, ...]
    """One per build item, in build order."""


def transformed(
    m: np.ndarray, vertices: np.ndarray, faces: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``vertices`` (n, 3) mapped by the (4, 4) affine ``m``, and ``faces`` (k, 3) reversed when
    ``m`` mirrors, so they still wind counter-clockwise seen from outside."""
    v = vertices @ m[:3, :3].T + m[:3, 3]
    return v, faces[:, ::-1] if np.linalg.det(m[:3, :3]) < 0 else faces
