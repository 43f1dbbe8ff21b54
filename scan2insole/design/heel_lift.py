"""Heel lift: the heel raised, tapering toward the metatarsal heads (CLINICAL §3.6).

Full height from the heel end to ``LIFT_FULL_FRAC`` of foot length (E), then a C2 taper to the
metatarsal heads (the mean x of the 1st and 5th): to nothing, or, with ``full_length``, to half
height, kept to the toes (the full-length lift recommended above 6.4 mm, V S53).
"""

from __future__ import annotations

from scan2insole.design.anatomy import Anatomy
from scan2insole.design.displacement import Displacement, top_only, zero
from scan2insole.design.domain import Domain
from scan2insole.design.falloff import ramp
from scan2insole.profile import HeelLiftParams

LIFT_FULL_FRAC = 0.25


def heel_lift(domain: Domain, anatomy: Anatomy, params: HeelLiftParams) -> Displacement:
    """The heel lift's raise of the top."""
    if params.height_mm == 0.0:
        return zero("heel_lift", domain.x_mm.shape)
    full = anatomy.heel_x_mm + LIFT_FULL_FRAC * anatomy.foot_length_mm
    heads = 0.5 * float(anatomy.mth1_mm[0] + anatomy.mth5_mm[0])
    keep = 0.5 if params.full_length else 0.0
    taper = keep + (1.0 - keep) * ramp(domain.x_mm, heads, full)
    return top_only("heel_lift", params.height_mm * taper)
