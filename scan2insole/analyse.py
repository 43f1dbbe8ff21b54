"""Analysis: the plantar height map, the footprint outline and the foot's measurements.

Definitions (design frame, mm; CLINICAL.md §1.2):

- foot length: pternion to the most distal toe point, along the foot axis (x);
- ball width: maximum breadth perpendicular to the axis, projected on the ground: the caliper
  breadth (max y - min y) of the whole foot below the leg cut;
- heel width: maximum breadth of a 2 mm slice within the rearmost 20 % of foot length, counting
  only surface below 40 mm height.

The plantar map is the lower envelope of the foot's surface on a ``GRID_MM`` grid. Where it does
not show the sole (scan holes, and the steep sides of the foot near the outline) it is filled from
the surrounding sole with a smooth membrane, so the design sees a continuous sole that runs out
to the insole's margin.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from scan2insole.errors import ScanError
from scan2insole.heightmap import envelope, fill_smooth
from scan2insole.outline import level_outline
from scan2insole.records import FootAnalysis, FramedFoot, HeightMap, Measurements
from scan2insole.sampling import surface_samples

GRID_MM = 1.0
# The footprint is the projection of the surface below this height: the foot at sole level,
# without the malleoli and ankle above it (E).
OUTLINE_HEIGHT_MM = 25.0
# Plantar map cells steeper than this slope (dz per dx) are the foot's side, not its sole (E: 50°).
SIDE_SLOPE = 1.2
# A plantar cell more than this above its neighbourhood's median is the dorsum seen through a hole
# in the sole (E: the highest arches are ~30 mm, the dorsum over the sole is >= 35 mm but at the
# toes, so holes under the toes may be missed).
HOLE_JUMP_MM = 20.0
HEEL_REGION_FRAC = 0.20
HEEL_MAX_HEIGHT_MM = 40.0
MIN_FOOT_LENGTH_MM = 90.0
MAX_FOOT_LENGTH_MM = 380.0
# Ratios a foot falls within (ANSUR II breadth / length 0.376 ± 0.017 is CLINICAL.md §1.3; the
# bounds here are wide, E, so that only non-feet fail).
MIN_WIDTH_TO_LENGTH = 0.22
MAX_WIDTH_TO_LENGTH = 0.65


def _max_slice_breadth(pts: np.ndarray, *, slice_mm: float = 2.0) -> float:
    bins = np.floor((pts[:, 0] - pts[:, 0].min()) / slice_mm).astype(np.int64)
    n = int(bins.max()) + 1
    hi = np.full(n, -np.inf)
    lo = np.full(n, np.inf)
    np.maximum.at(hi, bins, pts[:, 1])
    np.minimum.at(lo, bins, pts[:, 1])
    ok = np.isfinite(hi)
    return float((hi[ok] - lo[ok]).max())


def measure(points_mm: np.ndarray) -> Measurements:
    """Length and breadths of a foot in the design frame (definitions in the module docstring)."""
    length = float(points_mm[:, 0].max() - points_mm[:, 0].min())
    heel = points_mm[
        (points_mm[:, 0] <= points_mm[:, 0].min() + HEEL_REGION_FRAC * length)
        & (points_mm[:, 2] <= HEEL_MAX_HEIGHT_MM)
    ]
    return Measurements(
        foot_length_mm=length,
        ball_width_mm=float(np.ptp(points_mm[:, 1])),
        heel_width_mm=_max_slice_breadth(heel) if len(heel) > 3 else float("nan"),
    )


def _plantar_map(
    dense: np.ndarray, footprint: np.ndarray, hm: HeightMap
) -> tuple[HeightMap, float]:
    z = hm.z_mm
    known = np.isfinite(z)
    # the dorsum seen through holes: far above the coarse neighbourhood median of the sole
    coarse = ndimage.median_filter(np.where(known, z, np.nan)[::4, ::4], size=11, mode="nearest")
    coarse = np.nan_to_num(coarse, nan=np.nanmedian(z))
    ref = np.kron(coarse, np.ones((4, 4)))[: z.shape[0], : z.shape[1]]
    through_hole = known & (z > ref + HOLE_JUMP_MM)
    gy, gx = np.gradient(np.where(known, z, np.nan), hm.cell_mm)
    steep = np.hypot(gx, gy) > SIDE_SLOPE
    sole = known & ~through_hole & ~np.nan_to_num(steep, nan=1).astype(bool)
    interior = ndimage.binary_erosion(footprint, iterations=int(8 / hm.cell_mm))
    hole_area = float(((~known | through_hole) & interior).sum() * hm.cell_mm**2)
    if sole.sum() < 100:
        raise ScanError("the scan shows no plantar surface to design from")
    filled = fill_smooth(np.where(sole, z, 0.0), ~sole)
    return HeightMap(origin_mm=hm.origin_mm, cell_mm=hm.cell_mm, z_mm=filled), hole_area


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
    plantar, hole_area = _plantar_map(dense, footprint, low)
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
