"""A printable rim: no knife edges where the top meets the side wall.

Where the top climbs toward the outline (a heel cup, a flange, the foot's own side in a total-
contact shell) the wall's top edge can end in a ridge a fraction of a millimetre wide. A slicer
drops such a ridge (it is narrower than one extrusion line), so the printed part comes out lower
than designed and the rim is fragile. Within ``RIM_LAND_MM`` of the outline the top is raised to
the highest top within ``RIM_LAND_MM`` of each point (a grey dilation), which gives the rim a flat
land about that wide at its own height; nothing anywhere gets lower, and the rim's height, which
cup depth and flange height are measured by, does not change.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from scan2insole.design.domain import Domain

# E: two extrusion widths of a 0.4 mm nozzle plus margin; MJF walls need >= 0.5-1.0 mm (§4).
RIM_LAND_MM = 1.5


def rim_land(domain: Domain, top_mm: np.ndarray) -> np.ndarray:
    """``top_mm`` (ny, nx) with a flat land along the outline (see the module docstring)."""
    r = max(1, int(np.ceil(RIM_LAND_MM / domain.cell_mm)))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    disk = (xx**2 + yy**2) * domain.cell_mm**2 <= RIM_LAND_MM**2
    # only the insole's own cells feed the dilation: the padding outside holds no material
    inside_top = np.where(domain.dist_mm > -domain.cell_mm, top_mm, -np.inf)
    raised = ndimage.grey_dilation(inside_top, footprint=disk, mode="nearest")
    band = domain.dist_mm < RIM_LAND_MM + domain.cell_mm
    return np.where(band & np.isfinite(raised), np.maximum(top_mm, raised), top_mm)
