"""The plantar height map: the sole's lower envelope, with holes and the foot's sides filled.

The lower envelope of the foot's surface on a grid does not show the sole where the scan has a hole
(the dorsum is seen through it) or near the outline, where it climbs the foot's steep sides. Those
cells are refilled from the surrounding sole with a smooth membrane, so the design sees a
continuous sole that runs out to the insole's margin.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from scan2insole.errors import ScanError
from scan2insole.heightmap import fill_smooth
from scan2insole.records import HeightMap

# Plantar map cells steeper than this slope (dz per dx) are the foot's side, not its sole (E: 50°).
SIDE_SLOPE = 1.2
# A plantar cell more than this above its neighbourhood's median is the dorsum seen through a hole
# in the sole (E: the highest arches are ~30 mm, the dorsum over the sole is >= 35 mm but at the
# toes, so holes under the toes may be missed).
HOLE_JUMP_MM = 20.0
# A column inside the foot whose surfaces span less than this is one layer, not sole + dorsum
# (E: the thinnest part of a foot, the toes, is ~15 mm; scanner noise is < 1 mm) ...
SINGLE_LAYER_MM = 6.0
# ... counted as a lost sole when it lies this high (the sole itself is below ~30 mm only at the
# arch, where the dorsum is far above) and this far inside the footprint (the rim's side walls
# are single layers by nature; E).
SINGLE_LAYER_MIN_HEIGHT_MM = 8.0
SINGLE_LAYER_INSET_MM = 6.0
# A sole cell hidden by the floor is taken as contact when the fill around it lies within the
# floor band plus this much (E: half the 2 mm footprint section of CLINICAL.md §2.1).
CONTACT_SLACK_MM = 1.0
# Scans noisier than this get their plantar map smoothed (E: meshes from scanners are already
# smoothed and measure ~0 here; raw clouds measure 0.2-0.5 mm).
NOISY_SCAN_MM = 0.1


def plantar_map(
    footprint: np.ndarray,
    hm: HeightMap,
    *,
    upper: HeightMap | None = None,
    floor_band_mm: float = 0.0,
    noise_mm: float = 0.0,
) -> tuple[HeightMap, float]:
    """The sole's height map and the plantar area (mm²) that had no scan data.

    Parameters
    ----------
    footprint : (ny, nx) bool, the foot's projection on ``hm``'s grid.
    hm : the lower envelope of the foot's surface (NaN where no surface projects).
    upper : the upper envelope on the same grid. Inside the foot every column crosses two
        surfaces, sole and dorsum; a column that holds a single layer well above the ground has
        lost its sole (a scan hole, or contact hidden by the floor) and shows the dorsum.
    floor_band_mm : height below which ``clean`` removed points with the floor. A sole cell with
        no data whose surroundings come down into that band was standing on the floor: it is
        contact (height 0), not a hole to bridge at the height of its rim.
    noise_mm : the scan's noise; above ``NOISY_SCAN_MM`` the map is median- and Gauss-smoothed
        over ~1 mm.
    """
    z = hm.z_mm
    known = np.isfinite(z)
    # the dorsum seen through holes: far above the coarse neighbourhood median of the sole
    typical = float(np.nanmedian(z))
    coarse = ndimage.median_filter(np.where(known, z, typical)[::4, ::4], size=11, mode="nearest")
    ref = np.kron(coarse, np.ones((4, 4)))[: z.shape[0], : z.shape[1]]
    through_hole = known & (z > ref + HOLE_JUMP_MM)
    if upper is not None:
        inner = ndimage.binary_erosion(
            footprint, iterations=int(SINGLE_LAYER_INSET_MM / hm.cell_mm)
        )
        single = np.nan_to_num(upper.z_mm - z, nan=np.inf) < SINGLE_LAYER_MM
        through_hole |= known & inner & single & (z > SINGLE_LAYER_MIN_HEIGHT_MM)
    gy, gx = np.gradient(np.where(known, z, np.nan), hm.cell_mm)
    steep = np.hypot(gx, gy) > SIDE_SLOPE
    sole = known & ~through_hole & ~np.nan_to_num(steep, nan=1).astype(bool)
    interior = ndimage.binary_erosion(footprint, iterations=int(8 / hm.cell_mm))
    unseen = ndimage.binary_opening((~known | through_hole) & interior, iterations=2)
    hole_area = float(unseen.sum() * hm.cell_mm**2)
    if sole.sum() < 100:
        raise ScanError("the scan shows no plantar surface to design from")
    filled = fill_smooth(np.where(sole, z, 0.0), ~sole)
    if floor_band_mm > 0:
        # the floor hid the sole where it touched: a patch without sole data that borders sole
        # points down in the floor band is contact (height 0), not a hole to bridge at its rim
        # sampling gaps of a sparse cloud are not holes: only patches wider than ~5 mm count
        missing = ndimage.binary_opening(~sole & interior, iterations=2)
        low_sole = sole & (np.nan_to_num(z, nan=np.inf) <= floor_band_mm + CONTACT_SLACK_MM)
        labels, _ = ndimage.label(missing)
        touching = np.unique(labels[ndimage.binary_dilation(low_sole, iterations=2) & missing])
        on_floor = np.isin(labels, touching[touching > 0])
        if on_floor.any():
            sole = sole | on_floor
            filled = fill_smooth(np.where(sole & ~on_floor, z, 0.0), ~sole)
            unseen &= ~on_floor
            hole_area = float(unseen.sum() * hm.cell_mm**2)
    if noise_mm > NOISY_SCAN_MM:
        # a noisy cloud's lowest point per cell is a noise draw: spikes of a few tenths to a few
        # mm that a slicer cannot print and a foot does not have
        filled = ndimage.gaussian_filter(ndimage.median_filter(filled, size=3), sigma=1.0)
    return HeightMap(origin_mm=hm.origin_mm, cell_mm=hm.cell_mm, z_mm=filled), hole_area
