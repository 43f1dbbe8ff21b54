"""Records of the load and clean stages: the scan as read, its unit and quality, the clean scan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from scan2insole.records.frozen import RECORD, frozen_array, set_field

Unit = Literal["mm", "cm", "m", "in"]


@dataclass(**RECORD)
class RawScan:
    """A scan as read from its file, in the file's own (unknown) units and pose."""

    vertices: np.ndarray
    """(n, 3) float64, file units, scanner frame; may hold NaN until cleaned."""
    faces: np.ndarray
    """(m, 3) int64 vertex indices; m == 0 for a point cloud."""
    format: str
    """What the content was read as: ``stl-binary``, ``stl-ascii``, ``ply-binary``,
    ``ply-ascii`` or ``obj``."""
    sha256: str
    """Hex digest of the file bytes."""
    name: str
    """File stem, used to name outputs."""

    def __post_init__(self) -> None:
        set_field(
            self,
            "vertices",
            frozen_array(
                self.vertices, dtype=np.float64, shape=(None, 3), name="vertices", finite=False
            ),
        )
        set_field(
            self, "faces", frozen_array(self.faces, dtype=np.int64, shape=(None, 3), name="faces")
        )

    @property
    def is_point_cloud(self) -> bool:
        return len(self.faces) == 0


@dataclass(**RECORD)
class UnitsDecision:
    """Which length unit the scan was written in, and why we think so."""

    unit: Unit
    mm_per_unit: float
    detected: bool
    """False when the user forced the unit with ``--units``."""
    reason: str
    alternatives: tuple[Unit, ...] = ()
    """Other units the scan's size also fits, best first (tried when this one gives no foot)."""


@dataclass(**RECORD)
class ScanQuality:
    """How good the scan is to design from: a score and the reasons behind it."""

    score_frac: float
    """1.0 is a clean, complete scan; below ``clean.MIN_QUALITY_FRAC`` the scan is rejected."""
    reasons: tuple[str, ...]
    n_points_in: int
    n_points_dropped: int
    floor_removed: bool
    leg_cut: bool
    noise_mm: float
    """Robust RMS distance of points from a local plane fit."""
    hole_area_mm2: float = 0.0
    """Plantar area with no scan data, filled from its neighbours."""
    floor_band_mm: float = 0.0
    """Height above the support plane below which points went with the floor (0: no floor)."""


@dataclass(**RECORD)
class CleanScan:
    """A scan in millimetres with outliers, floor and fragments removed (still scanner pose)."""

    points_mm: np.ndarray
    """(n, 3) float64, mm, scanner frame."""
    faces: np.ndarray
    """(m, 3) int64 into ``points_mm``; m == 0 for a point cloud."""
    units: UnitsDecision
    quality: ScanQuality
    name: str
    sha256: str
    floor_plane: np.ndarray | None = None
    """(4,) float64: unit up-normal and offset (mm) of the floor removed from under the foot,
    which is the plane the foot stood on; None when the scan had no floor."""
    thin_mm: np.ndarray | None = None
    """(k, 3) float64, mm: one point per 2 mm voxel of the cleaned surface (voxel means), the
    working copy the frame search uses; None means derive it from ``points_mm``."""

    def __post_init__(self) -> None:
        set_field(
            self,
            "points_mm",
            frozen_array(self.points_mm, dtype=np.float64, shape=(None, 3), name="points_mm"),
        )
        set_field(
            self, "faces", frozen_array(self.faces, dtype=np.int64, shape=(None, 3), name="faces")
        )
        if self.floor_plane is not None:
            set_field(
                self,
                "floor_plane",
                frozen_array(self.floor_plane, dtype=np.float64, shape=(4,), name="floor_plane"),
            )
        if self.thin_mm is not None:
            set_field(
                self,
                "thin_mm",
                frozen_array(self.thin_mm, dtype=np.float64, shape=(None, 3), name="thin_mm"),
            )
