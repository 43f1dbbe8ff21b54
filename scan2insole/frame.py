"""The canonical foot frame, and how a scan is put into it.

**The foot frame** (the one definition; every later stage works in it):

- origin: the pternion (rearmost heel point) projected on the support plane, on the foot axis;
- +z: the support-plane normal, pointing up; the support plane is z = 0;
- +x: along the foot axis, heel to toe. The axis is the line through the midpoint of the heel
  breadth (mean over 10-20 % of foot length) and the midpoint of the ball breadth (the widest
  station), a documented equivalent of the pternion -> second-toe axis (CLINICAL.md §1.1) that
  does not need the toes to be resolved in the scan;
- +y = z × x (right-handed). For a right foot +y is medial.

Design happens in a **right-foot frame**: a left foot is mirrored (y -> -y) on the way in, so
``foot_from_scanner`` has determinant -1 for left feet, and the insole is mirrored back on export.

How the scan is put into the frame:

1. Support plane: the floor ``clean`` found under the foot, if any; otherwise the tangent plane
   below the foot chosen among its convex-hull facets (``support.py``), which touches heel and
   forefoot also when the scan is non-weight-bearing and plantar-flexed.
2. Leg cut: everything higher than ``LEG_CUT_HEIGHT_MM`` above the plane is the leg, removed.
3. Heel vs toe: the forefoot is wider than the heel and the ankle rises over the heel; both
   compare the two end thirds of the foot.
4. Side: in the midfoot the ground contact lies on the lateral side of the footprint (the medial
   arch is raised), and the most distal toe (the hallux) is medial. Both signals vote.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.extremes import surface_extreme_mm
from scan2insole.heightmap import envelope
from scan2insole.records import CleanScan, FootFrame, FramedFoot
from scan2insole.sampling import surface_samples, voxel_thin
from scan2insole.submesh import submesh
from scan2insole.support import CONTACT_BAND_MM, anchor_height, support_plane

# Leg cut (E): shoe-store scanners cut at ~100 mm (the dupontgu scans are cut at 99 mm); the lateral
# malleolus sits at 63-73 mm (ANSUR II means), so nothing of the foot proper lies above this.
LEG_CUT_HEIGHT_MM = 100.0
# Resolution of the working copy used to find the frame when ``clean`` did not provide one:
# coarse enough to be fast on 1M-point clouds, fine enough for a sub-millimetre frame.
FRAME_VOXEL_MM = 2.0
SIDE_GRID_MM = 2.0
_AXIS_ITERATIONS = 4
# Below this combined vote the anatomy does not say which foot it is (E: real scans vote 0.3-1.0,
# synthetic flat feet 0.55; an artist's body cut at the shins votes 0.00).
MIN_SIDE_VOTE = 0.08
# Stations for the axis midpoints (E), as fractions of foot length from the heel.
HEEL_STATIONS_FRAC = (0.10, 0.20)
BALL_SEARCH_FRAC = (0.55, 0.85)


def _rigid(rotation: np.ndarray, translation: np.ndarray) -> np.ndarray:
    m = np.eye(4)
    m[:3, :3] = rotation
    m[:3, 3] = translation
    return m


def _apply(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    rot = np.array(m[:3, :3].T, order="C")
    out = np.dot(pts, rot)
    out += m[:3, 3]
    return out


def _basis_from_up(up: np.ndarray) -> np.ndarray:
    """Rows: two in-plane unit vectors and ``up`` (a rotation matrix)."""
    helper = np.eye(3)[int(np.argmin(np.abs(up)))]
    e1 = np.cross(helper, up)
    e1 /= np.linalg.norm(e1)
    return np.stack([e1, np.cross(up, e1), up])


def _breadth_midpoint(xy: np.ndarray, lo: float, hi: float) -> tuple[float, float]:
    """Mean y-midpoint and max breadth of the points with lo <= x < hi, in 2 mm slices."""
    sel = (xy[:, 0] >= lo) & (xy[:, 0] < hi)
    if sel.sum() < 3:
        return float(np.median(xy[:, 1])), 0.0
    bins = np.floor((xy[sel, 0] - lo) / 2.0).astype(np.int64)
    ys = xy[sel, 1]
    n = int(bins.max()) + 1
    ymax = np.full(n, -np.inf)
    ymin = np.full(n, np.inf)
    np.maximum.at(ymax, bins, ys)
    np.minimum.at(ymin, bins, ys)
    ok = np.isfinite(ymax)
    return float(np.mean((ymax[ok] + ymin[ok]) / 2)), float(np.max(ymax[ok] - ymin[ok]))


def _slice_breadths(xy: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """Midpoint y and breadth of every 2 mm slice lo <= x < hi (breadth 0 where empty)."""
    sel = (xy[:, 0] >= lo) & (xy[:, 0] < hi)
    n = max(1, int(np.ceil((hi - lo) / 2.0)))
    bins = np.minimum(np.floor((xy[sel, 0] - lo) / 2.0).astype(np.int64), n - 1)
    ymax = np.full(n, -np.inf)
    ymin = np.full(n, np.inf)
    np.maximum.at(ymax, bins, xy[sel, 1])
    np.minimum.at(ymin, bins, xy[sel, 1])
    ok = np.isfinite(ymax)
    mids = np.zeros(n)
    widths = np.zeros(n)
    mids[ok] = (ymax[ok] + ymin[ok]) / 2
    widths[ok] = ymax[ok] - ymin[ok]
    return mids, widths


def _foot_axis(xy: np.ndarray, *, start: np.ndarray | None = None) -> np.ndarray:
    """Rotation (2x2) taking xy so the heel-centre -> ball-centre line is +x (heel at low x).

    The stations are measured from the low-x end, so that end must be the heel: ``start`` (a
    2x2 rotation that already puts the heel there) is refined; without it the iteration starts
    from the long axis, either way round.
    """
    centred = xy - xy.mean(axis=0)
    _, vecs = np.linalg.eigh(centred.T @ centred)
    major = vecs[:, -1]
    rot = np.array([[major[0], major[1]], [-major[1], major[0]]])  # start from the long axis
    if start is not None:
        rot = start
    for _ in range(_AXIS_ITERATIONS):
        p = xy @ rot.T
        x0, length = p[:, 0].min(), np.ptp(p[:, 0])
        heel_y, _ = _breadth_midpoint(
            p, x0 + HEEL_STATIONS_FRAC[0] * length, x0 + HEEL_STATIONS_FRAC[1] * length
        )
        # the ball station: the widest 2 mm slice within the forefoot search band
        lo, hi = x0 + BALL_SEARCH_FRAC[0] * length, x0 + BALL_SEARCH_FRAC[1] * length
        mids, widths = _slice_breadths(p, lo, hi)
        k = int(np.argmax(widths))
        ball = (lo + 2.0 * k + 1.0, float(mids[k]))
        heel = (x0 + 0.15 * length, heel_y)
        angle = np.arctan2(ball[1] - heel[1], ball[0] - heel[0])
        c, s_ = np.cos(-angle), np.sin(-angle)
        rot = np.array([[c, -s_], [s_, c]]) @ rot
        if abs(angle) < 1e-10:
            break
    return rot


def _toe_end_vote(p: np.ndarray) -> float:
    """Positive when the toes are at +x: the forefoot is wider than the heel, and the ankle
    rises over the heel (log ratios, so the two votes weigh alike)."""
    length = float(np.ptp(p[:, 0]))
    x0 = float(p[:, 0].min())
    rear = p[p[:, 0] < x0 + length / 3]
    front = p[p[:, 0] > x0 + 2 * length / 3]
    low_rear, low_front = rear[rear[:, 2] < 30.0], front[front[:, 2] < 30.0]
    # an end with nothing low (a partial scan) counts as no breadth rather than failing
    front_w = float(np.ptp(low_front[:, 1])) if len(low_front) else 0.0
    rear_w = float(np.ptp(low_rear[:, 1])) if len(low_rear) else 0.0
    breadth = np.log(max(front_w, 1.0) / max(rear_w, 1.0))
    height = np.log(max(rear[:, 2].max(), 1.0) / max(front[:, 2].max(), 1.0))
    return float(breadth + 0.5 * height)


def _side_votes(samples: np.ndarray) -> tuple[float, float]:
    """Signed evidence that +y is medial: (arch vote, hallux vote), each in [-1, 1]."""
    hm = envelope(samples, cell_mm=SIDE_GRID_MM, which="lower")
    z = hm.z_mm
    x, y = hm.x_mm, hm.y_mm
    length = float(samples[:, 0].max() - samples[:, 0].min())
    x0 = float(samples[:, 0].min())
    mid_cols = (x >= x0 + 0.35 * length) & (x <= x0 + 0.6 * length)
    foot = np.isfinite(z[:, mid_cols])
    contact = foot & (np.nan_to_num(z[:, mid_cols], nan=1e9) < CONTACT_BAND_MM)
    yy = np.broadcast_to(y[:, None], foot.shape)
    width = float(np.ptp(samples[:, 1]))
    arch = 0.0
    if contact.sum() > 5 and foot.sum() > 5:
        # contact lies lateral of the footprint's centre in the midfoot
        arch = float(np.clip(4 * (yy[foot].mean() - yy[contact].mean()) / width, -1, 1))
    # hallux: the most distal points lie medial of the forefoot centre
    tip = samples[samples[:, 0] > samples[:, 0].max() - 6.0]
    fore = samples[samples[:, 0] > x0 + 0.6 * length]
    centre = 0.5 * (fore[:, 1].max() + fore[:, 1].min())
    toe = float(np.clip(4 * (tip[:, 1].mean() - centre) / width, -1, 1))
    return arch, toe


def frame_foot(scan: CleanScan, *, side: Literal["auto", "left", "right"] = "auto") -> FramedFoot:
    """Put a cleaned scan into the right-foot design frame (see the module docstring).

    Parameters
    ----------
    scan : the cleaned scan, mm, scanner frame.
    side : ``auto`` detects left/right from the anatomy; ``left``/``right`` force it.
    """
    thin = scan.thin_mm
    if thin is None:
        samples = surface_samples(scan.points_mm, scan.faces, spacing_mm=FRAME_VOXEL_MM)
        thin = voxel_thin(samples, voxel_mm=FRAME_VOXEL_MM)
    if len(thin) < 50:
        raise ScanError(f"scan has too few points to be a foot ({len(thin)} after thinning)")
    if scan.floor_plane is not None:
        up, offset = scan.floor_plane[:3], float(scan.floor_plane[3])
    else:
        up, offset = support_plane(thin)
    basis = _basis_from_up(up)
    m = _rigid(basis, -basis @ (up * offset))  # support plane -> z = 0
    if scan.floor_plane is None:
        levelled = _apply(m, thin)
        m[2, 3] -= anchor_height(levelled[:, 2], levelled[:, :2])
    leg_cut = bool((_apply(m, thin)[:, 2] > LEG_CUT_HEIGHT_MM).any())
    low = _apply(m, thin)
    low = low[low[:, 2] <= LEG_CUT_HEIGHT_MM]
    rot2 = _foot_axis(low[:, :2])
    r3 = np.eye(4)
    r3[:2, :2] = rot2
    m = r3 @ m
    p = _apply(r3, low)
    if _toe_end_vote(p) < 0:  # the heel is at +x: turn the foot end for end
        m = _rigid(np.diag([-1.0, -1.0, 1.0]), np.zeros(3)) @ m
        # the axis was found from the toe end's stations: find it again from the heel's
        r3 = np.eye(4)
        r3[:2, :2] = _foot_axis(-p[:, :2], start=np.eye(2))
        m = r3 @ m

    dense = _apply(m, thin)
    dense = dense[dense[:, 2] <= LEG_CUT_HEIGHT_MM]
    arch_vote, toe_vote = _side_votes(dense)
    vote = 0.6 * arch_vote + 0.4 * toe_vote
    detected_side = "right" if vote >= 0 else "left"
    reason = (
        f"arch contact vote {arch_vote:+.2f}, hallux vote {toe_vote:+.2f} "
        "(positive: +y medial, a right foot)"
    )
    if side == "auto" and abs(vote) < MIN_SIDE_VOTE:
        raise ScanError(
            f"cannot tell a left from a right foot ({reason}); not a foot, or use --side"
        )
    if side == "auto":
        chosen, confidence = detected_side, float(min(1.0, abs(vote) * 2))
    else:
        chosen, confidence = side, 1.0
        reason = f"forced by --side {side}; anatomy suggests {detected_side} ({reason})"
    if chosen == "left":
        m = np.diag([1.0, -1.0, 1.0, 1.0]) @ m
    # origin at the pternion, on the axis: the heel's rearmost surface point, with the scanner's
    # noise fitted away
    foot = _apply(m, scan.points_mm)
    keep = foot[:, 2] <= LEG_CUT_HEIGHT_MM
    x0 = -surface_extreme_mm(foot[keep], np.array([-1.0, 0.0, 0.0]), noise_mm=scan.quality.noise_mm)
    m[0, 3] -= x0
    foot[:, 0] -= x0
    # y = 0 on the axis, which runs through the midpoint of the heel breadth
    length = float(foot[keep, 0].max())
    y0, _ = _breadth_midpoint(
        foot[keep][:, :2], HEEL_STATIONS_FRAC[0] * length, HEEL_STATIONS_FRAC[1] * length
    )
    m[1, 3] -= y0
    foot[:, 1] -= y0

    points, faces = submesh(foot, scan.faces, keep, drop_unused=False)
    if len(faces) and chosen == "left":
        faces = faces[:, ::-1]
    quality = scan.quality
    if leg_cut:
        from dataclasses import replace

        quality = replace(
            quality,
            leg_cut=True,
            reasons=(*quality.reasons, f"leg cut at {LEG_CUT_HEIGHT_MM:.0f} mm"),
        )
    frame = FootFrame(
        foot_from_scanner=m,
        side=chosen,
        side_detected=side == "auto",
        side_confidence_frac=confidence,
        side_reason=reason,
    )
    return FramedFoot(
        points_mm=points,
        faces=faces,
        frame=frame,
        units=scan.units,
        quality=quality,
        name=scan.name,
        sha256=scan.sha256,
    )
