"""Profile sections for the insole's body: its outline, its thicknesses and the printer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scan2insole.profile.param import RECORD, param


@dataclass(**RECORD)
class OutlineParams:
    """The insole's outline over the ground: its length and how far it stands off the foot."""

    length: Literal["full", "sulcus", "three_quarter"] = param(
        "full",
        unit="",
        doc="full (to the toes), sulcus (ends behind the toes) or three_quarter (ends proximal "
        "to the metatarsal heads) (V, CLINICAL 3.6)",
    )
    margin_mm: float = param(
        1.5, unit="mm", lo=-5.0, hi=10.0, doc="outline = foot footprint offset outward by this (E)"
    )
    shoe_size_system: Literal["none", "eu", "uk", "us_men", "us_women", "mondopoint"] = param(
        "none",
        unit="",
        doc="none (outline from the foot) or the size system of shoe_size: eu, uk, us_men, "
        "us_women, mondopoint (CLINICAL 5)",
    )
    shoe_size: float = param(
        0.0,
        unit="",
        lo=0.0,
        hi=400.0,
        doc="shoe size; a full-length outline is stretched ahead of the ball to the last length "
        "it implies (EU x 2/3 cm; UK (n + 25)/3 in; US men (n + 24)/3 in; US women "
        "(n + 23)/3 in; Mondopoint foot length + 15 mm)",
    )
    sulcus_offset_mm: float = param(
        20.0,
        unit="mm",
        lo=5.0,
        hi=40.0,
        doc="sulcus length: the distal edge lies this far distal of the metatarsal-head line (E)",
    )
    frame_margin_mm: float = param(
        5.0,
        unit="mm",
        lo=0.0,
        hi=15.0,
        doc="three_quarter length: the distal edge lies this far proximal of the "
        "metatarsal-head line (E, CLINICAL 3.6 suggests 3-8 mm)",
    )


@dataclass(**RECORD)
class ShellParams:
    """Thicknesses of the insole body."""

    base_thickness_mm: float = param(
        3.0, unit="mm", lo=1.0, hi=15.0, doc="thickness under the weight-bearing contact areas"
    )
    min_thickness_mm: float = param(
        1.5,
        unit="mm",
        lo=0.8,
        hi=10.0,
        doc="thinnest the printed part may be anywhere (print check)",
    )
    top_cover_mm: float = param(
        0.0,
        unit="mm",
        lo=0.0,
        hi=6.0,
        doc="uniform layer over the whole top, e.g. printed softer for cushioning (U: 1.6-3.2 mm)",
    )


@dataclass(**RECORD)
class PrintParams:
    """The machine the insole is printed on."""

    bed_x_mm: float = param(250.0, unit="mm", lo=50.0, hi=1000.0, doc="build plate length")
    bed_y_mm: float = param(210.0, unit="mm", lo=50.0, hi=1000.0, doc="build plate width")
    max_height_mm: float = param(
        60.0, unit="mm", lo=5.0, hi=500.0, doc="tallest insole the print checks accept"
    )
