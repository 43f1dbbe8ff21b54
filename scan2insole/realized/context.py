"""What every group of measures reads: the foot, the profile, the exported insole and its
switched-off references on one grid, and the regions several groups share."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scan2insole.design.anatomy import Anatomy
from scan2insole.design.heel_cup import CUP_FALLOFF_MM
from scan2insole.profile import Profile
from scan2insole.realized.mesh import Grid, Mesh
from scan2insole.realized.references import Feature
from scan2insole.records import FootAnalysis, Side

# Regions read off the seat keep this far from the rim, beyond the heel cup's wall (mm).
SEAT_CLEAR_MM = CUP_FALLOFF_MM + 2.0
FOREFOOT_CLEAR_MM = 3.0
HEEL_CORE_START_FRAC = 0.04


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Measuring:
    """One exported insole being measured, with everything its parameters are read against."""

    analysis: FootAnalysis
    profile: Profile
    side: Side
    anatomy: Anatomy
    mesh: Mesh
    """The exported insole."""
    grid: Grid
    dist_mm: np.ndarray
    """(rows, cols) distance to the insole's edge, mm (``grid_measures.dist_in_mm``)."""
    active: list[Feature]
    """The profile's active features, in ``references.FEATURES`` order."""
    refs: dict[str, Mesh]
    """Per active feature but the heel cup (measured absolute): the design with it off."""


def seat_core(m: Measuring) -> np.ndarray:
    """(rows, cols) bool: the heel seat clear of the cup's wall, from the heel core forward."""
    heel_core_x0 = m.anatomy.heel_x_mm + HEEL_CORE_START_FRAC * m.anatomy.foot_length_mm
    return (m.dist_mm >= SEAT_CLEAR_MM) & (m.grid.x_mm >= heel_core_x0)
