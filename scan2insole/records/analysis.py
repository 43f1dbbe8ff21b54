"""Records of the analyse stage: measurements, landmarks and the analysed foot."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np

from scan2insole.records.frame import FramedFoot
from scan2insole.records.frozen import RECORD, frozen_array, set_field
from scan2insole.records.height_map import HeightMap

FootType = Literal["flat", "normal", "high"]

_NAN = float("nan")


@dataclass(**RECORD)
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
        set_field(self, "uncertainty", MappingProxyType(dict(self.uncertainty)))


@dataclass(**RECORD)
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
            set_field(
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


@dataclass(**RECORD)
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
        set_field(
            self,
            "outline_mm",
            frozen_array(self.outline_mm, dtype=np.float64, shape=(None, 2), name="outline_mm"),
        )
        set_field(
            self,
            "footprint",
            frozen_array(self.footprint, dtype=bool, shape=(None, None), name="footprint"),
        )
