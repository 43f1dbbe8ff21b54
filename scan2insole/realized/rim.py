"""The rim measured back: the heel cup's depth and the flanges' heights.

- ``heel_cup_depth_mm``: highest rim point over the rear ``heel_cup.CUP_FULL_FRAC`` of the foot
  minus the heel seat (mean top within ``SEAT_RADIUS_MM`` of the heel centre, read on the design
  without a heel-spur recess when there is one: the heel bridges the recess).
- ``medial_flange_mm`` / ``lateral_flange_mm``: the largest rise of the rim over the un-flanged
  one, along the flange's core.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scan2insole.design.anatomy import Anatomy, lateral_y, medial_y
from scan2insole.design.flanges import flange_core_x
from scan2insole.design.heel_cup import SEAT_RADIUS_MM, cup_full_x
from scan2insole.realized.context import Measuring
from scan2insole.realized.mesh import Grid, Mesh
from scan2insole.realized.tolerances import HEIGHT_TOL_MM
from scan2insole.realized.values import RealizedValue, value


def _rim_rise(mesh: Mesh, ref: Mesh, region_of: Any) -> float | None:
    if len(mesh.rim) != len(ref.rim) or not np.allclose(mesh.rim[:, :2], ref.rim[:, :2]):
        raise RuntimeError("the two exports do not share an outline")  # a bug in the references
    sel = region_of(mesh.rim[:, 0], mesh.rim[:, 1])
    return float((mesh.rim[sel, 2] - ref.rim[sel, 2]).max()) if sel.any() else None


def _heel_seat(mesh: Mesh, grid: Grid, anatomy: Anatomy) -> float:
    hx, hy = anatomy.heel_centre_mm
    near = np.hypot(grid.x_mm - hx, grid.y_mm - hy) <= SEAT_RADIUS_MM
    return float(np.nanmean(mesh.top[near]))


def rim_values(m: Measuring) -> list[RealizedValue]:
    """The heel cup's depth (always: it is absolute) and the flanges' heights where asked."""
    mesh, refs, profile, anatomy = m.mesh, m.refs, m.profile, m.anatomy
    seat_mesh = refs.get("heel_spur", mesh)
    rim = mesh.rim[mesh.rim[:, 0] <= cup_full_x(anatomy)]
    depth = float(rim[:, 2].max()) - _heel_seat(seat_mesh, m.grid, anatomy) if len(rim) else None
    asked_depth = profile.heel_cup.depth_mm if profile.heel_cup.depth_mm > 0 else None
    values = [value("heel_cup_depth_mm", asked_depth, depth, HEIGHT_TOL_MM)]
    if "flanges" in refs:
        for side_name, medial, asked in (
            ("medial", True, profile.flanges.medial_height_mm),
            ("lateral", False, profile.flanges.lateral_height_mm),
        ):
            if asked == 0.0:
                continue
            lo, hi = flange_core_x(anatomy, medial=medial)

            def region(rx: np.ndarray, ry: np.ndarray, lo=lo, hi=hi, medial=medial) -> np.ndarray:
                mid = 0.5 * (medial_y(anatomy, rx) + lateral_y(anatomy, rx))
                return (rx >= lo) & (rx <= hi) & ((ry >= mid) == medial)

            values.append(
                value(
                    f"{side_name}_flange_mm",
                    asked,
                    _rim_rise(mesh, refs["flanges"], region),
                    HEIGHT_TOL_MM,
                )
            )
    return values
