"""The arch support measured back.

- ``arch_extra_height_mm`` / ``arch_fill_mm``: largest rise / drop of the top against the design
  without arch support; ``arch_apex_x_mm``: x of the centroid of the upper half of that change.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.arch import arch_apex
from scan2insole.realized.context import Measuring
from scan2insole.realized.grid_measures import centroid, largest
from scan2insole.realized.tolerances import ARCH_APEX_TOL_MM, HEIGHT_TOL_MM
from scan2insole.realized.values import RealizedValue, value


def arch_values(m: Measuring) -> list[RealizedValue]:
    """The arch's extra height and cast fill where asked, and its apex, when it is active."""
    if "arch" not in m.refs:
        return []
    change = m.mesh.top - m.refs["arch"].top
    inside = np.isfinite(change)
    ap = m.profile.arch
    values: list[RealizedValue] = []
    if ap.extra_height_mm > 0.0:
        values.append(
            value(
                "arch_extra_height_mm",
                ap.extra_height_mm,
                largest(change, inside),
                HEIGHT_TOL_MM,
            )
        )
    if ap.fill_mm > 0.0:
        values.append(value("arch_fill_mm", ap.fill_mm, largest(-change, inside), HEIGHT_TOL_MM))
    c = centroid(np.abs(change), m.grid)
    values.append(
        value(
            "arch_apex_x_mm",
            float(arch_apex(m.anatomy, ap)[0]),
            None if c is None else c[0],
            ARCH_APEX_TOL_MM,
        )
    )
    return values
