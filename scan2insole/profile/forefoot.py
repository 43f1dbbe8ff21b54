"""Profile sections under the forefoot: forefoot post, metatarsal pad and bar, Morton's
extensions and the first-ray cut-out."""

from __future__ import annotations

from dataclasses import dataclass

from scan2insole.profile.param import RECORD, param


@dataclass(**RECORD)
class ForefootPostParams:
    """Forefoot post: a frontal-plane tilt of the forefoot, built into the top (CLINICAL 3.2)."""

    angle_deg: float = param(
        0.0,
        unit="deg",
        lo=-10.0,
        hi=10.0,
        doc="forefoot tilt about +x from the metatarsal heads forward; varus + (thickest under "
        "the 1st MTH), valgus -",
    )


@dataclass(**RECORD)
class MetPadParams:
    """Metatarsal pad: a teardrop dome just proximal to the metatarsal heads."""

    height_mm: float = param(0.0, unit="mm", lo=0.0, hi=8.0, doc="apex height (U: 3-6 mm)")
    apex_offset_mm: float = param(
        8.0,
        unit="mm",
        lo=0.0,
        hi=20.0,
        doc="apex this far proximal of the metatarsal-head line, under the 2nd MTH (V: 6-11 mm)",
    )
    width_mm: float = param(
        18.0,
        unit="mm",
        lo=8.0,
        hi=30.0,
        doc="pad width across its apex at half its height (E; the base is 2.2 x wider)",
    )


@dataclass(**RECORD)
class MetBarParams:
    """Metatarsal bar: a transverse raise behind the metatarsal heads."""

    height_mm: float = param(0.0, unit="mm", lo=0.0, hi=8.0, doc="bar height (V shape, S57)")
    offset_mm: float = param(
        5.0,
        unit="mm",
        lo=0.0,
        hi=20.0,
        doc="distal edge (where the bar is half its height) this far proximal of the "
        "metatarsal-head line",
    )


@dataclass(**RECORD)
class MortonParams:
    """Morton's extension (under the 1st ray) and reverse Morton's (under the 2nd-5th MTHs)."""

    extension_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=6.0, doc="Morton's extension height (V: 1/8 in = 3.2 mm)"
    )
    reverse_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=6.0, doc="reverse Morton's extension height (V)"
    )


@dataclass(**RECORD)
class FirstRayParams:
    """First-ray cut-out: the top lowered under the 1st metatarsal head."""

    depth_mm: float = param(0.0, unit="mm", lo=0.0, hi=6.0, doc="recess depth (E)")
