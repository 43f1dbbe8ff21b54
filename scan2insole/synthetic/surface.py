"""The closed surface of a synthetic foot: plantar and dorsal height fields over the outline.

Both fields meet on the outline at the edge height ``e`` and round off toward it near the border:

    z_bottom = e - (e - p) * g(delta / R_b)        z_top = e + (d - e) * g(delta / R_t)
    g(s) = sqrt(1 - (1 - s)^2) for s < 1, else 1

``delta`` is the distance in from the outline, ``p`` the plantar shape (arch + sulcus raise, 0
where the foot bears weight), ``d`` the dorsal shape. Because g rises vertically at s = 0, the
side wall is vertical on the outline, so the foot's projection on the ground is exactly the
outline polygon. With ``e = rim + arch`` and the sulcus raise lower than the rim, e > p: the
bottom lies between p and e, so nothing dips below z = 0, and every point with p = 0 and
delta >= R_b touches z = 0 exactly.

These functions take points of the right-foot frame. ``footprint.py`` picks the arch's contact
line and applies the side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import PchipInterpolator

from scan2insole.synthetic.outline import Outline, medial_y, outline_model
from scan2insole.synthetic.params import (
    ARCH_SHAPES,
    FootParams,
    resolved_arch_length_mm,
    resolved_medial_arch_height_mm,
)

REFERENCE_LENGTH_MM = 265.0  # heights not set by a parameter scale with length / this (E)
MEDIAL_ARCH_LINE_FRAC = 0.25  # the medial arch height is measured 0.25 W in from the border
DORSAL_STATION_FRAC = 0.50  # dorsal_height_50 is the height at 0.5 L
# The arch rises between these fractions of foot length, highest at the navicular (E).
ARCH_START_FRAC = 0.22
ARCH_PEAK_FRAC = 0.43
ARCH_END_BEFORE_MTH1_FRAC = 0.03
ARCH_RISE_EXPONENT = 2.0  # of the longitudinal rise from the heel side; sets how it starts
# The sulcus raise under the toe bases separates the toe prints from the ball print (E).
SULCUS_MEDIAL_FRAC = 0.085  # sulcus line, in front of the 1st MTH / L
SULCUS_LATERAL_FRAC = 0.075  # ... in front of the 5th MTH / L
SULCUS_HALF_WIDTH_FRAC = 0.028
SULCUS_HEIGHT_MM = 5.0  # above the 2 mm contact height, so the toes print apart from the ball
ANKLE_CUT_FRAC = 0.36  # the scan is cut at 0.36 L (95 mm), as shoe-store scanners cut it
DORSAL_MARGIN_MM = 5.0  # the dorsum stays at least this far above the edge
EXPONENT_RANGE = (0.8, 4.0)  # of the arch's transverse fall: steeper or flatter looks unnatural
TRANSVERSE_BLEND = 0.2  # rounds the arch's foot where it meets the ground (of its rise)
BLEND_MM = 4.0  # width of the C1 smooth min / max that keep those limits
MESA_BLEND_MM = 15.0  # the leg rounds into the instep over this width

# Profiles along the foot: (x / L, value). Heights in mm at the reference length (E, shaped so
# the pictures look like a foot: heel pad and side walls, toes 15-25 mm tall).
_RIM_MM = ((0.0, 18.0), (0.2, 17.0), (0.45, 14.0), (0.7, 12.0), (0.8, 11.0), (0.9, 8.0), (1.0, 7.0))
_BOTTOM_RADIUS_MM = ((0.0, 12.0), (0.6, 10.0), (0.78, 9.0), (0.86, 5.0), (1.0, 4.5))
_TOP_RADIUS_MM = ((0.0, 12.0), (0.3, 14.0), (0.6, 20.0), (0.75, 16.0), (0.86, 8.0), (1.0, 7.0))
# Dorsal ridge (E): behind and under the ankle in units of the cut height, from the instep on
# in units of dorsal_height_50 (so the instep height is exact).
_RIDGE_OF_CUT = ((0.0, 0.35), (0.12, 0.6), (0.30, 1.0))
_RIDGE_OF_D50 = ((0.5, 1.0), (0.72, 0.56), (0.82, 0.40), (0.9, 0.33), (1.0, 0.28))
# The leg at the cut (E): an ellipse over the ankle, x / L and y / W; ~58 x 60 mm by default.
ANKLE_CENTRE_FRAC = (0.20, 0.02)
ANKLE_SEMI_AXES_FRAC = (0.11, 0.30)
_MESA_OVERSHOOT = 0.05  # the leg mesa rises this far past the cut, so the cut face is flat
_MESA_FALL_PER_MM = 0.08  # how fast the leg falls away outside its ellipse, mm per mm^2
_DOME_MEDIAL = 0.30  # the dorsum falls by this fraction of its ridge height at the medial side
_DOME_LATERAL = 0.50  # ... and at the lateral side
_RIDGE_MEDIAL_SHIFT = 0.10  # the dorsal ridge lies medial of the mid-line (/ half width)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Surface:
    """Everything the height fields of one foot need (right-foot frame, mm)."""

    outline: Outline
    scale: float
    """foot length / REFERENCE_LENGTH_MM."""
    dorsal_height_50: float
    arch_amplitude: float
    """Plantar height of the arch at the medial border, at its peak."""
    arch_contact_frac: float
    """mu0: the arch meets the ground this far (/ ball width) in from the medial border."""
    arch_exponent: float
    """r: the arch falls as 1 - (mu / mu0)^r from the medial border (mu = 0)."""
    arch_start: float
    arch_peak: float
    arch_end: float
    ankle_cut: float


def build_surface(params: FootParams, *, contact_frac: float) -> Surface:
    """The surface model of ``params`` (side ignored) with the arch meeting the ground at
    ``contact_frac`` x ball width in from the medial border (where its peak is).

    The transverse fall 1 - (mu / mu0)^r keeps the arch type's share of the amplitude at the
    measurement line (mu = 0.25): r follows from mu0. Along that line the arch is then
    amplitude * line share * rise(x), and the rise peaks at 1 inside 30-60 % L, so choosing the
    amplitude as height / line share makes the medial arch height exact.
    """
    length = float(params.foot_length_mm)
    arch_length = resolved_arch_length_mm(params)
    line_share = ARCH_SHAPES[params.arch_type].line_share
    if SULCUS_HEIGHT_MM >= min(v for f, v in _RIM_MM if f >= 0.6):  # constants, not input
        raise AssertionError("the sulcus raise must stay below the rim of the edge")
    return Surface(
        outline=outline_model(params),
        scale=length / REFERENCE_LENGTH_MM,
        dorsal_height_50=float(params.dorsal_height_50_mm),
        arch_amplitude=resolved_medial_arch_height_mm(params) / line_share,
        arch_contact_frac=contact_frac,
        arch_exponent=float(np.log1p(-line_share) / np.log(MEDIAL_ARCH_LINE_FRAC / contact_frac)),
        arch_start=ARCH_START_FRAC * length,
        arch_peak=ARCH_PEAK_FRAC * length,
        arch_end=arch_length - ARCH_END_BEFORE_MTH1_FRAC * length,
        ankle_cut=ANKLE_CUT_FRAC * length,
    )


def contact_frac_range(params: FootParams) -> tuple[float, float]:
    """The contact fractions whose fall exponent r lies in EXPONENT_RANGE (a smooth arch)."""
    keep = 1.0 - ARCH_SHAPES[params.arch_type].line_share
    lo, hi = EXPONENT_RANGE
    return MEDIAL_ARCH_LINE_FRAC / keep ** (1.0 / hi), MEDIAL_ARCH_LINE_FRAC / keep ** (1.0 / lo)


def profile(x: np.ndarray, knots: tuple[tuple[float, float], ...], length: float) -> np.ndarray:
    """A C1 profile through (x / L, value) knots, monotone between them (PCHIP), level beyond."""
    xs = np.array([k[0] for k in knots]) * length
    vs = np.array([k[1] for k in knots])
    return PchipInterpolator(xs, vs)(np.clip(x, xs[0], xs[-1]))


def _transverse(mu: np.ndarray, mu0: float, r: float) -> np.ndarray:
    """Transverse arch shape: 1 at the medial border (mu = 0), 0 from ~mu0 laterally.

    1 - (mu / mu0)^r falls from the border to 0 at mu0, the steeper there the larger r; its
    C1-rounded maximum with 0 keeps the surface smooth where the arch meets the ground.
    """
    fall = 1.0 - (np.maximum(mu, 0.0) / mu0) ** r
    return smooth_max(fall, np.zeros_like(fall), TRANSVERSE_BLEND)


def arch_rise(s: Surface, x: np.ndarray) -> np.ndarray:
    """Longitudinal arch shape: 0 outside the arch, 1 at its peak; C1 (beta-function bump)."""
    return _rise(x, s.arch_start, s.arch_peak, s.arch_end)


def _rise(x: np.ndarray, start: float, peak: float, end: float) -> np.ndarray:
    a = ARCH_RISE_EXPONENT
    t_peak = (peak - start) / (end - start)
    b = a * (1.0 - t_peak) / t_peak
    t = np.clip((x - start) / (end - start), 0.0, 1.0)
    return (t**a * (1.0 - t) ** b) / (t_peak**a * (1.0 - t_peak) ** b)


def instep_clearance_mm(params: FootParams) -> float:
    """How far the instep (dorsal_height_50) clears what the medial arch needs under it.

    The dorsum stays ``DORSAL_MARGIN_MM`` above the edge, which is highest on the medial border;
    where that would reach the instep ridge, the instep height would no longer be the parameter.
    Negative means the foot cannot be built (a high arch under a low instep).
    """
    length = float(params.foot_length_mm)
    scale = length / REFERENCE_LENGTH_MM
    amplitude = resolved_medial_arch_height_mm(params) / ARCH_SHAPES[params.arch_type].line_share
    x = np.array([DORSAL_STATION_FRAC * length])
    end = resolved_arch_length_mm(params) - ARCH_END_BEFORE_MTH1_FRAC * length
    rise = _rise(x, ARCH_START_FRAC * length, ARCH_PEAK_FRAC * length, end)[0]
    edge = scale * profile(x, _RIM_MM, length)[0] + amplitude * rise
    needed = edge + (DORSAL_MARGIN_MM + BLEND_MM) * scale
    return float(params.dorsal_height_50_mm) - needed


def sulcus_x(s: Surface, y: np.ndarray) -> np.ndarray:
    """x of the sulcus line (the toe-base crease) at y: a straight line, slanting laterally back."""
    o = s.outline
    x_med = o.arch_length + SULCUS_MEDIAL_FRAC * o.length
    x_lat = o.mth5_x + SULCUS_LATERAL_FRAC * o.length
    t = (y + 0.5 * o.ball_width) / o.ball_width
    return x_lat + t * (x_med - x_lat)


def arch_shape(s: Surface, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The medial longitudinal arch's lift of the sole, >= 0."""
    mu = (medial_y(s.outline, x) - y) / s.outline.ball_width
    fall = _transverse(mu, s.arch_contact_frac, s.arch_exponent)
    return s.arch_amplitude * arch_rise(s, x) * fall


