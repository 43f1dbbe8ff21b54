"""Design: a profile turned into the insole's outline and its top and bottom height fields.

The top is a total-contact surface: the foot's plantar map lifted by the base thickness, so the
sole rests on ``base_thickness_mm`` of material where it touches the ground and the arch is
filled up to the foot. The bottom is flat on z = 0. Later features (posts, cups, pads) are smooth
displacements of these two fields, so the solid stays watertight by construction.
"""

from __future__ import annotations

import numpy as np

from scan2insole.errors import DesignError
from scan2insole.outline import level_outline, signed_distance_mm
from scan2insole.profile import Profile
from scan2insole.records import FootAnalysis, HeightMap, InsoleDesign

OUTLINE_SPACING_MM = 1.5


def design_insole(analysis: FootAnalysis, profile: Profile) -> InsoleDesign:
    """Outline and height fields of the insole for one analysed foot (right-foot frame)."""
    plantar = analysis.plantar
    sdf = signed_distance_mm(analysis.footprint, plantar.cell_mm)
    margin = profile.outline.margin_mm
    if sdf.max() < margin + 2 * plantar.cell_mm:
        raise DesignError(f"outline margin {margin} mm does not fit the analysis grid")
    outline = level_outline(
        sdf, margin, plantar.origin_mm, plantar.cell_mm, spacing_mm=OUTLINE_SPACING_MM
    )
    support = np.maximum(plantar.z_mm, 0.0)
    top = HeightMap(
        origin_mm=plantar.origin_mm,
        cell_mm=plantar.cell_mm,
        z_mm=profile.shell.base_thickness_mm + support,
    )
    bottom = HeightMap(
        origin_mm=plantar.origin_mm, cell_mm=plantar.cell_mm, z_mm=np.zeros_like(support)
    )
    return InsoleDesign(outline_mm=outline, top=top, bottom=bottom)
