"""Flanges: the shell's medial wall raised along the arch, or its lateral wall along the midfoot.

Height (CLINICAL §3.4 gives no number): how far the rim is raised above the un-flanged shell's
rim. The raise is ``height`` on the outline (flat for ``RIM_FLAT_MM`` inward), falls to nothing
``FLANGE_FALLOFF_MM`` in from it, and runs along x over the side's core with C2 ends over
``FLANGE_FALL_FRAC`` of foot length. Medial and lateral are split at the footprint's midline;
the fall-off is shorter than half the narrowest midfoot, so the split never shows.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.anatomy import Anatomy, lateral_y, medial_y
from scan2insole.design.displacement import Displacement, top_only, zero
from scan2insole.design.domain import Domain
from scan2insole.design.falloff import band, ramp
from scan2insole.profile import FlangeParams

RIM_FLAT_MM = 2.0
FLANGE_FALLOFF_MM = 10.0
# E: the medial flange follows the medial longitudinal arch, the lateral one the lateral column
# ahead of the heel cup; both stop short of the metatarsal heads.
MEDIAL_CORE_FRAC = (0.32, 0.55)
LATERAL_CORE_FRAC = (0.30, 0.55)
FLANGE_FALL_FRAC = 0.07


def flange_core_x(anatomy: Anatomy, *, medial: bool) -> tuple[float, float]:
    """x range over which a flange stands at full height."""
    lo, hi = MEDIAL_CORE_FRAC if medial else LATERAL_CORE_FRAC
    return (
        anatomy.heel_x_mm + lo * anatomy.foot_length_mm,
        anatomy.heel_x_mm + hi * anatomy.foot_length_mm,
    )


def _one_side(domain: Domain, anatomy: Anatomy, height: float, *, medial: bool) -> np.ndarray:
    lo, hi = flange_core_x(anatomy, medial=medial)
    along = band(domain.x_mm, lo, hi, fall=FLANGE_FALL_FRAC * anatomy.foot_length_mm)
    inward = ramp(domain.dist_mm, FLANGE_FALLOFF_MM, RIM_FLAT_MM)
    mid = 0.5 * (medial_y(anatomy, domain.x_mm) + lateral_y(anatomy, domain.x_mm))
    side = domain.y_mm >= mid if medial else domain.y_mm < mid
    return height * along * inward * side


def flanges(domain: Domain, anatomy: Anatomy, params: FlangeParams) -> Displacement:
    """The flanges' raise of the top."""
    if params.medial_height_mm == 0.0 and params.lateral_height_mm == 0.0:
        return zero("flanges", domain.x_mm.shape)
    top = np.zeros_like(domain.x_mm)
    if params.medial_height_mm > 0.0:
        top += _one_side(domain, anatomy, params.medial_height_mm, medial=True)
    if params.lateral_height_mm > 0.0:
        top += _one_side(domain, anatomy, params.lateral_height_mm, medial=False)
    return top_only("flanges", top)