def sulcus_shape(s: Surface, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The raise of the sole under the toe bases, >= 0: a cos^2 band along the sulcus line."""
    u = (x - sulcus_x(s, y)) / (SULCUS_HALF_WIDTH_FRAC * s.outline.length)
    return SULCUS_HEIGHT_MM * s.scale * np.cos(0.5 * np.pi * np.clip(u, -1.0, 1.0)) ** 2


def dorsal_shape(s: Surface, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """d(x, y): the dorsal shape (before the edge limit), cut flat at ``ankle_cut``.

    The smooth maximum of a dome over the foot (its ridge falling from the ankle to the toes)
    and a mesa standing on the ankle ellipse (the leg), both cut at the scanner's cut height.
    """
    o = s.outline
    length, cut = o.length, s.ankle_cut
    d50 = s.dorsal_height_50
    knots = tuple((f, v * cut) for f, v in _RIDGE_OF_CUT) + tuple(
        (f, v * d50) for f, v in _RIDGE_OF_D50
    )
    ridge = profile(x, knots, length)
    med = np.interp(x, o.body_x, o.body_medial)
    lat = np.interp(x, o.body_x, o.body_lateral)
    half = np.maximum(0.5 * (med - lat), 5.0 * s.scale)
    centre = 0.5 * (med + lat) + _RIDGE_MEDIAL_SHIFT * half
    v = (y - centre) / half
    fall = np.where(v > 0.0, _DOME_MEDIAL, _DOME_LATERAL)
    dome = ridge * np.maximum(1.0 - fall * v * v, 0.2)
    cx, cy, ax, ay = ankle_ellipse(s)
    outside = np.maximum(np.hypot((x - cx) / ax, (y - cy) / ay) - 1.0, 0.0) * np.sqrt(ax * ay)
    mesa = (1.0 + _MESA_OVERSHOOT) * cut - _MESA_FALL_PER_MM / s.scale * outside * outside
    top = smooth_max(dome, mesa, MESA_BLEND_MM * s.scale)
    return smooth_min(top, np.full_like(top, cut), BLEND_MM * s.scale)


def ankle_ellipse(s: Surface) -> tuple[float, float, float, float]:
    """(centre x, centre y, semi-axis x, semi-axis y) of the leg's section at the cut, mm."""
    o = s.outline
    return (
        ANKLE_CENTRE_FRAC[0] * o.length,
        ANKLE_CENTRE_FRAC[1] * o.ball_width,
        ANKLE_SEMI_AXES_FRAC[0] * o.length,
        ANKLE_SEMI_AXES_FRAC[1] * o.ball_width,
    )


def smooth_min(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """min(a, b), rounded (C1) where they differ by less than k; exact elsewhere."""
    h = np.maximum(k - np.abs(a - b), 0.0)
    return np.minimum(a, b) - h * h / (4.0 * k)


def smooth_max(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """max(a, b), rounded (C1) where they differ by less than k; exact elsewhere."""
    h = np.maximum(k - np.abs(a - b), 0.0)
    return np.maximum(a, b) + h * h / (4.0 * k)


def rounding(s_frac: np.ndarray) -> np.ndarray:
    """g(s): quarter circle from 0 (vertical, s = 0) to 1 (level, s >= 1)."""
    s_frac = np.clip(s_frac, 0.0, 1.0)
    return np.sqrt(1.0 - (1.0 - s_frac) ** 2)


def rim_height(s: Surface, x: np.ndarray) -> np.ndarray:
    """e_rim(x): how far the edge lies above the plantar shape."""
    return s.scale * profile(x, _RIM_MM, s.outline.length)


def bottom_radius(s: Surface, x: np.ndarray) -> np.ndarray:
    return s.scale * profile(x, _BOTTOM_RADIUS_MM, s.outline.length)


def top_radius(s: Surface, x: np.ndarray) -> np.ndarray:
    return s.scale * profile(x, _TOP_RADIUS_MM, s.outline.length)


MAX_RADIUS_MM = max(v for _, v in _TOP_RADIUS_MM + _BOTTOM_RADIUS_MM)


def heights(
    s: Surface, x: np.ndarray, y: np.ndarray, delta: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bottom z, top z, edge z) at points (x, y) lying ``delta`` in from the outline.

    The edge follows the arch (so the arch stays under the side) but not the sulcus raise, which
    stays below the rim (SULCUS_HEIGHT_MM < the rim there), so the bottom stays under the edge.
    """
    arch = arch_shape(s, x, y)
    rim = rim_height(s, x)
    edge = rim + arch
    d = smooth_max(dorsal_shape(s, x, y), edge + DORSAL_MARGIN_MM * s.scale, BLEND_MM * s.scale)
    lift = rim - sulcus_shape(s, x, y)  # how far the plantar shape lies below the edge
    bottom = edge - lift * rounding(delta / bottom_radius(s, x))
    top = edge + (d - edge) * rounding(delta / top_radius(s, x))
    return bottom, top, edge


def distance_to_outline(o: Outline, pts: np.ndarray, *, cap: float) -> np.ndarray:
    """min(cap, distance from each point (n, 2) to the outline polygon), exact below cap.

    Try the four segments around the nearest vertex v, giving a distance d. If the nearest
    polygon point were on another segment, that segment would have an end within
    r = sqrt(d^2 + (h / 2)^2) of the query (h the longest edge); so where the only vertices within
    r are v and its neighbours, d is exact. The others (near the medial axis of a toe, deep in a
    notch) take the segments at their K nearest vertices, which are exact when the K-th vertex
    lies beyond (nearest-vertex distance + h), and the rare rest every segment.
    """
    pts = np.asarray(pts, dtype=np.float64)
    out = np.full(len(pts), float(cap))
    half = 0.5 * o.max_edge
    d_vertex, nearest = o.tree.query(pts, k=1, distance_upper_bound=cap + half)
    near = np.flatnonzero(d_vertex - half < cap)  # inf (beyond the bound) fails
    if near.size == 0:
        return out
    p, v = pts[near], nearest[near]
    n_poly = len(o.polygon)
    dist = _segment_distance(p, o, (v[:, None] + np.arange(-2, 2)) % n_poly)
    radius = np.sqrt(dist * dist + half * half) * (1.0 + 1e-9) + 1e-9
    local = np.zeros(len(p), dtype=np.int64)
    for step in (-1, 0, 1):
        w = o.polygon[(v + step) % n_poly]
        local += np.hypot(p[:, 0] - w[:, 0], p[:, 1] - w[:, 1]) <= radius
    count = o.tree.query_ball_point(p, radius, return_length=True)
    unsure = np.flatnonzero(count > local)
    if unsure.size:
        k = min(_NEIGHBOURS, n_poly)
        dk, starts = o.tree.query(p[unsure], k=k)
        dist[unsure] = _segment_distance(p[unsure], o, starts)
        rest = unsure[dk[:, -1] <= d_vertex[near[unsure]] + o.max_edge]
        every = np.arange(n_poly)[None, :]
        for chunk in np.array_split(rest, max(1, len(rest) // 1000)):
            dist[chunk] = _segment_distance(p[chunk], o, every)
    out[near] = np.minimum(dist, cap)
    return out


_NEIGHBOURS = 16


def _segment_distance(pts: np.ndarray, o: Outline, starts: np.ndarray) -> np.ndarray:
    """Distance from each point (n, 2) to the nearest of its polygon segments (starts, (n, j))."""
    ax, ay = o.seg_start[starts, 0], o.seg_start[starts, 1]
    abx, aby = o.seg_vector[starts, 0], o.seg_vector[starts, 1]
    apx, apy = pts[:, 0:1] - ax, pts[:, 1:2] - ay
    t = np.clip((apx * abx + apy * aby) * o.seg_inv_len2[starts], 0.0, 1.0)
    dx, dy = apx - t * abx, apy - t * aby
    return np.sqrt((dx * dx + dy * dy).min(axis=1))


def inside_outline(o: Outline, pts: np.ndarray) -> np.ndarray:
    """Whether each point (n, 2) lies inside or on the (star-shaped) outline polygon."""
    rel = pts - o.centre
    phi = np.arctan2(rel[:, 1], rel[:, 0])
    j = np.searchsorted(o.angles, phi, side="right") - 1  # -1 wraps to the last wedge
    a = o.polygon[o.order[j]]
    b = o.polygon[o.order[(j + 1) % len(o.order)]]
    cross = (b[:, 0] - a[:, 0]) * (pts[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (
        pts[:, 0] - a[:, 0]
    )
    return cross >= 0.0
