"""First-ray cut-out: the top lowered under the 1st metatarsal head, so the 1st ray can drop.

A flat recess ``depth_mm`` deep over the 1st ray strip (``morton.first_ray_weight``) from
``CUTOUT_HALF_LENGTH_MM`` behind to as far ahead of the 1st head (E), its edges falling off over
``morton.EXTENSION_FALL_MM``. The profile guarantees base + top cover - depth >= the minimum
thickness.
"""

from __future__ import annotations

from scan2insole.design.anatomy import Anatomy
from scan2insole.design.displacement import Displacement, top_only, zero
from scan2insole.design.domain import Domain
from scan2insole.design.falloff import band
from scan2insole.design.morton import EXTENSION_FALL_MM, first_ray_weight
from scan2insole.profile import FirstRayParams

CUTOUT_HALF_LENGTH_MM = 15.0


def first_ray(domain: Domain, anatomy: Anatomy, params: FirstRayParams) -> Displacement:
    """The first-ray cut-out's (negative) displacement of the top."""
    if params.depth_mm == 0.0:
        return zero("first_ray", domain.x_mm.shape)
    x1 = float(anatomy.mth1_mm[0])
    h = 0.5 * EXTENSION_FALL_MM
    along = band(
        domain.x_mm, x1 - CUTOUT_HALF_LENGTH_MM + h, x1 + CUTOUT_HALF_LENGTH_MM - h, fall=2 * h
    )
    return top_only("first_ray", -params.depth_mm * along * first_ray_weight(domain, anatomy))
