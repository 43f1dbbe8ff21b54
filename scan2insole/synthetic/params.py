"""The parameters of a synthetic foot and how each arch type shapes it.

Defaults describe an adult male right foot with a normal arch (ANSUR II means, CLINICAL.md §1.3).
Every ratio limit below is E: wide enough for adult feet, narrow enough that the construction in
``outline.py`` and ``surface.py`` stays valid (a star-shaped outline, the ball the widest part,
the heel the widest part of the rear 20 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from scan2insole.records import Side

ArchType = Literal["flat", "normal", "high"]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ArchShape:
    """How one arch type shapes the plantar surface (E: chosen so its class indices hold)."""

    typical_height_mm: float
    """Medial arch height used when ``FootParams.medial_arch_height_mm`` is None."""
    height_range_mm: tuple[float, float]
    """Accepted medial arch heights."""
    line_share: float
    """Plantar height on the medial arch line / height at the medial border, at the arch peak:
    how far the arch stays up toward the lateral side."""
    target_arch_index: float
    """The Cavanagh arch index the footprint is tuned to (within ~0.005)."""
    medial_waist_frac: float
    """Concavity of the medial border at the arch (/ half the ball-heel width excess): flat feet
    are straighter. At least 0.22, which keeps the heel the widest part of the rear 20 %."""


# Arch classes follow the Cavanagh & Rodgers arch index (high <= 0.21 < normal < 0.26 <= flat);
# each target sits well inside its class, the medial arch heights in the ranges of the brief.
ARCH_SHAPES: MappingProxyType[str, ArchShape] = MappingProxyType(
    {
        "flat": ArchShape(
            typical_height_mm=5.0,
            height_range_mm=(3.0, 7.0),
            line_share=0.31,
            target_arch_index=0.29,
            medial_waist_frac=0.22,
        ),
        "normal": ArchShape(
            typical_height_mm=12.5,
            height_range_mm=(10.0, 15.0),
            line_share=0.47,
            target_arch_index=0.235,
            medial_waist_frac=0.35,
        ),
        "high": ArchShape(
            typical_height_mm=23.0,
            height_range_mm=(18.0, 28.0),
            line_share=0.61,
            target_arch_index=0.13,
            medial_waist_frac=0.5,
        ),
    }
)

FOOT_LENGTH_RANGE_MM = (150.0, 330.0)
BALL_WIDTH_RANGE_FRAC = (0.32, 0.45)  # of foot length; ANSUR II 0.376 +- 0.017
HEEL_WIDTH_RANGE_FRAC = (0.62, 0.85)  # of ball width; ANSUR II 0.712 +- 0.047
ARCH_LENGTH_RANGE_FRAC = (0.70, 0.78)  # of foot length; ANSUR II 0.741 +- 0.015
ARCH_LENGTH_DEFAULT_FRAC = 0.74
DORSAL_HEIGHT_50_RANGE_FRAC = (0.20, 0.30)  # of foot length; 68 / 265 = 0.257


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class FootParams:
    """A parametric foot; the defaults are an adult male right foot with a normal arch."""

    foot_length_mm: float = 265.0
    """Pternion to hallux tip along the foot axis."""
    ball_width_mm: float = 100.0
    """Maximum breadth perpendicular to the axis, projected on the ground (1st to 5th MTH)."""
    heel_width_mm: float = 68.0
    """Maximum breadth within the rearmost 20 % of the length."""
    arch_length_mm: float | None = None
    """Heel to 1st metatarsal head along the axis; None is 0.74 x foot length."""
    dorsal_height_50_mm: float = 68.0
    """Highest point of the foot at 50 % of its length (the instep)."""
    arch_type: ArchType = "normal"
    """Ground-truth arch class; sets the contact shape of the midfoot."""
    medial_arch_height_mm: float | None = None
    """Plantar height 25 % of the ball width in from the medial border (30-60 % of the length);
    None is the arch type's typical value."""
    side: Side = "right"
    """Which foot; a left foot is the mirror image (y -> -y) of the right one."""

    def __post_init__(self) -> None:
        length = float(self.foot_length_mm)
        _check_range("foot_length_mm", length, FOOT_LENGTH_RANGE_MM, "")
        _check_range(
            "ball_width_mm",
            float(self.ball_width_mm),
            _times(BALL_WIDTH_RANGE_FRAC, length),
            f" for a {length:.1f} mm foot",
        )
        _check_range(
            "heel_width_mm",
            float(self.heel_width_mm),
            _times(HEEL_WIDTH_RANGE_FRAC, float(self.ball_width_mm)),
            f" for a {float(self.ball_width_mm):.1f} mm ball width",
        )
        if self.arch_length_mm is not None:
            _check_range(
                "arch_length_mm",
                float(self.arch_length_mm),
                _times(ARCH_LENGTH_RANGE_FRAC, length),
                f" for a {length:.1f} mm foot",
            )
        _check_range(
            "dorsal_height_50_mm",
            float(self.dorsal_height_50_mm),
            _times(DORSAL_HEIGHT_50_RANGE_FRAC, length),
            f" for a {length:.1f} mm foot",
        )
        if self.arch_type not in ARCH_SHAPES:
            raise ValueError(
                f"arch_type must be one of {sorted(ARCH_SHAPES)}, got {self.arch_type!r}"
            )
        if self.medial_arch_height_mm is not None:
            _check_range(
                "medial_arch_height_mm",
                float(self.medial_arch_height_mm),
                ARCH_SHAPES[self.arch_type].height_range_mm,
                f" for a {self.arch_type} arch",
            )
        if self.side not in ("left", "right"):
            raise ValueError(f"side must be 'left' or 'right', got {self.side!r}")
        # Imported here: surface.py builds on this module, and only it knows the arch's shape.
        from scan2insole.synthetic.surface import instep_clearance_mm

        clearance = instep_clearance_mm(self)
        if clearance < 0.0:
            raise ValueError(
                f"dorsal_height_50_mm {float(self.dorsal_height_50_mm):.1f} mm is below the "
                f"{float(self.dorsal_height_50_mm) - clearance:.1f} mm a {self.arch_type} arch "
                f"needs under the instep of this foot"
            )


