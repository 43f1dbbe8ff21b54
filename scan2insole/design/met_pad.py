"""Metatarsal pad (a teardrop dome) and metatarsal bar (a transverse raise).

**Pad** (CLINICAL §3.5): it rises from the metatarsal bases, widens to its apex just proximal
to the metatarsal heads, then thins to end at the head line. The apex lies ``apex_offset_mm``
proximal (along -x) of the metatarsal-head line, under the 2nd head, taken ``MET_PAD_Y_FRAC`` of
the way from the 1st head to the 5th along the line (E). In local coordinates u (proximal
distance from the apex) and v (y from the apex) the pad is
``height * dome(u / L) * dome(v / half_width(u))``. Its width is given at half height across the
apex, so its base is ``width / DOME_HALF_R`` (2.2 x) wide; L = ``MET_PAD_LENGTH_FACTOR`` x that
base proximally (the pad starts at the metatarsal bases) and L = max(offset,
``MET_PAD_MIN_DISTAL_MM``) distally, and the half width shrinks by ``MET_PAD_TAPER`` toward the
proximal end (the teardrop).

**Bar** (CLINICAL §3.5, S57): across the whole width, following the head line: a distal bevel
over ``BAR_DISTAL_BEVEL_MM``, a flat top of ``BAR_TOP_MM`` and a proximal bevel over
``BAR_PROXIMAL_BEVEL_MM``. The bar is half its height at ``offset_mm`` proximal of the line
(its distal edge).
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.anatomy import Anatomy, mth_line_x
from scan2insole.design.displacement import Displacement, top_only, zero
from scan2insole.design.domain import Domain
from scan2insole.design.falloff import DOME_HALF_R, dome, ramp
from scan2insole.profile import MetBarParams, MetPadParams

MET_PAD_Y_FRAC = 0.38
MET_PAD_LENGTH_FACTOR = 1.2
MET_PAD_MIN_DISTAL_MM = 4.0
MET_PAD_TAPER = 0.5
BAR_DISTAL_BEVEL_MM = 10.0
BAR_TOP_MM = 5.0
BAR_PROXIMAL_BEVEL_MM = 25.0


def met_pad_apex(anatomy: Anatomy, params: MetPadParams) -> np.ndarray:
    """(2,) x, y of the pad's apex."""
    y1, y5 = anatomy.mth1_mm[1], anatomy.mth5_mm[1]
    y = y1 + MET_PAD_Y_FRAC * (y5 - y1)
    return np.array([float(mth_line_x(anatomy, y)) - params.apex_offset_mm, y])


def met_pad_shape(u_mm: np.ndarray, v_mm: np.ndarray, params: MetPadParams) -> np.ndarray:
    """The pad's height in its local coordinates (u proximal from the apex, v across), mm."""
    base = params.width_mm / DOME_HALF_R
    proximal = MET_PAD_LENGTH_FACTOR * base
    distal = max(params.apex_offset_mm, MET_PAD_MIN_DISTAL_MM)
    along = np.where(u_mm >= 0.0, dome(u_mm / proximal), dome(u_mm / distal))
    half = 0.5 * base * (1.0 - MET_PAD_TAPER * np.clip(u_mm / proximal, 0.0, 1.0))
    return params.height_mm * along * dome(v_mm / half)


def met_pad(domain: Domain, anatomy: Anatomy, params: MetPadParams) -> Displacement:
    """The metatarsal pad's raise of the top."""
    if params.height_mm == 0.0:
        return zero("met_pad", domain.x_mm.shape)
    ax, ay = met_pad_apex(anatomy, params)
    return top_only("met_pad", met_pad_shape(ax - domain.x_mm, domain.y_mm - ay, params))


def met_bar(domain: Domain, anatomy: Anatomy, params: MetBarParams) -> Displacement:
    """The metatarsal bar's raise of the top."""
    if params.height_mm == 0.0:
        return zero("met_bar", domain.x_mm.shape)
    s = mth_line_x(anatomy, domain.y_mm) - domain.x_mm  # proximal distance from the line
    d0 = params.offset_mm - 0.5 * BAR_DISTAL_BEVEL_MM
    d1 = params.offset_mm + 0.5 * BAR_DISTAL_BEVEL_MM
    p0 = d1 + BAR_TOP_MM
    rise = ramp(s, d0, d1) * ramp(s, p0 + BAR_PROXIMAL_BEVEL_MM, p0)
    return top_only("met_bar", params.height_mm * rise)
