"""Analysis: the plantar height map, the footprint outline and the foot's measurements.

Measurement definitions are in ``measurements.py``; the plantar map in ``plantar.py``.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from scan2insole.analyse.measurements import measure
from scan2insole.analyse.plantar import plantar_map
from scan2insole.errors import ScanError
from scan2insole.heightmap import envelope
from scan2insole.outline import level_outline
from scan2insole.records import FootAnalysis, FramedFoot
from scan2insole.sampling import surface_samples

GRID_MM = 1.0
# The footprint is the projection of the surface below this height: the foot at sole level,
# without the malleoli and ankle above it (E).
OUTLINE_HEIGHT_MM = 25.0
MIN_FOOT_LENGTH_MM = 90.0
MAX_FOOT_LENGTH_MM = 380.0
# Ratios a foot falls within (ANSUR II breadth / length 0.376 ± 0.017 is CLINICAL.md §1.3; the
# bounds here are wide, E, so that only non-feet fail).
MIN_WIDTH_TO_LENGTH = 0.22
MAX_WIDTH_TO_LENGTH = 0.65


def analyse_foot(foot: FramedFoot) -> FootAnalysis:
    """Plantar map, footprint outline and measurements of a framed foot."""
    dense = surface_samples(foot.points_mm, foot.faces, spacing_mm=0.7 * GRID_MM)
    m = measure(foot.points_mm)
    if not MIN_FOOT_LENGTH_MM <= m.foot_length_mm <= MAX_FOOT_LENGTH_MM:
        raise ScanError(
            f"foot length {m.foot_length_mm:.0f} mm is outside "
            f"{MIN_FOOT_LENGTH_MM:.0f}-{MAX_FOOT_LENGTH_MM:.0f} mm: not a foot"
        )
    ratio = m.ball_width_mm / m.foot_length_mm
    if not MIN_WIDTH_TO_LENGTH <= ratio <= MAX_WIDTH_TO_LENGTH:
        raise ScanError(
            f"width / length {ratio:.2f} is outside {MIN_WIDTH_TO_LENGTH}-"
            f"{MAX_WIDTH_TO_LENGTH} (foot {m.foot_length_mm:.0f} x "
            f"{m.ball_width_mm:.0f} mm): not a foot"
        )
    margin = 20.0  # room for the insole's margin and the membrane fill around the foot
    origin = np.floor(dense[:, :2].min(axis=0) - margin)
    span = dense[:, :2].max(axis=0) + margin - origin
    shape = (int(span[1] / GRID_MM) + 1, int(span[0] / GRID_MM) + 1)
    low = envelope(dense, cell_mm=GRID_MM, which="lower", origin_mm=origin, shape=shape)
    sole_level = dense[dense[:, 2] <= OUTLINE_HEIGHT_MM]
    occ = np.isfinite(
        envelope(sole_level, cell_mm=GRID_MM, which="lower", origin_mm=origin, shape=shape).z_mm
    )
    # close the gaps between scan samples, then keep the one solid footprint
    occ = ndimage.binary_closing(occ, structure=np.ones((3, 3)), iterations=2)
    occ = ndimage.binary_fill_holes(occ)
    labels, n = ndimage.label(occ)
    if n == 0:
        raise ScanError("the scan has no footprint on its support plane")
    sizes = np.bincount(labels.ravel())[1:]
    footprint = labels == (int(np.argmax(sizes)) + 1)
    outline = level_outline(np.where(footprint, -1.0, 1.0), 0.0, origin, GRID_MM, spacing_mm=1.5)
    plantar, hole_area = plantar_map(footprint, low, floor_band_mm=foot.quality.floor_band_mm)
    from dataclasses import replace

    quality = replace(foot.quality, hole_area_mm2=hole_area)
    if hole_area > 0:
        quality = replace(
            quality, reasons=(*quality.reasons, f"{hole_area:.0f} mm² of plantar surface filled")
        )
    foot = replace(foot, quality=quality)
    return FootAnalysis(
        foot=foot, plantar=plantar, footprint=footprint, outline_mm=outline, measurements=m
    )
