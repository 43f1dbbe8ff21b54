"""Medial longitudinal arch support relative to total contact: cast fill and extra height.

Both are a ``dome`` centred on the arch apex: at ``apex_frac`` of foot length from the heel,
``ARCH_INSET_FRAC`` of the ball width in from the medial border (E: under the medial arch, where
it stands highest), reaching ``ARCH_HALF_LENGTH_FRAC`` of foot length along x and
``ARCH_HALF_WIDTH_FRAC`` of the ball width across, so it covers the medial 30 % of the width.
(A first choice of 0.22 / 0.22 reached over the flat middle of a low arch, where a fill is cut
short at the contact level; on the flat left dupontgu foot that moved the lowered area's centre
by 2.6 mm.)

- extra height raises the arch support above the foot by ``extra_height_mm`` at the apex;
- fill lowers it by ``fill_mm`` at the apex (cast fill on the positive, CLINICAL §3.1), but
  never below the contact level (the shell over the support plane): a foot whose arch is lower
  than the fill is filled flat, and the realized fill says how much was possible.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.anatomy import Anatomy, medial_y
from scan2insole.design.displacement import Displacement, top_only, zero
from scan2insole.design.domain import Domain
from scan2insole.design.falloff import dome, smooth_min
from scan2insole.profile import ArchParams

ARCH_INSET_FRAC = 0.15
ARCH_HALF_LENGTH_FRAC = 0.15
ARCH_HALF_WIDTH_FRAC = 0.15
FILL_BLEND_MM = 0.5


def arch_apex(anatomy: Anatomy, params: ArchParams) -> np.ndarray:
    """(2,) x, y of the arch support's apex."""
    x = anatomy.heel_x_mm + params.apex_frac * anatomy.foot_length_mm
    return np.array([x, float(medial_y(anatomy, x)) - ARCH_INSET_FRAC * anatomy.ball_width_mm])


def arch_dome(domain: Domain, anatomy: Anatomy, params: ArchParams) -> np.ndarray:
    """(ny, nx) the arch dome, 1 at the apex."""
    ax, ay = arch_apex(anatomy, params)
    r = np.hypot(
        (domain.x_mm - ax) / (ARCH_HALF_LENGTH_FRAC * anatomy.foot_length_mm),
        (domain.y_mm - ay) / (ARCH_HALF_WIDTH_FRAC * anatomy.ball_width_mm),
    )
    return dome(r)


def arch(domain: Domain, anatomy: Anatomy, params: ArchParams) -> Displacement:
    """The arch support's displacement of the top (against the base shell)."""
    if params.fill_mm == 0.0 and params.extra_height_mm == 0.0:
        return zero("arch", domain.x_mm.shape)
    shape = arch_dome(domain, anatomy, params)
    top = params.extra_height_mm * shape
    if params.fill_mm > 0.0:
        # the shell stands domain.plantar_mm above its contact level: lower at most that much
        lowered = smooth_min(params.fill_mm * shape, domain.plantar_mm, FILL_BLEND_MM)
        top = top - np.maximum(lowered, 0.0)
    return top_only("arch", top)
