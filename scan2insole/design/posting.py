"""Rearfoot and forefoot posts: frontal-plane tilts (about +x) of the heel seat and the forefoot.

Sign (CLINICAL.md §3): varus + raises the medial side (+y), valgus - the lateral side.

- **Intrinsic rearfoot post** (in the top): the heel seat is tilted by adding the plane
  ``tan(angle) * (y - y_pivot)``, pivoting on the low side's outermost edge so material is only
  ever added (no point gets thinner). Bottom flat on z = 0.
- **Extrinsic rearfoot post** (a wedge under the heel): the shell's top keeps its shape, lifted
  uniformly by the wedge's thickest part ``T = tan|angle| * heel width``; the bottom under the
  heel becomes the wedge's ground face, lifted ``0 .. T`` off z = 0 so that it makes ``angle``
  with the shell's heel plane (zero lift on the side that must come up, for varus the medial
  edge). Standing on that face in a shoe, the heel seat tilts by ``angle``; the thickness grows by
  ``tan|angle| * (y - y_low)``, never shrinks. Printing: the flat midfoot and forefoot underside
  stays on the bed (z = 0); the wedge face rises off it at ``angle`` (<= 10 deg), a shallow
  overhang that needs support in FFF and nothing in powder-bed printing.
- **Forefoot post** (in the top): the same tilt from ``FOREFOOT_POST_PROXIMAL_MM`` behind the
  metatarsal heads to the toes; varus is thickest under the 1st MTH.

Each post runs at full angle over its region and falls to nothing over ``POST_FALL_MM`` with a
C2 ``smoothstep`` along x.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.anatomy import Anatomy
from scan2insole.design.displacement import Displacement, top_only, zero
from scan2insole.design.domain import Domain
from scan2insole.design.falloff import ramp
from scan2insole.profile import ForefootPostParams, RearfootPostParams

POST_FALL_MM = 15.0  # E: a post ends in a bevel, not a step
# E: a forefoot post (a wedge under the metatarsal area, CLINICAL §3.2) starts this far behind the
# rearmost metatarsal head, so it is at full angle under all five.
FOREFOOT_POST_PROXIMAL_MM = 25.0


def rearfoot_end_x(domain: Domain, params: RearfootPostParams) -> float:
    """x where the rearfoot post has fallen to nothing."""
    return float(domain.outline_mm[:, 0].min()) + params.length_mm


def forefoot_start_x(anatomy: Anatomy) -> float:
    """x from which the forefoot post is at full angle."""
    return float(min(anatomy.mth1_mm[0], anatomy.mth5_mm[0])) - FOREFOOT_POST_PROXIMAL_MM


def _tilt(domain: Domain, angle_deg: float, region: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``tan(angle) (y - pivot)`` times the weight, pivoting on the low side of ``region``."""
    ys = domain.outline_mm[region, 1]
    t = np.tan(np.radians(abs(angle_deg)))
    if angle_deg > 0:
        return t * (domain.y_mm - ys.min()) * w
    return t * (ys.max() - domain.y_mm) * w


def rearfoot_post(domain: Domain, params: RearfootPostParams) -> Displacement:
    """The rearfoot post's displacement (module docstring)."""
    if params.angle_deg == 0.0:
        return zero("rearfoot_post", domain.x_mm.shape)
    x_end = rearfoot_end_x(domain, params)
    w = ramp(domain.x_mm, x_end, x_end - POST_FALL_MM)
    region = domain.outline_mm[:, 0] <= x_end
    if params.kind == "intrinsic":
        return top_only("rearfoot_post", _tilt(domain, params.angle_deg, region, w))
    ys = domain.outline_mm[region, 1]
    t = np.tan(np.radians(abs(params.angle_deg)))
    top = t * (ys.max() - ys.min()) * w
    # the ground face: zero lift on the side the tilt raises, full lift on the other
    bottom = _tilt(domain, -params.angle_deg, region, w)
    return Displacement(name="rearfoot_post", top_mm=top, bottom_mm=bottom)


def forefoot_post(domain: Domain, anatomy: Anatomy, params: ForefootPostParams) -> Displacement:
    """The forefoot post's displacement (module docstring)."""
    if params.angle_deg == 0.0:
        return zero("forefoot_post", domain.x_mm.shape)
    x0 = forefoot_start_x(anatomy)
    w = ramp(domain.x_mm, x0 - POST_FALL_MM, x0)
    region = domain.outline_mm[:, 0] >= x0 - POST_FALL_MM
    return top_only("forefoot_post", _tilt(domain, params.angle_deg, region, w))
