"""Profile sections under the heel: rearfoot post, skives, heel cup, heel lift, spur relief."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scan2insole.profile.param import RECORD, param


@dataclass(**RECORD)
class RearfootPostParams:
    """Rearfoot post: a frontal-plane tilt of the heel seat (CLINICAL 3.2)."""

    angle_deg: float = param(
        0.0,
        unit="deg",
        lo=-10.0,
        hi=10.0,
        doc="heel seat tilt about +x; varus + (medial side higher), valgus - (V: 4 deg standard)",
    )
    kind: Literal["intrinsic", "extrinsic"] = param(
        "intrinsic",
        unit="",
        doc="intrinsic: the tilt is built into the top; extrinsic: a wedge under the heel, the "
        "shell top left as it is",
    )
    length_mm: float = param(
        70.0,
        unit="mm",
        lo=30.0,
        hi=150.0,
        doc="the post runs from the insole's heel end this far forward (last 15 mm a fall-off)",
    )


@dataclass(**RECORD)
class SkiveParams:
    """Heel skives: varus (medial) or valgus (lateral) wedges inside the heel seat (Kirby)."""

    medial_depth_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=8.0, doc="medial heel skive depth (V: 2, 4, 6 mm; 8 extreme)"
    )
    lateral_depth_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=8.0, doc="lateral heel skive depth, for supinators (V)"
    )


@dataclass(**RECORD)
class HeelCupParams:
    """The heel cup: how high the rim stands above the heel seat."""

    depth_mm: float = param(
        0.0,
        unit="mm",
        lo=0.0,
        hi=30.0,
        doc="rim height above the heel seat at the heel centre; 0 leaves the rim as the foot "
        "shapes it (V: shallow 6-10, standard 12-14, deep 18-30 mm)",
    )


@dataclass(**RECORD)
class HeelLiftParams:
    """Heel lift: the heel raised, tapering off toward the metatarsal heads."""

    height_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=15.0, doc="raise under the heel (V: in-shoe up to 6.4 mm)"
    )
    full_length: bool = param(
        False,
        unit="",
        doc="taper to half height at the metatarsal heads and keep it to the toes (V, S53)",
    )


@dataclass(**RECORD)
class HeelSpurParams:
    """Heel spur relief: a smooth recess under the heel centre (E: no standard dimensions)."""

    depth_mm: float = param(0.0, unit="mm", lo=0.0, hi=8.0, doc="recess depth (E)")
    diameter_mm: float = param(
        25.0, unit="mm", lo=12.0, hi=45.0, doc="recess diameter at half its depth (E)"
    )
