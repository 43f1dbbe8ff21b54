"""The frozen records passed between pipeline stages.

Every record is ``frozen, slots, kw_only, eq=False`` (generated ``==`` on arrays raises); arrays are
coerced, checked for shape and finiteness, and made read-only in ``__post_init__``, so a record that
exists is valid. Lengths are millimetres unless a field says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np

Side = Literal["left", "right"]
Unit = Literal["mm", "cm", "m", "in"]

_RECORD = {"frozen": True, "slots": True, "kw_only": True, "eq": False}


def frozen_array(
    value: object, *, dtype: type, shape: tuple[int | None, ...], name: str, finite: bool = True
) -> np.ndarray:
    """Return ``value`` as a read-only array of ``dtype``, checking its shape (None = any)."""
    arr = np.array(value, dtype=dtype, copy=True)
    if arr.ndim != len(shape) or any(
        s is not None and s != a for s, a in zip(shape, arr.shape, strict=True)
    ):
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    if finite and arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name} holds NaN or infinite values")
    arr.flags.writeable = False
    return arr


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


@dataclass(**_RECORD)
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
        _set(
            self,
            "vertices",
            frozen_array(
                self.vertices, dtype=np.float64, shape=(None, 3), name="vertices", finite=False
            ),
        )
        _set(self, "faces", frozen_array(self.faces, dtype=np.int64, shape=(None, 3), name="faces"))

    @property
    def is_point_cloud(self) -> bool:
        return len(self.faces) == 0


@dataclass(**_RECORD)
class UnitsDecision:
    """Which length unit the scan was written in, and why we think so."""

    unit: Unit
    mm_per_unit: float
    detected: bool
    """False when the user forced the unit with ``--units``."""
    reason: str
    alternatives: tuple[Unit, ...] = ()
    """Other units the scan's size also fits, best first (tried when this one gives no foot)."""


@dataclass(**_RECORD)
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


@dataclass(**_RECORD)
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
        _set(
            self,
            "points_mm",
            frozen_array(self.points_mm, dtype=np.float64, shape=(None, 3), name="points_mm"),
        )
        _set(self, "faces", frozen_array(self.faces, dtype=np.int64, shape=(None, 3), name="faces"))
        if self.floor_plane is not None:
            _set(
                self,
                "floor_plane",
                frozen_array(self.floor_plane, dtype=np.float64, shape=(4,), name="floor_plane"),
            )
        if self.thin_mm is not None:
            _set(
                self,
                "thin_mm",
                frozen_array(self.thin_mm, dtype=np.float64, shape=(None, 3), name="thin_mm"),
            )


@dataclass(**_RECORD)
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
        _set(
            self,
            "foot_from_scanner",
            frozen_array(
                self.foot_from_scanner, dtype=np.float64, shape=(4, 4), name="foot_from_scanner"
            ),
        )


@dataclass(**_RECORD)
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
        _set(
            self,
            "points_mm",
            frozen_array(self.points_mm, dtype=np.float64, shape=(None, 3), name="points_mm"),
        )
        _set(self, "faces", frozen_array(self.faces, dtype=np.int64, shape=(None, 3), name="faces"))


@dataclass(**_RECORD)
class HeightMap:
    """A height field z(x, y) sampled on a regular grid in the design frame."""

    origin_mm: np.ndarray
    """(2,) float64: x, y of the centre of cell [0, 0]."""
    cell_mm: float
    z_mm: np.ndarray
    """(ny, nx) float64; row i is y = origin[1] + i * cell, column j is x = origin[0] + j * cell.
    NaN where there is no data."""

    def __post_init__(self) -> None:
        _set(
            self,
            "origin_mm",
            frozen_array(self.origin_mm, dtype=np.float64, shape=(2,), name="origin_mm"),
        )
        _set(
            self,
            "z_mm",
            frozen_array(
                self.z_mm, dtype=np.float64, shape=(None, None), name="z_mm", finite=False
            ),
        )

    @property
    def x_mm(self) -> np.ndarray:
        return self.origin_mm[0] + self.cell_mm * np.arange(self.z_mm.shape[1])

    @property
    def y_mm(self) -> np.ndarray:
        return self.origin_mm[1] + self.cell_mm * np.arange(self.z_mm.shape[0])


@dataclass(**_RECORD)
class InsoleMesh:
    """A closed triangle mesh of the insole."""

    vertices_mm: np.ndarray
    """(n, 3) float64, mm; design frame (right foot) or output frame after ``export.orient``."""
    faces: np.ndarray
    """(m, 3) int64, counter-clockwise seen from outside."""
    side: Side

    def __post_init__(self) -> None:
        _set(
            self,
            "vertices_mm",
            frozen_array(self.vertices_mm, dtype=np.float64, shape=(None, 3), name="vertices_mm"),
        )
        _set(self, "faces", frozen_array(self.faces, dtype=np.int64, shape=(None, 3), name="faces"))


@dataclass(**_RECORD)
class Check:
    """One print check: what was measured, against what limit, and whether it passed."""

    name: str
    passed: bool
    value: float | None
    limit: float | None
    message: str


@dataclass(**_RECORD)
class VerifyReport:
    """The print checks of one mesh plus the geometric figures measured off it."""

    checks: tuple[Check, ...]
    figures: dict[str, float] = field(default_factory=dict)
    """Measured quantities (mm, deg, mm3) keyed by a name that carries its unit."""

    @property
    def printable(self) -> bool:
        return all(c.passed for c in self.checks)


FootType = Literal["flat", "normal", "high"]

