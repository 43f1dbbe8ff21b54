"""Profile sections along the midfoot: flanges, arch support and the cuboid pad."""

from __future__ import annotations

from dataclasses import dataclass

from scan2insole.profile.param import RECORD, param


@dataclass(**RECORD)
class FlangeParams:
    """Flanges: the shell's medial or lateral wall raised along the midfoot."""

    medial_height_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=20.0, doc="medial rim raised by this along the arch (V)"
    )
    lateral_height_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=20.0, doc="lateral rim raised by this along the midfoot (V)"
    )


@dataclass(**RECORD)
class ArchParams:
    """Medial longitudinal arch support, relative to total contact."""

    fill_mm: float = param(
        0.0,
        unit="mm",
        lo=0.0,
        hi=6.4,
        doc="cast fill: the arch support lowered by this at its apex, never below the contact "
        "level (V: minimal 1.6, standard 3.2, maximum 6.4 mm)",
    )
    extra_height_mm: float = param(
        0.0,
        unit="mm",
        lo=0.0,
        hi=6.0,
        doc="the arch support raised above the foot by this at its apex (V: +-6 mm in research)",
    )
    apex_frac: float = param(
        0.42,
        unit="frac",
        lo=0.3,
        hi=0.6,
        doc="apex position along the foot, fraction of foot length from the heel (E: navicular)",
    )


@dataclass(**RECORD)
class CuboidParams:
    """Cuboid pad: a dome under the cuboid (lateral column support)."""

    height_mm: float = param(0.0, unit="mm", lo=0.0, hi=8.0, doc="apex height (V, no values)")
    diameter_mm: float = param(
        15.0, unit="mm", lo=8.0, hi=30.0, doc="pad diameter at half its height (E)"
    )
