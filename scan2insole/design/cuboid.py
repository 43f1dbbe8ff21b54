"""Cuboid pad (lateral column support): a dome under the cuboid (CLINICAL §3.4, no numbers).

Centred ``CUBOID_X_FRAC`` of foot length from the heel and ``CUBOID_INSET_FRAC`` of the ball
width in from the lateral border (E: the cuboid lies behind the 4th and 5th metatarsal bases),
``height * dome(r / radius)``; the diameter is given at half height, so the base radius is
``diameter / 2 / DOME_HALF_R``.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.anatomy import Anatomy, lateral_y
from scan2insole.design.displacement import Displacement, top_only, zero
from scan2insole.design.domain import Domain
from scan2insole.design.falloff import DOME_HALF_R, dome
from scan2insole.profile import CuboidParams

CUBOID_X_FRAC = 0.36
CUBOID_INSET_FRAC = 0.2


def cuboid_centre(anatomy: Anatomy) -> np.ndarray:
    """(2,) x, y of the cuboid pad's apex."""
    x = anatomy.heel_x_mm + CUBOID_X_FRAC * anatomy.foot_length_mm
    return np.array([x, float(lateral_y(anatomy, x)) + CUBOID_INSET_FRAC * anatomy.ball_width_mm])


def cuboid(domain: Domain, anatomy: Anatomy, params: CuboidParams) -> Displacement:
    """The cuboid pad's raise of the top."""
    if params.height_mm == 0.0:
        return zero("cuboid", domain.x_mm.shape)
    cx, cy = cuboid_centre(anatomy)
    r = np.hypot(domain.x_mm - cx, domain.y_mm - cy) / (0.5 * params.diameter_mm / DOME_HALF_R)
    return top_only("cuboid", params.height_mm * dome(r))