def scaled_foot_params(foot_length_mm: float, **changes: Any) -> FootParams:
    """The default foot scaled to ``foot_length_mm``: its ball and heel widths and instep height
    in proportion (so every ratio stays the default's), with ``changes`` (arch type, side, ...)."""
    base = FootParams()
    scale = foot_length_mm / base.foot_length_mm
    return FootParams(
        foot_length_mm=foot_length_mm,
        ball_width_mm=base.ball_width_mm * scale,
        heel_width_mm=base.heel_width_mm * scale,
        dorsal_height_50_mm=base.dorsal_height_50_mm * scale,
        **changes,
    )


def resolved_arch_length_mm(params: FootParams) -> float:
    """The arch length of ``params``, with None replaced by its default."""
    if params.arch_length_mm is None:
        return ARCH_LENGTH_DEFAULT_FRAC * float(params.foot_length_mm)
    return float(params.arch_length_mm)


def resolved_medial_arch_height_mm(params: FootParams) -> float:
    """The medial arch height of ``params``, with None replaced by its arch type's typical value."""
    if params.medial_arch_height_mm is None:
        return ARCH_SHAPES[params.arch_type].typical_height_mm
    return float(params.medial_arch_height_mm)


def _times(frac: tuple[float, float], scale: float) -> tuple[float, float]:
    return frac[0] * scale, frac[1] * scale


def _check_range(name: str, value: float, bounds: tuple[float, float], context: str) -> None:
    lo, hi = bounds
    if not lo <= value <= hi:  # also rejects NaN
        raise ValueError(f"{name} {value:.1f} mm is outside {lo:.1f}-{hi:.1f} mm{context}")
