"""Foam impressions and plantar-only sheets into the foot frame, as the plantar surface they show.

A foam box is a negative: the foot pressed the foam down, so the cavity's floor *is* the sole's
shape, seen from above instead of from below. Its top plane and hole come from ``kind.py``
(``foam_plane.Cavity``). The imprint is cropped (the points under the plane, within the hole),
turned so +z points out of the cavity along the plane's normal, and set on z = 0 at its bottom,
so the deepest imprint point is the lowest point of the sole and heights are measured up from
the imprint's bottom. A plantar-only sheet needs no crop: its up side is its open (concave) one,
and it stands on the tangent plane below it, as a foot does (``support.py``).

Either way the sheet is cleaned (outliers of a cloud, fragments, noise, as ``clean.py`` does, but
without its floor search, which would take a sheet's flat contact for a floor) and handed to
``frame.frame_foot`` with its support plane, so axis, heel and toe (the forefoot is the wider
end), left and right (the arch's contact lies lateral; the hallux is medial) and the pternion
come exactly as for a foot. The result is a ``FramedFoot`` holding the plantar surface only.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import numpy as np
from scipy import ndimage

from scan2insole.clean import (
    CLEAN_VOXEL_MM,
    WorkingCopy,
    _noise_mm,
    isolated_points,
    largest_part,
)
from scan2insole.errors import ScanError
from scan2insole.foam_plane import CELL_MM, PLANE_BAND_MM, basis_from_up, in_hole
from scan2insole.frame import frame_foot
from scan2insole.kind import KindDecision
from scan2insole.records import CleanScan, FramedFoot, RawScan, ScanQuality
from scan2insole.sampling import surface_samples, voxel_thin
from scan2insole.submesh import submesh
from scan2insole.support import anchor_height, support_plane

# Points closer than this many robust noise deviations under the foam's top plane are the plane,
# not the imprint (the plane's own points spread +-3.5 sigma), and at least CROP_MIN_MM.
CROP_NOISE_SIGMAS = 4.0
CROP_MIN_MM = 0.5
# Where the sole stood higher than the foam, the imprint's floor runs into the top plane without
# a wall: boundary cells of the imprint (OPEN_CELL_MM) within OPEN_TOP_MM of its top whose
# surface spans less than OPEN_SPAN_MM in height (a wall spans the sole's edge to the top; E).
OPEN_CELL_MM = 3.0
OPEN_TOP_MM = 2.0
OPEN_SPAN_MM = 4.0
# Report an open edge longer than this (E: a few cells are noise at the toe notches).
OPEN_REPORT_MM = 15.0
# The cavity's walls stand on the hole's edge: its cells grow by this much to keep them.
HOLE_GROW_MM = CELL_MM
# A sheet's support plane from its convex hull must agree with its open side within this (E:
# the hull facet is a tangent plane under heel and ball, tilted from the contact by < 10°).
SUPPORT_AGREE_DEG = 30.0
MIN_SHEET_POINTS = 50


def _clean_sheet(
    points: np.ndarray,
    faces: np.ndarray,
    name: str,
    thinned: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Outliers (clouds) and fragments dropped as ``clean.py`` drops them; also the 2 mm
    thinned working copy and what was dropped. ``thinned`` is that copy's (thin, inverse) when
    the caller has it for these very points (``clean.working_copy``)."""
    n_in = len(points)
    if thinned is None:
        samples = surface_samples(points, faces, spacing_mm=CLEAN_VOXEL_MM)
        thinned = voxel_thin(samples, voxel_mm=CLEAN_VOXEL_MM, return_inverse=True)
    thin, inverse = thinned
    good = np.ones(len(thin), dtype=bool)
    if len(faces) == 0:
        good = ~isolated_points(thin)
    if good.sum() < MIN_SHEET_POINTS:
        raise ScanError(f"{name}: {int(good.sum())} points left of the sole: not a plantar surface")
    keep_thin, n_big = largest_part(thin, good)
    if n_big > 1:
        raise ScanError(
            f"{name}: expected one sole, found {n_big} separate surfaces of similar size "
            "(two feet?); scan or crop one foot"
        )
    keep = keep_thin[inverse[:n_in]]
    points, faces = submesh(points, faces, keep)
    reasons = []
    if n_in - len(points):
        what = "fragment" if len(faces) else "fragment and outlier"
        reasons.append(f"{n_in - len(points)} {what} points dropped")
    return points, faces, thin[keep_thin], reasons


def _anchored(points: np.ndarray, up: np.ndarray) -> float:
    """Offset of the plane normal to ``up`` under the sheet's lowest surface (noise-robust)."""
    h = points @ up
    xy = points @ basis_from_up(up)[:2].T
    return float(h.min() + anchor_height(h - h.min(), xy))


