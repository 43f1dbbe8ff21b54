"""The contact footprint: plantar surface within a contact height of the support plane, no toes.

CLINICAL.md §2.1: contact = plantar surface within 2 mm of the support plane (E, anchored on
Bookstein et al. 2015 [S33]); the toes are removed before the Cavanagh arch index (V [S26]).

The contact is read off the sole map: the plantar lower envelope (the lowest scan point in each
grid cell) with the cells that show no sole (no data, or the dorsum seen through a hole) bridged
from their rim; an island of such unseen cells enclosed by contact is contact.

The toes are removed in two steps: prints centred well in front of the 1st metatarsal head are
toe prints and are dropped; if the remaining print still reaches far beyond the metatarsal heads
(toes touching the ball print), it is cut at its narrowest column between the heads and the toe
tips, which is the sulcus (the crease under the toe bases).
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from scan2insole.heightmap import fill_smooth
from scan2insole.records import HeightMap

CONTACT_HEIGHT_MM = 2.0  # Bookstein et al. 2015 section height (CLINICAL.md §2.1, E anchored V)
SENSITIVITY_HEIGHTS_MM = (1.0, 2.0, 3.0)  # CLINICAL.md §2.1 asks for the indices at 1, 2, 3 mm
# A contact blob smaller than this is scanner noise touching the band, not a print (E).
MIN_BLOB_MM2 = 20.0
# A cell whose highest point is this close to its lowest holds one surface layer (E: the sole
# and the dorsum are >= 8 mm apart 2 mm inside the outline; noise spreads a layer by ~6 sigma).
ONE_LAYER_MM = 3.0
ONE_LAYER_NOISE = 8.0
# A bridged cell within the floor band plus this stood on the floor (E, as plantar.py).
FLOOR_SLACK_MM = 1.0
# A cell higher than this above the lowest cell within HOLE_NEIGHBOURHOOD_MM sees the dorsum
# through a hole in the sole (E: the foot is >= 30 mm thick behind the toes; a sole wall inside
# the footprint is at most OUTLINE_HEIGHT_MM = 25 mm high, and never enclosed by contact).
DORSUM_ABOVE_SOLE_MM = 20.0
HOLE_NEIGHBOURHOOD_MM = 31.0
# An island inside the contact print is taken as contact when at least this share of it is
# unseen (holes); a real raised island is seen (E).
UNSEEN_ISLAND_FRAC = 0.3
# A print whose centre lies more than this (/ foot length) in front of the 1st metatarsal head
# is a toe print (E: toe prints centre ~0.14 L ahead of the head, a ball print behind it).
TOE_PRINT_AHEAD_FRAC = 0.05
# Toes count as touching the ball print when the print reaches this far (/ foot length) beyond
# the 1st metatarsal head (E: the ball print ends ~0.08 L in front of the heads).
TOE_REACH_FRAC = 0.12
# ... and the sulcus is a column at most this share of the print's width at the 1st MTH (E).
SULCUS_NARROW_FRAC = 0.6


def _hole_cells(
    low: HeightMap, footprint: np.ndarray, upper: HeightMap | None, noise_mm: float
) -> np.ndarray:
    """Cells where the scan shows no sole: no data, or the dorsum seen through a hole.

    A small hole shows the dorsum far above the sole around it. Where a floor was removed with
    the sole standing on it, the hole can be as large as the whole contact area; there the cells
    inside the footprint that hold a single surface layer (their lowest and highest points
    nearly meet) are the dorsum seen from below.
    """
    z = np.nan_to_num(low.z_mm, nan=np.inf)
    near = max(3, round(HOLE_NEIGHBOURHOOD_MM / low.cell_mm)) | 1
    lowest_near = ndimage.minimum_filter(z, size=near, mode="nearest")
    hole = ~np.isfinite(z) | (z > lowest_near + DORSUM_ABOVE_SOLE_MM)
    if upper is not None:
        inside = ndimage.binary_erosion(footprint, iterations=max(1, round(2.0 / low.cell_mm)))
        layer = np.nan_to_num(upper.z_mm - low.z_mm, nan=np.inf)
        hole |= inside & (layer <= max(ONE_LAYER_MM, ONE_LAYER_NOISE * noise_mm))
    return hole


def sole_map(
    low: HeightMap,
    plantar: HeightMap,
    footprint: np.ndarray,
    *,
    upper: HeightMap | None = None,
    floor_band_mm: float = 0.0,
    noise_mm: float = 0.0,
) -> tuple[HeightMap, np.ndarray]:
    """The sole as the scan shows it: the lower envelope, its unseen cells bridged smoothly.

    Unlike the design's plantar map, the steep sides are kept as scanned (the contact band and
    the medial arch line must not see a filled side).

    Parameters
    ----------
    low : lower envelope of the foot's surface (NaN where nothing projects), design frame.
    plantar : the design's plantar map on the same grid.
    footprint : (ny, nx) bool, the foot's projection.
    upper : upper envelope on the same grid; give it when a floor was removed (see
        ``_hole_cells``).
    floor_band_mm : height below which ``clean`` removed the floor's points (0: no floor).
    noise_mm : the scan's noise.

    Returns
    -------
    sole : HeightMap on ``low``'s grid, no NaN.
    unseen : (ny, nx) bool, the cells that were bridged.
    """
    hole = _hole_cells(low, footprint, upper, noise_mm)
    bridged = fill_smooth(np.where(hole, 0.0, low.z_mm), hole)
    # cells with no data at all take the plantar map's value, which knows the sole cells that
    # were removed with a floor (they stood on it); the dorsum seen through a hole takes ours
    z = np.where(np.isfinite(low.z_mm), bridged, plantar.z_mm)
    if floor_band_mm > 0:
        # a bridged cell that comes down to the floor band stood on the floor
        on_floor = hole & footprint & (z <= floor_band_mm + FLOOR_SLACK_MM)
        z = np.where(on_floor, 0.0, z)
    return HeightMap(origin_mm=low.origin_mm, cell_mm=low.cell_mm, z_mm=z), hole


def _contact_cells(sole: HeightMap, unseen: np.ndarray, footprint: np.ndarray, height: float):
    contact = footprint & (sole.z_mm <= height)
    # an island the scan could not see, enclosed by contact, was standing on the ground too
    islands, n = ndimage.label(ndimage.binary_fill_holes(contact) & ~contact)
    if n:
        share = np.bincount(islands.ravel(), weights=unseen.ravel(), minlength=n + 1)
        share /= np.maximum(np.bincount(islands.ravel(), minlength=n + 1), 1)
        fill = share >= UNSEEN_ISLAND_FRAC
        fill[0] = False
        contact |= fill[islands]
    return contact


def contact_print(
    sole: HeightMap,
    unseen: np.ndarray,
    footprint: np.ndarray,
    *,
    height_mm: float,
    first_mth_x_mm: float,
    foot_length_mm: float,
) -> np.ndarray:
    """The contact print without toes, as a (ny, nx) bool mask on the sole's grid.

    Parameters
    ----------
    sole, unseen : the sole and its unseen cells (``sole_map``), design frame.
    footprint : (ny, nx) bool, the foot's projection on that grid.
    height_mm : contact height above the support plane (z = 0).
    first_mth_x_mm : x of the 1st metatarsal head (toe prints lie in front of it).
    foot_length_mm : for the toe-reach test.
    """
    cell = sole.cell_mm
    contact = _contact_cells(sole, unseen, footprint, height_mm)
    labels, n = ndimage.label(contact, structure=np.ones((3, 3)))
    if n == 0:
        return contact
    x = sole.x_mm
    xx = np.broadcast_to(x[None, :], contact.shape)
    count = np.bincount(labels[contact], minlength=n + 1)
    centre_x = np.bincount(labels[contact], weights=xx[contact], minlength=n + 1)
    centre_x = centre_x / np.maximum(count, 1)
    behind_toes = centre_x < first_mth_x_mm + TOE_PRINT_AHEAD_FRAC * foot_length_mm
    keep = behind_toes & (count * cell * cell >= MIN_BLOB_MM2)
    keep[0] = False
    contact = keep[labels]
    return _cut_toes_at_sulcus(contact, x, first_mth_x_mm, foot_length_mm)


def _cut_toes_at_sulcus(
    contact: np.ndarray, x: np.ndarray, first_mth_x: float, length: float
) -> np.ndarray:
    counts = contact.sum(axis=0)
    filled = np.flatnonzero(counts)
    if len(filled) == 0 or x[filled[-1]] < first_mth_x + TOE_REACH_FRAC * length:
        return contact
    j0 = min(int(np.searchsorted(x, first_mth_x)), filled[-1])
    seg = counts[j0 : filled[-1] + 1].astype(np.float64)
    # the sulcus is the deepest valley: narrower than the print behind it and the toes ahead
    behind = np.maximum.accumulate(seg)
    ahead = np.maximum.accumulate(seg[::-1])[::-1]
    depth = np.minimum(behind, ahead) - seg
    k = int(np.argmax(depth))
    if depth[k] <= 0 or seg[k] > SULCUS_NARROW_FRAC * behind[k]:
        return contact
    out = contact.copy()
    out[:, j0 + k :] = False
    return out
