"""Pads measured back: the metatarsal pad, the metatarsal bar and the cuboid pad.

- ``met_pad_height_mm``; ``met_pad_apex_offset_mm``: the metatarsal-head line's x at the highest
  point's y minus that point's x (the highest point is a mesh vertex, hence
  ``PAD_APEX_TOL_MM``); ``met_pad_centre_x_mm`` / ``_y_mm``: centroid of the pad's upper half;
  ``met_pad_width_mm``: y extent of the area where the pad is at least half its height.
- ``met_bar_height_mm``; ``met_bar_offset_mm``: median over the ball of how far proximal of the
  head line the bar is half its height (its distal edge).
- ``cuboid_height_mm``; ``cuboid_centre_x_mm`` / ``_y_mm``: centroid of its upper half;
  ``cuboid_diameter_mm``: diameter of the circle as large as its upper half.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.anatomy import Anatomy, mth_line_x
from scan2insole.design.cuboid import cuboid_centre
from scan2insole.design.met_pad import met_pad_apex, met_pad_shape
from scan2insole.profile import Profile
from scan2insole.realized.context import Measuring
from scan2insole.realized.grid_measures import area_above, centroid, largest
from scan2insole.realized.mesh import MEASURE_CELL_MM, Grid
from scan2insole.realized.tolerances import (
    DIAMETER_TOL_MM,
    HEIGHT_TOL_MM,
    PAD_APEX_TOL_MM,
    POSITION_TOL_MM,
)
from scan2insole.realized.values import RealizedValue, value


def pad_values(m: Measuring) -> list[RealizedValue]:
    """Each pad the profile has: metatarsal pad, metatarsal bar, cuboid pad, in that order."""
    values: list[RealizedValue] = []
    if "met_pad" in m.refs:
        values += _met_pad(m.mesh.top - m.refs["met_pad"].top, m.grid, m.anatomy, m.profile)
    if "met_bar" in m.refs:
        values += _met_bar(m.mesh.top - m.refs["met_bar"].top, m.grid, m.anatomy, m.profile)
    if "cuboid" in m.refs:
        values += _cuboid(m.mesh.top - m.refs["cuboid"].top, m.grid, m.anatomy, m.profile)
    return values


def _cuboid(
    change: np.ndarray, grid: Grid, anatomy: Anatomy, profile: Profile
) -> list[RealizedValue]:
    height = largest(change, np.isfinite(change))
    out = [value("cuboid_height_mm", profile.cuboid.height_mm, height, HEIGHT_TOL_MM)]
    area = area_above(change, 0.5 * height) if height else 0.0
    out.append(
        value(
            "cuboid_diameter_mm",
            profile.cuboid.diameter_mm,
            2.0 * np.sqrt(area / np.pi) if height else None,
            DIAMETER_TOL_MM,
        )
    )
    c = centroid(change, grid)
    centre = cuboid_centre(anatomy)
    for i, axis in enumerate("xy"):
        out.append(
            value(
                f"cuboid_centre_{axis}_mm",
                float(centre[i]),
                None if c is None else c[i],
                POSITION_TOL_MM,
            )
        )
    return out


def _met_pad(
    change: np.ndarray, grid: Grid, anatomy: Anatomy, profile: Profile
) -> list[RealizedValue]:
    mp = profile.met_pad
    finite = np.isfinite(change)
    height = largest(change, finite)
    out = [value("met_pad_height_mm", mp.height_mm, height, HEIGHT_TOL_MM)]
    apex = met_pad_apex(anatomy, mp)
    if height is None:
        return out
    i = int(np.nanargmax(np.where(finite, change, -np.inf)))
    px, py = grid.x_mm.flat[i], grid.y_mm.flat[i]
    out.append(
        value(
            "met_pad_apex_offset_mm",
            mp.apex_offset_mm,
            float(mth_line_x(anatomy, py)) - px,
            PAD_APEX_TOL_MM,
        )
    )
    # the asked centroid of the pad's upper half, from its shape on a fine local grid
    u, v = np.meshgrid(np.arange(-60.0, 120.0, 0.25), np.arange(-40.0, 40.0, 0.25))
    w = np.clip(met_pad_shape(u, v, mp) - 0.5 * mp.height_mm, 0.0, None)
    asked = (apex[0] - float((w * u).sum() / w.sum()), apex[1] + float((w * v).sum() / w.sum()))
    c = centroid(change, grid)
    for k, axis in enumerate("xy"):
        out.append(
            value(
                f"met_pad_centre_{axis}_mm", asked[k], None if c is None else c[k], POSITION_TOL_MM
            )
        )
    out.append(
        value("met_pad_width_mm", mp.width_mm, _widest(change, 0.5 * height), POSITION_TOL_MM)
    )
    return out


def _widest(change: np.ndarray, level: float) -> float:
    """Largest y extent, over the grid's columns, of where ``change`` >= ``level``; each end
    interpolated linearly between the grid points either side of the crossing."""
    z = np.nan_to_num(change, nan=-np.inf)
    above = z >= level
    cols = np.nonzero(above.any(axis=0))[0]
    best = 0.0
    for j in cols:  # the pad's columns: a few dozen
        rows = np.nonzero(above[:, j])[0]
        lo, hi = rows[0], rows[-1]
        width = float(hi - lo) * MEASURE_CELL_MM
        for edge, step in ((lo, -1), (hi, 1)):
            nxt = edge + step
            if 0 <= nxt < z.shape[0] and np.isfinite(z[nxt, j]):
                width += MEASURE_CELL_MM * (z[edge, j] - level) / (z[edge, j] - z[nxt, j])
        best = max(best, width)
    return best


def _met_bar(
    change: np.ndarray, grid: Grid, anatomy: Anatomy, profile: Profile
) -> list[RealizedValue]:
    mb = profile.met_bar
    finite = np.isfinite(change)
    height = largest(change, finite)
    out = [value("met_bar_height_mm", mb.height_mm, height, HEIGHT_TOL_MM)]
    if height is None:
        return out
    half = 0.5 * height
    y1, y5 = anatomy.mth1_mm[1], anatomy.mth5_mm[1]
    ys = grid.y_mm[:, 0]
    rows = np.nonzero((ys <= max(y1, y5) - 5.0) & (ys >= min(y1, y5) + 5.0))[0]
    offsets = []
    for r in rows:  # one crossing per row of the ball (a few dozen rows)
        line = np.where(np.isfinite(change[r]), change[r], -np.inf)
        up = np.nonzero(line >= half)[0]
        if len(up) == 0 or up[-1] + 1 >= len(line) or not np.isfinite(line[up[-1] + 1]):
            continue
        j = up[-1]
        t = (line[j] - half) / (line[j] - line[j + 1])
        xc = grid.x_mm[r, j] + t * MEASURE_CELL_MM
        offsets.append(float(mth_line_x(anatomy, ys[r])) - xc)
    out.append(
        value(
            "met_bar_offset_mm",
            mb.offset_mm,
            float(np.median(offsets)) if offsets else None,
            POSITION_TOL_MM,
        )
    )
    return out
