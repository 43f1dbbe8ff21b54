"""Morton's extension (a raise under the 1st ray) and reverse Morton's (under the 2nd-5th heads).

The 1st ray is the strip from the medial border ``FIRST_RAY_WIDTH_FRAC`` of the ball width in
(E); the split between it and the lesser rays runs along x.

- Morton's (CLINICAL §3.5): under the distal half of the 1st metatarsal, the 1st MTPJ and the
  proximal phalanx: from ``MORTON_PROXIMAL_MM`` behind the 1st head to ``MORTON_DISTAL_MM`` ahead
  of it (E);
- reverse Morton's: under the 2nd-5th heads, from ``REVERSE_PROXIMAL_MM`` behind the head line
  to ``REVERSE_DISTAL_MM`` ahead of it (E).

Both are flat raises whose edges fall off over ``EXTENSION_FALL_MM`` (a C2 ``smoothstep``,
half height on the nominal edge).
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.anatomy import Anatomy, mth_line_x
from scan2insole.design.displacement import Displacement, top_only, zero
from scan2insole.design.domain import Domain
from scan2insole.design.falloff import band, ramp
from scan2insole.profile import MortonParams

FIRST_RAY_WIDTH_FRAC = 0.30
MORTON_PROXIMAL_MM = 35.0
MORTON_DISTAL_MM = 40.0
REVERSE_PROXIMAL_MM = 15.0
REVERSE_DISTAL_MM = 25.0
EXTENSION_FALL_MM = 6.0


def first_ray_split_y(anatomy: Anatomy) -> float:
    """y of the line between the 1st ray (medial, larger y) and the lesser rays."""
    return float(anatomy.mth1_mm[1]) - FIRST_RAY_WIDTH_FRAC * anatomy.ball_width_mm


def first_ray_weight(domain: Domain, anatomy: Anatomy) -> np.ndarray:
    """(ny, nx) 1 over the 1st ray, 0 over the lesser rays, half on the split."""
    split = first_ray_split_y(anatomy)
    h = 0.5 * EXTENSION_FALL_MM
    return ramp(domain.y_mm, split - h, split + h)


def morton(domain: Domain, anatomy: Anatomy, params: MortonParams) -> Displacement:
    """Morton's extension's raise of the top."""
    if params.extension_mm == 0.0:
        return zero("morton", domain.x_mm.shape)
    x1 = float(anatomy.mth1_mm[0])
    h = 0.5 * EXTENSION_FALL_MM
    along = band(domain.x_mm, x1 - MORTON_PROXIMAL_MM + h, x1 + MORTON_DISTAL_MM - h, fall=2 * h)
    return top_only("morton", params.extension_mm * along * first_ray_weight(domain, anatomy))


def reverse_morton(domain: Domain, anatomy: Anatomy, params: MortonParams) -> Displacement:
    """Reverse Morton's extension's raise of the top."""
    if params.reverse_mm == 0.0:
        return zero("reverse_morton", domain.x_mm.shape)
    ahead = domain.x_mm - mth_line_x(anatomy, domain.y_mm)
    h = 0.5 * EXTENSION_FALL_MM
    along = band(ahead, -REVERSE_PROXIMAL_MM + h, REVERSE_DISTAL_MM - h, fall=2 * h)
    lesser = 1.0 - first_ray_weight(domain, anatomy)
    return top_only("reverse_morton", params.reverse_mm * along * lesser)
