"""The heel cup: the rim round the heel set to a given height above the heel seat.

Depth (CLINICAL §3.3): height of the cup's rim above the heel seat. Here the seat level is the
mean top height within ``SEAT_RADIUS_MM`` of the heel centre (the point the heel rests on,
measured without a heel-spur recess, which the heel bridges), and the rim is the top along the
outline from the heel end to ``CUP_FULL_FRAC`` of foot length (posterior, medial and lateral).

A total-contact shell already climbs the heel's sides (the plantar map follows the sole up to
where it turns steep), so the foot alone makes a cup of some depth. The cup feature sets the
rim to ``seat + depth`` whichever way that is: it moves the top by ``seat + depth - top`` times
two weights that are 1 on the rim and fall off smoothly: inward from the outline (flat for
``RIM_FLAT_MM``, gone at ``CUP_FALLOFF_MM``) and forward along x (gone at ``CUP_END_FRAC``). A
deeper cup raises the walls, a shallower one trims them, but never below ``floor_mm`` (the
bottom plus the minimum thickness: a wedge under the heel may lift the bottom near the rim, and
a trimmed wall must still be thick enough). It is built last among the top's features because it
aims at an absolute height; a depth of 0 leaves the foot's own rim.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.anatomy import Anatomy
from scan2insole.design.displacement import Displacement, top_only, zero
from scan2insole.design.domain import Domain
from scan2insole.design.falloff import ramp, smooth_max
from scan2insole.profile import HeelCupParams

CUP_FULL_FRAC = 0.20  # E: the cup wall wraps the heel, the rear fifth of the foot
CUP_END_FRAC = 0.30  # E: and blends into the midfoot by here
RIM_FLAT_MM = 2.0  # E: outline vertices (and their grid neighbours) all sit on the flat rim
CUP_FALLOFF_MM = 12.0  # E: the wall's inner face, from rim to seat
SEAT_RADIUS_MM = 4.0  # E: the heel seat level is an average, not one noisy cell
FLOOR_BLEND_MM = 0.5


def cup_full_x(anatomy: Anatomy) -> float:
    """x up to which the rim stands at full cup height."""
    return anatomy.heel_x_mm + CUP_FULL_FRAC * anatomy.foot_length_mm


def seat_level_mm(domain: Domain, anatomy: Anatomy, top_mm: np.ndarray) -> float:
    """Mean of ``top_mm`` within ``SEAT_RADIUS_MM`` of the heel centre."""
    hx, hy = anatomy.heel_centre_mm
    near = np.hypot(domain.x_mm - hx, domain.y_mm - hy) <= SEAT_RADIUS_MM
    return float(top_mm[near].mean())


def heel_cup(
    domain: Domain,
    anatomy: Anatomy,
    top_mm: np.ndarray,
    *,
    seat_top_mm: np.ndarray,
    floor_mm: np.ndarray,
    params: HeelCupParams,
) -> Displacement:
    """The cup's displacement of ``top_mm`` (ny, nx); ``seat_top_mm`` is the top the seat is
    read from (the top without the heel-spur recess), ``floor_mm`` (ny, nx) the lowest the top
    may be trimmed to."""
    if params.depth_mm == 0.0:
        return zero("heel_cup", top_mm.shape)
    rim = seat_level_mm(domain, anatomy, seat_top_mm) + params.depth_mm
    x_full = cup_full_x(anatomy)
    x_end = anatomy.heel_x_mm + CUP_END_FRAC * anatomy.foot_length_mm
    along = ramp(domain.x_mm, x_end, x_full)
    inward = ramp(domain.dist_mm, CUP_FALLOFF_MM, RIM_FLAT_MM)
    target = smooth_max(np.full_like(top_mm, rim), floor_mm, FLOOR_BLEND_MM)
    return top_only("heel_cup", along * inward * (target - top_mm))
