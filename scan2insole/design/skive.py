"""Heel skives (Kirby 1992): a varus (medial) or valgus (lateral) wedge inside the heel seat.

On the positive, material is cut from the plantar heel by a plane; on the insole the heel seat is
raised up to that plane. Here the cutting plane runs along +x (no sagittal inclination: the
default "maximum" inclination of CLINICAL §3.3 is not modelled) and tilts in the frontal plane:

- it leaves the seat at ``SKIVE_START_MM`` to the skive's side of the heel centre, so the seat
  under the heel centre is untouched (E);
- its slope is set so that, on the heel centre's station, the raise reaches the asked depth
  ``SKIVE_FULL_FRAC`` of the way from the heel centre to the footprint border (E);
- the raise is ``min(max(plane - shell, 0), depth)``, both limits rounded over
  ``SKIVE_BLEND_MM`` (or half the depth if less): a wedge rising from the start line to a flat
  band at the full depth, like
  a cut that meets the heel's side. So the deepest point is the asked depth, exactly;
- along x it covers the heel to ``SKIVE_END_FRAC`` of foot length and falls off over
  ``SKIVE_FALL_MM``.

Depth is measured (CLINICAL §3.3) as the largest deviation of the skived heel surface from the
un-skived one, taken vertically (the seat is within a few degrees of level).
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.anatomy import Anatomy, lateral_y, medial_y
from scan2insole.design.displacement import Displacement, top_only, zero
from scan2insole.design.domain import Domain
from scan2insole.design.falloff import ramp, smooth_max, smooth_min
from scan2insole.heightmap import sample
from scan2insole.profile import SkiveParams
from scan2insole.records import HeightMap

SKIVE_START_MM = 5.0
SKIVE_FULL_FRAC = 0.55
SKIVE_END_FRAC = 0.28
SKIVE_FALL_MM = 15.0
SKIVE_BLEND_MM = 1.0


def skive_end_x(anatomy: Anatomy) -> float:
    """x where the skives have fallen to nothing."""
    return anatomy.heel_x_mm + SKIVE_END_FRAC * anatomy.foot_length_mm


def _one_side(
    domain: Domain, anatomy: Anatomy, shell: np.ndarray, depth: float, *, medial: bool
) -> np.ndarray:
    hx, hy = anatomy.heel_centre_mm
    sign = 1.0 if medial else -1.0
    border = float(medial_y(anatomy, hx) if medial else lateral_y(anatomy, hx))
    start = hy + sign * SKIVE_START_MM
    full = hy + SKIVE_FULL_FRAC * (border - hy)
    field = HeightMap(origin_mm=domain.origin_mm, cell_mm=domain.cell_mm, z_mm=shell)
    s_start, s_full = sample(field, np.array([[hx, start], [hx, full]]))
    # a blend narrower than half the depth keeps the rounded min above zero
    k = min(SKIVE_BLEND_MM, 0.5 * depth)
    # the plane passes a blend below the seat at the start line (so the rounded max is still 0
    # there) and a blend above the full depth at the full line (past the rounded min)
    p0 = s_start - k
    slope = (s_full + depth + k - p0) / abs(full - start)
    plane = p0 + slope * sign * (domain.y_mm - start)
    raised = smooth_max(plane - shell, np.zeros_like(shell), k)
    raise_mm = smooth_min(raised, np.full_like(shell, depth), k)
    x_end = skive_end_x(anatomy)
    side = ramp(sign * (domain.y_mm - hy), 0.0, SKIVE_START_MM)
    return raise_mm * side * ramp(domain.x_mm, x_end, x_end - SKIVE_FALL_MM)


def skive(domain: Domain, anatomy: Anatomy, shell: np.ndarray, params: SkiveParams) -> Displacement:
    """The skives' displacement of the top, computed against the base shell ``shell`` (ny, nx)."""
    if params.medial_depth_mm == 0.0 and params.lateral_depth_mm == 0.0:
        return zero("skive", shell.shape)
    top = np.zeros_like(shell)
    if params.medial_depth_mm > 0.0:
        top += _one_side(domain, anatomy, shell, params.medial_depth_mm, medial=True)
    if params.lateral_depth_mm > 0.0:
        top += _one_side(domain, anatomy, shell, params.lateral_depth_mm, medial=False)
    return top_only("skive", top)