def _open_edge_mm(points: np.ndarray) -> float:
    """Length (mm) of the imprint's edge where its floor meets the top without a wall.

    ``points`` (n, 3) float64, mm, foot frame: the cropped imprint, its top rim the highest.
    """
    top = float(np.percentile(points[:, 2], 99.5))  # the rim, not its noise's tail
    ij = np.floor(points[:, :2] / OPEN_CELL_MM).astype(np.int64)
    ij -= ij.min(axis=0) - 1
    shape = tuple(ij.max(axis=0) + 2)
    zmax = np.full(shape, -np.inf)
    zmin = np.full(shape, np.inf)
    np.maximum.at(zmax, (ij[:, 0], ij[:, 1]), points[:, 2])
    np.minimum.at(zmin, (ij[:, 0], ij[:, 1]), points[:, 2])
    occ = ndimage.binary_fill_holes(np.isfinite(zmax))
    edge = occ & ~ndimage.binary_erosion(occ)
    open_cells = edge & (zmax > top - OPEN_TOP_MM) & (zmax - zmin < OPEN_SPAN_MM)
    return float(open_cells.sum() * OPEN_CELL_MM)


def frame_impression(
    raw: RawScan,
    work: WorkingCopy,
    decision: KindDecision,
    *,
    side: Literal["auto", "left", "right"] = "auto",
) -> FramedFoot:
    """The plantar surface a foam impression or plantar-only sheet shows, in the foot frame.

    Parameters
    ----------
    raw : the scan as read (file units, finite).
    work : ``clean.working_copy(raw)``: its unit, millimetres and 2 mm thinning.
    decision : ``kind.detect_kind``'s decision on it, ``foam`` (with its cavity) or ``plantar``
        (with its open side).
    side : ``auto`` detects left/right from the sole; ``left``/``right`` force it.

    Returns
    -------
    FramedFoot
        ``points_mm`` (n, 3) float64, mm, right-foot design frame: the plantar surface only,
        lowest point on z = 0 (for a foam box also the cavity's walls up to just below its top
        plane); ``kind`` and its confidence and reason from ``decision``.
    """
    if decision.kind not in ("foam", "plantar") or decision.up is None:
        raise ValueError(f"frame_impression takes a foam or plantar decision, got {decision.kind}")
    units = work.units
    points = work.points_mm
    faces = raw.faces
    thinned = (work.thin_mm, work.inverse)  # of these points; a foam crop thins again
    n_in = len(points)
    reasons: list[str] = []
    up = decision.up
    if decision.kind == "foam":
        cav = decision.cavity
        assert cav is not None  # detect_kind sets it for every foam decision
        depth = cav.offset_mm - points @ cav.up
        inside = in_hole(cav, points, grow_mm=HOLE_GROW_MM)
        on_top = ~inside & (np.abs(depth) < PLANE_BAND_MM)
        crop = CROP_MIN_MM
        if on_top.sum() >= MIN_SHEET_POINTS:
            mad = float(np.median(np.abs(depth[on_top] - np.median(depth[on_top]))))
            crop = max(CROP_MIN_MM, CROP_NOISE_SIGMAS * 1.4826 * mad)
        points, faces = submesh(points, faces, inside & (depth > crop))
        thinned = None
        reasons.append(
            f"foam impression: top plane and {n_in - len(points)} points outside the imprint "
            f"cropped ({crop:.1f} mm under the plane); imprint read as the sole, heights up "
            "from its bottom"
        )
        if len(points) < MIN_SHEET_POINTS:
            raise ScanError(f"{raw.name}: {len(points)} points under the foam's top plane")
    n_sheet = len(points)
    points, faces, thin, dropped = _clean_sheet(points, faces, raw.name, thinned)
    reasons += dropped
    if decision.kind == "plantar":
        # stand the sheet on its tangent plane, as a foot stands (when it agrees with the side
        # the sheet opens to; else on the plane normal to that side)
        hull_up, _ = support_plane(thin)
        if hull_up @ up >= np.cos(np.radians(SUPPORT_AGREE_DEG)):
            up = hull_up
        reasons.append("plantar-only sheet: no dorsum")
    noise = _noise_mm(points)
    score = 1.0 - min(0.5, noise / 2.0) - min(0.3, (n_sheet - len(points)) / max(n_sheet, 1))
    quality = ScanQuality(
        score_frac=score,
        reasons=tuple(reasons),
        n_points_in=n_in,
        n_points_dropped=n_in - len(points),
        floor_removed=False,
        leg_cut=False,
        noise_mm=noise,
    )
    sheet = CleanScan(
        points_mm=points,
        faces=faces,
        units=units,
        quality=quality,
        name=raw.name,
        sha256=raw.sha256,
        floor_plane=np.r_[up, _anchored(thin, up)],
        thin_mm=thin,
    )
    foot = frame_foot(sheet, side=side)
    if decision.kind == "foam":
        open_mm = _open_edge_mm(foot.points_mm)
        if open_mm > OPEN_REPORT_MM:
            note = (
                f"the sole stood higher than the foam along ~{open_mm:.0f} mm of the imprint's "
                "edge: the outline there is the imprint's edge, inside the foot's, and the "
                "medial arch may read low"
            )
            foot = replace(
                foot, quality=replace(foot.quality, reasons=(*foot.quality.reasons, note))
            )
    return replace(
        foot,
        kind=decision.kind,
        kind_confidence_frac=decision.confidence_frac,
        kind_reason=decision.reason,
    )
