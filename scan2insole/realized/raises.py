"""Raises and recesses of a set height measured back: Morton's extensions, the heel lift, the
heel-spur relief and the first-ray cut-out.

- ``morton_extension_mm`` / ``reverse_morton_mm`` / ``heel_lift_mm``: largest rise (the lift:
  median rise over the heel seat).
- ``heel_spur_depth_mm`` / ``first_ray_depth_mm``: largest drop; ``heel_spur_diameter_mm``: the
  diameter of the circle as large as the area where the drop is at least half the depth.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.heel_lift import LIFT_FULL_FRAC
from scan2insole.realized.context import Measuring, seat_core
from scan2insole.realized.grid_measures import area_above, largest
from scan2insole.realized.tolerances import DIAMETER_TOL_MM, HEIGHT_TOL_MM
from scan2insole.realized.values import RealizedValue, value


def raise_values(m: Measuring) -> list[RealizedValue]:
    """Each of these features the profile has, in that order."""
    mesh, refs, profile = m.mesh, m.refs, m.profile
    values: list[RealizedValue] = []
    for name, asked in (
        ("morton", profile.morton.extension_mm),
        ("reverse_morton", profile.morton.reverse_mm),
    ):
        if name in refs:
            change = mesh.top - refs[name].top
            label = "morton_extension_mm" if name == "morton" else "reverse_morton_mm"
            values.append(value(label, asked, largest(change, np.isfinite(change)), HEIGHT_TOL_MM))
    if "heel_lift" in refs:
        rise = mesh.top - refs["heel_lift"].top
        lift_x1 = m.anatomy.heel_x_mm + LIFT_FULL_FRAC * m.anatomy.foot_length_mm
        core = seat_core(m) & (m.grid.x_mm <= lift_x1) & np.isfinite(rise)
        lift = float(np.median(rise[core])) if core.any() else None
        values.append(value("heel_lift_mm", profile.heel_lift.height_mm, lift, HEIGHT_TOL_MM))
    if "heel_spur" in refs:
        drop = refs["heel_spur"].top - mesh.top
        d = largest(drop, np.isfinite(drop))
        values.append(value("heel_spur_depth_mm", profile.heel_spur.depth_mm, d, HEIGHT_TOL_MM))
        area = area_above(drop, 0.5 * d) if d else 0.0
        values.append(
            value(
                "heel_spur_diameter_mm",
                profile.heel_spur.diameter_mm,
                2.0 * np.sqrt(area / np.pi) if d else None,
                DIAMETER_TOL_MM,
            )
        )
    if "first_ray" in refs:
        drop = refs["first_ray"].top - mesh.top
        values.append(
            value(
                "first_ray_depth_mm",
                profile.first_ray.depth_mm,
                largest(drop, np.isfinite(drop)),
                HEIGHT_TOL_MM,
            )
        )
    return values
