"""The insole's body measured back: its length and thicknesses.

- ``length_mm``: x extent of the mesh; asked: the chosen outline's length
  (``design.outline.asked_length_mm``).
- ``min_thickness_mm``: least vertical thickness one millimetre in from the rim; must be at least
  the profile's minimum.
- ``base_thickness_mm``: median vertical thickness where the sole rests on the support plane
  (plantar height <= ``CONTACT_HEIGHT_MM``) and no feature moved either surface, minus the
  realized top cover.
- ``top_cover_mm``: median lift of the top against the same design without the cover.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from scan2insole.design.outline import asked_length_mm
from scan2insole.heightmap import sample
from scan2insole.realized.context import FOREFOOT_CLEAR_MM, Measuring
from scan2insole.realized.mesh import Mesh, read_insole
from scan2insole.realized.references import exported_stl, switched_off
from scan2insole.realized.tolerances import HEIGHT_TOL_MM, LENGTH_TOL_MM, UNMOVED_MM
from scan2insole.realized.values import RealizedValue, value

# The sole rests on the support plane where its plantar height is this close to z = 0 (the
# plantar map is clipped at the plane): there the shell is exactly base (+ cover) thick.
CONTACT_HEIGHT_MM = 0.05


def _plain(m: Measuring) -> Mesh:
    """The design with every active feature switched off."""
    if not m.active:
        return m.mesh
    if len(m.active) == 1 and m.refs:  # that one feature's reference (not the heel cup's: none)
        return next(iter(m.refs.values()))
    all_off = [n for n, _ in m.active]
    return switched_off(m.analysis, m.profile, all_off, side=m.side, grid=m.grid)


def shell_values(m: Measuring) -> list[RealizedValue]:
    """``length_mm``, ``min_thickness_mm``, ``top_cover_mm`` (when asked), ``base_thickness_mm``."""
    mesh, profile, x, y = m.mesh, m.profile, m.grid.x_mm, m.grid.y_mm
    values = [
        value(
            "length_mm",
            asked_length_mm(m.analysis, m.anatomy, profile.outline),
            mesh.x_extent_mm,
            LENGTH_TOL_MM,
        )
    ]
    thick = mesh.top - mesh.bottom
    interior = m.dist_mm >= 1.0
    values.append(
        RealizedValue(
            name="min_thickness_mm",
            asked=profile.shell.min_thickness_mm,
            realized=float(np.nanmin(thick[interior])),
            tolerance=0.0,
            at_least=True,
        )
    )
    plain = _plain(m)
    plantar = sample(m.analysis.plantar, np.column_stack([x.ravel(), y.ravel()])).reshape(x.shape)
    free = (np.abs(mesh.top - plain.top) < UNMOVED_MM) & (
        np.abs(mesh.bottom - plain.bottom) < UNMOVED_MM
    )
    contact = free & (plantar <= CONTACT_HEIGHT_MM) & (m.dist_mm >= FOREFOOT_CLEAR_MM)
    cover = profile.shell.top_cover_mm
    realized_cover = 0.0
    if cover > 0.0:
        no_cover = replace(profile, shell=replace(profile.shell, top_cover_mm=0.0))
        bare = read_insole(exported_stl(m.analysis, no_cover, side=m.side), m.side, m.grid)[0]
        rise = mesh.top - bare.top
        realized_cover = float(np.nanmedian(rise[interior]))
        values.append(value("top_cover_mm", cover, realized_cover, HEIGHT_TOL_MM))
    base = float(np.median(thick[contact])) - realized_cover if contact.any() else None
    values.append(value("base_thickness_mm", profile.shell.base_thickness_mm, base, HEIGHT_TOL_MM))
    return values