_NAN = float("nan")


@dataclass(**_RECORD)
class Measurements:
    """Foot measurements in the design frame; NaN where the scan cannot show one.

    Definitions: ``analyse/measurements.py`` (lengths, heights), ``analyse/foot_type.py``
    (footprint indices, foot type) and docs/measurements.md, with their sources.
    """

    foot_length_mm: float
    """Pternion to the most distal toe point, along the foot axis (+x)."""
    ball_width_mm: float
    """Maximum breadth perpendicular to the axis, projected on the ground."""
    heel_width_mm: float
    """Maximum breadth in the rearmost 20 % of the length, below 40 mm height."""
    arch_length_mm: float = _NAN
    """Pternion to the 1st metatarsal head (its most medial point), along the axis."""
    dorsal_height_50_mm: float = _NAN
    """Highest point of the foot on the section at 50 % of the foot length."""
    arch_height_index: float = _NAN
    """dorsal_height_50_mm / arch_length_mm (AHI with truncated foot length)."""
    medial_arch_height_mm: float = _NAN
    """Highest plantar point on the line 25 % of the ball width in from the medial outline,
    between 30 % and 60 % of the foot length."""
    arch_index: float = _NAN
    """Cavanagh & Rodgers arch index of the 2 mm contact footprint without toes, in [0, 1]."""
    arch_index_by_contact_mm: tuple[tuple[float, float], ...] = ()
    """(contact height mm, arch index) pairs: the index's sensitivity to the contact height."""
    chippaux_smirak_index_pct: float = _NAN
    """Narrowest midfoot contact width / widest forefoot contact width, percent."""
    staheli_index: float = _NAN
    """Narrowest midfoot contact width / widest heel contact width (ratio, may exceed 1)."""
    contact_area_mm2: float = _NAN
    """Area of the contact footprint without toes."""
    foot_type: FootType | None = None
    """Arch class from the arch index; None when the scan shows no usable footprint."""
    foot_type_reason: str = ""
    suggested_profile: str = "neutral"
    """Name of the shipped profile suggested by the foot type."""
    uncertainty: Mapping[str, float] = field(default_factory=dict)
    """Estimated uncertainty (about a 95 % bound) of each measurement, keyed by field name,
    in the field's unit."""
    plausibility: tuple[str, ...] = ()
    """Why a measurement is implausible against population ratios; empty when none is."""

    def __post_init__(self) -> None:
        _set(self, "uncertainty", MappingProxyType(dict(self.uncertainty)))


@dataclass(**_RECORD)
class Landmarks:
    """Anatomical landmarks in the design frame (mm); NaN where the scan cannot show one.

    Every field is a (3,) float64 point x, y, z in the right-foot design frame.
    """

    pternion_mm: np.ndarray
    """Rearmost point of the heel."""
    hallux_tip_mm: np.ndarray
    """Most distal point of the big toe."""
    first_mth_mm: np.ndarray
    """Metatarsale tibiale: most medial point of the 1st metatarsal head."""
    fifth_mth_mm: np.ndarray
    """Metatarsale fibulare: most lateral point of the 5th metatarsal head."""
    navicular_mm: np.ndarray
    """Estimate (E) of the navicular tuberosity: the most medial point of the surface near
    43 % of the foot length; a surface scan cannot see the bone."""
    medial_arch_apex_mm: np.ndarray
    """Highest plantar point of the medial arch line (where ``medial_arch_height_mm`` is taken)."""
    heel_centre_mm: np.ndarray
    """Midpoint of the heel breadth, on the support plane (z = 0)."""

    def __post_init__(self) -> None:
        for name in LANDMARK_FIELDS:
            _set(
                self,
                name,
                frozen_array(
                    getattr(self, name), dtype=np.float64, shape=(3,), name=name, finite=False
                ),
            )


LANDMARK_FIELDS = (
    "pternion_mm",
    "hallux_tip_mm",
    "first_mth_mm",
    "fifth_mth_mm",
    "navicular_mm",
    "medial_arch_apex_mm",
    "heel_centre_mm",
)


@dataclass(**_RECORD)
class FootAnalysis:
    """What the design needs to know about the foot, and what the report says about it."""

    foot: FramedFoot
    plantar: HeightMap
    """Plantar (lower) surface of the foot, holes and the steep sides filled from the sole."""
    footprint: np.ndarray
    """(ny, nx) bool on the plantar grid: the foot's projection below ``OUTLINE_HEIGHT_MM``."""
    outline_mm: np.ndarray
    """(k, 2) float64 counter-clockwise footprint polygon, design frame."""
    measurements: Measurements
    landmarks: Landmarks | None = None
    """Anatomical landmarks; ``analyse_foot`` always sets them (None only in hand-built
    records)."""

    def __post_init__(self) -> None:
        _set(
            self,
            "outline_mm",
            frozen_array(self.outline_mm, dtype=np.float64, shape=(None, 2), name="outline_mm"),
        )
        _set(
            self,
            "footprint",
            frozen_array(self.footprint, dtype=bool, shape=(None, None), name="footprint"),
        )


@dataclass(**_RECORD)
class InsoleDesign:
    """The insole as two height fields over one outline, in the right-foot design frame."""

    outline_mm: np.ndarray
    """(k, 2) float64 counter-clockwise insole outline."""
    top: HeightMap
    bottom: HeightMap

    def __post_init__(self) -> None:
        _set(
            self,
            "outline_mm",
            frozen_array(self.outline_mm, dtype=np.float64, shape=(None, 2), name="outline_mm"),
        )
