"""Posts and skives measured back: the frontal-plane tilts and the heel-seat wedges.

- ``rearfoot_post_deg`` / ``forefoot_post_deg``: the frontal-plane angle between the top and the
  bottom over the heel seat / forefoot, relative to the same design with zero post: from
  least-squares planes fitted to the two surfaces' differences, ``atan(top slope) - atan(bottom
  slope)`` about +x (varus +). An intrinsic post tilts the top, an extrinsic one the bottom.
- ``medial_skive_mm`` / ``lateral_skive_mm``: the largest rise of the heel seat over the
  un-skived one, on that side of the heel centre.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.heel_cup import cup_full_x
from scan2insole.design.posting import POST_FALL_MM, forefoot_start_x
from scan2insole.design.skive import SKIVE_FALL_MM, skive_end_x
from scan2insole.realized.context import FOREFOOT_CLEAR_MM, Measuring, seat_core
from scan2insole.realized.grid_measures import largest, slope_y
from scan2insole.realized.mesh import Grid, Mesh
from scan2insole.realized.tolerances import ANGLE_TOL_DEG, HEIGHT_TOL_MM
from scan2insole.realized.values import RealizedValue, value


def _post(
    name: str, asked: float, core: np.ndarray, mesh: Mesh, ref: Mesh, grid: Grid
) -> RealizedValue:
    ok = core & np.isfinite(mesh.top) & np.isfinite(ref.top)
    ok &= np.isfinite(mesh.bottom) & np.isfinite(ref.bottom)
    if ok.sum() < 20:
        return value(name, asked, None, ANGLE_TOL_DEG)
    x, y = grid.x_mm[ok], grid.y_mm[ok]
    top = slope_y(mesh.top[ok] - ref.top[ok], x, y)
    bottom = slope_y(mesh.bottom[ok] - ref.bottom[ok], x, y)
    angle = float(np.degrees(np.arctan(top) - np.arctan(bottom)))
    return value(name, asked, angle, ANGLE_TOL_DEG)


def posting_values(m: Measuring) -> list[RealizedValue]:
    """The posts' angles and the skives' depths, where the profile has them."""
    mesh, refs, profile, anatomy = m.mesh, m.refs, m.profile, m.anatomy
    x, y = m.grid.x_mm, m.grid.y_mm
    values: list[RealizedValue] = []
    if "rearfoot_post" in refs:
        rp = profile.rearfoot_post
        x1 = min(mesh.x_min_mm + rp.length_mm - POST_FALL_MM, cup_full_x(anatomy))
        core = seat_core(m) & (x <= x1)
        values.append(
            _post("rearfoot_post_deg", rp.angle_deg, core, mesh, refs["rearfoot_post"], m.grid)
        )
    if "forefoot_post" in refs:
        core = (x >= forefoot_start_x(anatomy)) & (m.dist_mm >= FOREFOOT_CLEAR_MM)
        values.append(
            _post(
                "forefoot_post_deg",
                profile.forefoot_post.angle_deg,
                core,
                mesh,
                refs["forefoot_post"],
                m.grid,
            )
        )
    if "skive" in refs:
        rise = mesh.top - refs["skive"].top
        heel = x <= skive_end_x(anatomy) - SKIVE_FALL_MM
        hy = anatomy.heel_centre_mm[1]
        for side_name, sel, asked in (
            ("medial", y > hy, profile.skive.medial_depth_mm),
            ("lateral", y < hy, profile.skive.lateral_depth_mm),
        ):
            if asked > 0.0:
                values.append(
                    value(f"{side_name}_skive_mm", asked, largest(rise, heel & sel), HEIGHT_TOL_MM)
                )
    return values
