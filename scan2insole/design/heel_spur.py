"""Heel spur relief: a smooth recess in the top under the heel centre (CLINICAL §3.6, E).

A flat-bottomed recess ``depth_mm`` deep, centred on the heel centre, whose wall falls over
``SPUR_WALL_MM`` (a C2 ``smoothstep``) so that it is half as deep at ``diameter_mm / 2`` from
the centre: ``diameter_mm`` is the recess's diameter at half depth. The profile guarantees that
base + top cover + heel lift - depth >= the minimum thickness.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.anatomy import Anatomy
from scan2insole.design.displacement import Displacement, top_only, zero
from scan2insole.design.domain import Domain
from scan2insole.design.falloff import ramp
from scan2insole.profile import HeelSpurParams

SPUR_WALL_MM = 6.0


def heel_spur(domain: Domain, anatomy: Anatomy, params: HeelSpurParams) -> Displacement:
    """The heel-spur relief's (negative) displacement of the top."""
    if params.depth_mm == 0.0:
        return zero("heel_spur", domain.x_mm.shape)
    hx, hy = anatomy.heel_centre_mm
    r = np.hypot(domain.x_mm - hx, domain.y_mm - hy)
    half = 0.5 * params.diameter_mm
    recess = ramp(r, half + 0.5 * SPUR_WALL_MM, half - 0.5 * SPUR_WALL_MM)
    return top_only("heel_spur", -params.depth_mm * recess)
