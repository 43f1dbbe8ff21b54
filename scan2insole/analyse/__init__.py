"""Analysis: the plantar height map, the footprint outline, landmarks, measurements, foot type.

Landmarks are in ``landmarks.py``, length and height measurements in ``measurements.py``, the
contact print in ``contact.py``, footprint indices and the foot type in ``foot_type.py``, their
uncertainties in ``uncertainty.py`` and the population checks in ``plausibility.py``; the plantar
map is ``plantar.py``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import ndimage

from scan2insole.analyse.contact import (
    CONTACT_HEIGHT_MM,
    SENSITIVITY_HEIGHTS_MM,
    contact_print,
    sole_map,
)
from scan2insole.analyse.foot_type import (
    arch_index,
    chippaux_smirak_pct,
    classify,
    staheli_index,
)
from scan2insole.analyse.landmarks import heel_centre, outline_extremes
from scan2insole.analyse.measurements import dorsal_height_50, medial_arch
from scan2insole.analyse.plantar import plantar_map
from scan2insole.analyse.plausibility import implausible
from scan2insole.analyse.uncertainty import uncertainties
from scan2insole.clean import MIN_QUALITY_FRAC
from scan2insole.errors import ScanError
from scan2insole.heightmap import envelope
from scan2insole.outline import level_outline
from scan2insole.records import FootAnalysis, FramedFoot, HeightMap, Landmarks, Measurements
from scan2insole.sampling import longest_edges_sq, surface_samples, voxel_thin

GRID_MM = 1.0
# Surface samples for the extremes and landmarks: the local fits need points no farther apart
# than this, and more would only slow them (E).
EXTREME_SPACING_MM = 2.5
# ... and clouds denser than this are thinned to one mean point per voxel first (E: ~0.25 s saved
# on a 1M-point cloud; a 1 mm voxel's mean lies within 0.02 mm of a 10 mm radius cap).
EXTREME_MAX_POINTS = 300_000
EXTREME_VOXEL_MM = 1.0
# The footprint is the projection of the surface below this height: the foot at sole level,
# without the malleoli and ankle above it (E).
OUTLINE_HEIGHT_MM = 25.0
MIN_FOOT_LENGTH_MM = 90.0
MAX_FOOT_LENGTH_MM = 380.0
# Ratios a foot falls within (ANSUR II breadth / length 0.376 ± 0.017 is CLINICAL.md §1.3; the
# bounds here are wide, E, so that only non-feet fail).
MIN_WIDTH_TO_LENGTH = 0.22
MAX_WIDTH_TO_LENGTH = 0.55
# Each implausible ratio takes this much off the scan's quality score (E).
IMPLAUSIBLE_PENALTY_FRAC = 0.1


def _check_is_a_foot(length: float, width: float) -> None:
    if not MIN_FOOT_LENGTH_MM <= length <= MAX_FOOT_LENGTH_MM:
        raise ScanError(
            f"foot length {length:.0f} mm is outside "
            f"{MIN_FOOT_LENGTH_MM:.0f}-{MAX_FOOT_LENGTH_MM:.0f} mm: not a foot"
        )
    ratio = width / length
    if not MIN_WIDTH_TO_LENGTH <= ratio <= MAX_WIDTH_TO_LENGTH:
        raise ScanError(
            f"width / length {ratio:.2f} is outside {MIN_WIDTH_TO_LENGTH}-"
            f"{MAX_WIDTH_TO_LENGTH} (foot {length:.0f} x {width:.0f} mm): not a foot"
        )


def _footprint(dense: np.ndarray) -> tuple[HeightMap, np.ndarray]:
    """The lower envelope of the surface and the footprint (its projection below
    ``OUTLINE_HEIGHT_MM``) on one grid."""
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
    return low, labels == (int(np.argmax(sizes)) + 1)


def analyse_foot(foot: FramedFoot) -> FootAnalysis:
    """Plantar map, footprint outline, landmarks, measurements and foot type of a framed foot."""
    longest = longest_edges_sq(foot.points_mm, foot.faces) if len(foot.faces) else None
    dense = surface_samples(
        foot.points_mm, foot.faces, spacing_mm=0.7 * GRID_MM, longest_sq_mm2=longest
    )
    samples = surface_samples(
        foot.points_mm, foot.faces, spacing_mm=EXTREME_SPACING_MM, longest_sq_mm2=longest
    )
    if len(samples) > EXTREME_MAX_POINTS:  # a dense cloud: one mean point per voxel is plenty
        samples = voxel_thin(samples, voxel_mm=EXTREME_VOXEL_MM)
    ext = outline_extremes(samples, noise_mm=foot.quality.noise_mm)
    length = ext.length_mm
    width = float(ext.medial[1] - ext.lateral[1])
    _check_is_a_foot(length, width)
    low, footprint = _footprint(dense)
    outline = level_outline(
        np.where(footprint, -1.0, 1.0), 0.0, low.origin_mm, GRID_MM, spacing_mm=1.5
    )
    q = foot.quality
    upper = envelope(
        dense, cell_mm=GRID_MM, which="upper", origin_mm=low.origin_mm, shape=low.z_mm.shape
    )
    plantar, hole_area = plantar_map(
        footprint,
        low,
        # issue 10: a foam imprint or plantar sheet has no dorsum, every column is one layer
        upper=upper if foot.kind == "foot" else None,
        floor_band_mm=foot.quality.floor_band_mm,
        noise_mm=foot.quality.noise_mm,
    )
    if not q.floor_removed or foot.kind != "foot":
        upper = None  # sole_map's one-layer test is for a whole foot whose sole the floor took
    sole, unseen = sole_map(
        low, plantar, footprint, upper=upper, floor_band_mm=q.floor_band_mm, noise_mm=q.noise_mm
    )
    arch_height, apex = medial_arch(samples, dense, sole, ext)
    # issue 10: the dorsal height needs the dorsum, which foam and plantar scans do not show
    dorsal = dorsal_height_50(samples, ext) if foot.kind == "foot" else float("nan")
    arch_length = float(ext.first_mth[0] - ext.pternion[0])

    def print_at(height_mm: float) -> np.ndarray:
        return contact_print(
            sole,
            unseen,
            footprint,
            height_mm=height_mm,
            first_mth_x_mm=float(ext.first_mth[0]),
            foot_length_mm=length,
        )

    contact = print_at(CONTACT_HEIGHT_MM)
    ai = arch_index(contact, low)
    by_height = tuple(
        (h, ai if h == CONTACT_HEIGHT_MM else arch_index(print_at(h), low))
        for h in SENSITIVITY_HEIGHTS_MM
    )
    contact_area = float(contact.sum() * GRID_MM * GRID_MM)
    footprint_area = float(footprint.sum() * GRID_MM * GRID_MM)
    foot_type, reason, profile = classify(
        ai, contact_of_footprint_frac=contact_area / footprint_area
    )

    values = {
        "foot_length_mm": length,
        "ball_width_mm": width,
        "heel_width_mm": float(ext.heel_medial[1] - ext.heel_lateral[1]),
        "arch_length_mm": arch_length,
        "dorsal_height_50_mm": dorsal,
        "arch_height_index": dorsal / arch_length if arch_length > 0 else float("nan"),
        "medial_arch_height_mm": arch_height,
        "arch_index": ai,
        "chippaux_smirak_index_pct": chippaux_smirak_pct(contact, low),
        "staheli_index": staheli_index(contact, low),
    }
    flags = implausible(values)
    m = Measurements(
        **values,
        arch_index_by_contact_mm=by_height,
        contact_area_mm2=contact_area,
        foot_type=foot_type,
        foot_type_reason=reason,
        suggested_profile=profile,
        uncertainty=uncertainties(values, by_height, noise_mm=foot.quality.noise_mm),
        plausibility=flags,
    )
    landmarks = Landmarks(
        pternion_mm=ext.pternion,
        hallux_tip_mm=ext.hallux_tip,
        first_mth_mm=ext.first_mth,
        fifth_mth_mm=ext.fifth_mth,
        # the navicular estimate is a point of the medial side wall, which only a whole foot has
        navicular_mm=ext.navicular if foot.kind == "foot" else np.full(3, np.nan),
        medial_arch_apex_mm=apex,
        heel_centre_mm=heel_centre(ext),
    )

    quality = replace(foot.quality, hole_area_mm2=hole_area)
    reasons = list(quality.reasons)
    if hole_area > 0:
        reasons.append(f"{hole_area:.0f} mm² of plantar surface filled")
    if foot_type is None:
        reasons.append(reason)
    if foot.kind != "foot":  # issue 10
        reasons.append(
            f"dorsal height at 50 % and arch height index: null, a {foot.kind} scan shows no dorsum"
        )
    reasons.extend(f"implausible: {f}" for f in flags)
    # a sole that is mostly filled in is mostly guessed: the hole share of the footprint comes off
    hole_frac = hole_area / max(float(footprint.sum()) * GRID_MM**2, 1.0)
    score = max(0.0, quality.score_frac - IMPLAUSIBLE_PENALTY_FRAC * len(flags) - hole_frac)
    if score < MIN_QUALITY_FRAC:
        raise ScanError(
            f"scan quality {score:.2f} is below the {MIN_QUALITY_FRAC} needed to design from: "
            + "; ".join(reasons)
        )
    foot = replace(foot, quality=replace(quality, reasons=tuple(reasons), score_frac=score))
    return FootAnalysis(
        foot=foot,
        plantar=plantar,
        footprint=footprint,
        outline_mm=outline,
        measurements=m,
        landmarks=landmarks,
    )
