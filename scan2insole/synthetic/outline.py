"""The footprint outline of a synthetic right foot: an exact, star-shaped CCW polygon.

The outline is built from analytic pieces, walked counter-clockwise from the pternion:
heel quarter-ellipse (lateral), lateral border, 5th-toe side, the toe front (tips and
interdigital notches), hallux side, medial border, heel quarter-ellipse (medial). Each piece is
sampled at near-equal arc length with its end points exact, so the extremes of the polygon are
landmarks by construction: the pternion (0, 0) is its rearmost point, the hallux tip its most
distal (x = L), the 1st metatarsal head its most medial (y = W/2) and the 5th its most lateral
(y = -W/2); the heel breadth in the rear 20 % is the heel width, centred on y = 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import lru_cache

import numpy as np
from scipy.spatial import ConvexHull, cKDTree

from scan2insole.synthetic.params import (
    ARCH_SHAPES,
    FootParams,
    resolved_arch_length_mm,
)

OUTLINE_SPACING_MM = 0.5  # vertex spacing of the truth polygon: chord error below 0.01 mm
HEEL_WIDEST_FRAC = 0.15  # x of the widest heel section / foot length (E)
MTH5_BEHIND_MTH1_FRAC = 0.10  # 5th MTH lies 0.10 L proximal to the 1st (0.64 L by default, E)
# Toes, hallux first (E, shaped after foot outlines): tip x / foot length, tip y / ball width.
TOE_TIP_X_FRAC = (1.0, 0.985, 0.955, 0.915, 0.855)
TOE_TIP_Y_FRAC = (0.23, 0.0, -0.15, -0.275, -0.40)
NOTCH_Y_FRAC = (0.085, -0.075, -0.215, -0.335)  # between toes i and i + 1
NOTCH_DEPTH_FRAC = 0.018  # notch x lies this far (/ L) behind the shorter neighbouring tip
NOTCH_SHARPNESS = 0.85  # 0 rounds the notch like a sine, 1 makes it a cusp (not star-shaped)
LATERAL_WAIST_FRAC = 0.30  # slight concavity of the lateral border (keeps the heel widest)
TOE_SIDE_EXPONENT = 2.2  # superellipse exponent of the hallux and 5th-toe sides (2 = ellipse)
BODY_SMOOTHING_MM = 9  # window of the body envelope's moving average (odd, in 1 mm steps)
CENTRE_X_FRAC = 0.45  # the outline is star-shaped from (0.45 L, 0); the mesh rings shrink to it


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class OutlineShape:
    """The numbers the right-foot outline is built from (mm)."""

    length: float
    ball_width: float
    heel_width: float
    arch_length: float
    medial_waist: float
    heel_x: float
    """x of the widest heel section."""
    mth5_x: float
    tips: np.ndarray
    """(5, 2) toe tips, hallux first."""
    notches: np.ndarray
    """(4, 2) interdigital notches, between the hallux and the 2nd toe first."""
    centre: np.ndarray
    """(2,) the point the outline is star-shaped from."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Outline(OutlineShape):
    """The outline of one foot: its shape, its truth polygon, and searches over the polygon."""

    polygon: np.ndarray
    """(k, 2) the CCW truth polygon at ``OUTLINE_SPACING_MM``, starting at the pternion."""
    piece_starts: np.ndarray
    """(p,) index in ``polygon`` where each analytic piece starts (the landmarks, toe knots)."""
    max_edge: float
    seg_start: np.ndarray
    seg_vector: np.ndarray
    seg_inv_len2: np.ndarray
    """(k, 2), (k, 2), (k,): segment i runs from polygon[i] by seg_vector[i]; 1 / its length^2."""
    tree: cKDTree
    """Nearest-vertex search over ``polygon`` (for distances to the outline)."""
    angles: np.ndarray
    """(k,) polar angle of each polygon vertex around ``centre``, increasing from -pi."""
    order: np.ndarray
    """(k,) polygon indices sorted by ``angles``."""
    body_x: np.ndarray
    body_medial: np.ndarray
    body_lateral: np.ndarray
    """(n,) a smooth envelope of the outline (its convex hull's largest and smallest y, averaged
    over ``BODY_SMOOTHING_MM``) at each ``body_x``, 1 mm apart: where the dorsal dome spans,
    free of the jumps the toes put in the outline's own envelope."""


@lru_cache(maxsize=16)
def _outline_cached(length: float, width: float, heel: float, arch: float, waist: float) -> Outline:
    return _build(length, width, heel, arch, waist)


def outline_model(params: FootParams) -> Outline:
    """The (cached) right-foot outline model of ``params``."""
    return _outline_cached(
        float(params.foot_length_mm),
        float(params.ball_width_mm),
        float(params.heel_width_mm),
        resolved_arch_length_mm(params),
        ARCH_SHAPES[params.arch_type].medial_waist_frac,
    )


def outline_mm(params: FootParams) -> np.ndarray:
    """The footprint polygon of the foot: the exact projection of the foot on the ground.

    Parameters
    ----------
    params
        The foot.

    Returns
    -------
    np.ndarray
        (k, 2) float64, mm, foot frame; counter-clockwise seen from above, starting at the
        pternion (0, 0), vertices ~0.5 mm apart. A left foot's outline is the right one mirrored
        (y -> -y), reordered so it stays counter-clockwise.
    """
    poly = outline_model(params).polygon.copy()
    if params.side == "left":
        poly[:, 1] *= -1.0
        poly = np.vstack([poly[:1], poly[:0:-1]])
    return poly


def medial_y(model: OutlineShape, x: np.ndarray) -> np.ndarray:
    """The outline's largest y (its medial border) at x, 0 <= x <= L, from the analytic pieces."""
    x = np.asarray(x, dtype=np.float64)
    half_w, half_h = 0.5 * model.ball_width, 0.5 * model.heel_width
    xh, x1, length = model.heel_x, model.arch_length, model.length
    heel = half_h * np.sqrt(np.clip(1.0 - ((xh - x) / xh) ** 2, 0.0, 1.0))
    border = _border(x, xh, x1, half_h, half_w, model.medial_waist)
    u = np.clip((x - x1) / (length - x1), 0.0, 1.0)
    y_tip = model.tips[0, 1]
    hallux = y_tip + (half_w - y_tip) * (1.0 - u**TOE_SIDE_EXPONENT) ** (1.0 / TOE_SIDE_EXPONENT)
    return np.where(x < xh, heel, np.where(x <= x1, border, hallux))


def _border(x, x0, x1, y0, y1, waist):  # type: ignore[no-untyped-def]
    """|y| of a side border from the heel's widest point (x0, y0) to a met head (x1, y1).

    A smoothstep from y0 to y1 (level at both ends, so both are extremes) minus a waist bump that
    keeps the border inside the heel breadth for the rest of the rear 20 %.
    """
    u = np.clip((x - x0) / (x1 - x0), 0.0, 1.0)
    step = u * u * (3.0 - 2.0 * u)
    bump = 16.0 * u * u * (1.0 - u) ** 2
    return y0 + (y1 - y0) * (step - waist * bump)


def _notch_profile(t: np.ndarray) -> np.ndarray:
    """0 at a notch (t = 0) rising to 1 at a tip (t = 1), level at the tip: a toe's rounded end."""
    s = NOTCH_SHARPNESS
    c = np.sqrt(1.0 - s * s)
    return (np.sqrt(1.0 - ((1.0 - t) * s) ** 2) - c) / (1.0 - c)


def _superellipse(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(u, v) on the quadrant u^n + v^n = 1, from (1, 0) at t = 0 to (0, 1) at t = 1."""
    psi = 0.5 * np.pi * t
    e = 2.0 / TOE_SIDE_EXPONENT
    return np.abs(np.cos(psi)) ** e, np.abs(np.sin(psi)) ** e


def pieces(m: OutlineShape) -> list[Callable[[np.ndarray], np.ndarray]]:
    """The analytic pieces, CCW from the pternion, each mapping t in [0, 1] to points (n, 2)."""
    half_w, half_h = 0.5 * m.ball_width, 0.5 * m.heel_width
    xh, x1, x5, length = m.heel_x, m.arch_length, m.mth5_x, m.length
    tips, notches = m.tips, m.notches

    def heel_lateral(t: np.ndarray) -> np.ndarray:
        th = -0.5 * np.pi * t
        return np.stack([xh * (1.0 - np.cos(th)), half_h * np.sin(th)], axis=1)

    def lateral_border(t: np.ndarray) -> np.ndarray:
        x = xh + t * (x5 - xh)
        return np.stack([x, -_border(x, xh, x5, half_h, half_w, LATERAL_WAIST_FRAC)], axis=1)

    def fifth_toe_side(t: np.ndarray) -> np.ndarray:
        u, v = _superellipse(1.0 - t)  # t = 0 at the 5th MTH (u = 0), 1 at the 5th toe tip
        tip = tips[4]
        return np.stack([x5 + u * (tip[0] - x5), tip[1] + v * (-half_w - tip[1])], axis=1)

    # The front runs from the 5th toe tip to the hallux tip (y increasing) through the notches.
    knots = [tips[4], notches[3], tips[3], notches[2], tips[2], notches[1], tips[1], notches[0]]
    knots.append(tips[0])

    def front_piece(a: np.ndarray, b: np.ndarray, a_is_tip: bool):  # type: ignore[no-untyped-def]
        def piece(t: np.ndarray) -> np.ndarray:
            y = a[1] + t * (b[1] - a[1])
            tip, notch, tt = (a, b, 1.0 - t) if a_is_tip else (b, a, t)
            x = notch[0] + (tip[0] - notch[0]) * _notch_profile(tt)
            return np.stack([x, y], axis=1)

        return piece

    fronts = [front_piece(knots[i], knots[i + 1], i % 2 == 0) for i in range(len(knots) - 1)]

    def hallux_side(t: np.ndarray) -> np.ndarray:
        u, v = _superellipse(t)  # t = 0 at the hallux tip (u = 1), 1 at the 1st MTH
        tip = tips[0]
        return np.stack([x1 + u * (length - x1), tip[1] + v * (half_w - tip[1])], axis=1)

    def medial_border(t: np.ndarray) -> np.ndarray:
        x = x1 - t * (x1 - xh)
        return np.stack([x, _border(x, xh, x1, half_h, half_w, m.medial_waist)], axis=1)

    def heel_medial(t: np.ndarray) -> np.ndarray:
        th = 0.5 * np.pi * (1.0 - t)
        return np.stack([xh * (1.0 - np.cos(th)), half_h * np.sin(th)], axis=1)

    return [
        heel_lateral,
        lateral_border,
        fifth_toe_side,
        *fronts,
        hallux_side,
        medial_border,
        heel_medial,
    ]


def _sample(shape: OutlineShape, spacing_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """The outline sampled at ~``spacing_mm`` along each piece, piece ends exact: (k, 2) CCW
    points, and the index where each piece starts."""
    t_dense = np.linspace(0.0, 1.0, 2049)
    parts = []
    for fn in pieces(shape):
        pts = fn(t_dense)
        arc = np.r_[0.0, np.cumsum(np.hypot(*np.diff(pts, axis=0).T))]
        n_seg = max(2, int(np.ceil(arc[-1] / spacing_mm)))
        t = np.interp(np.linspace(0.0, arc[-1], n_seg + 1), arc, t_dense)
        t[0], t[-1] = 0.0, 1.0
        parts.append(fn(t)[:-1])  # the next piece starts where this one ends
    starts = np.cumsum([0] + [len(p) for p in parts[:-1]])
    return np.vstack(parts), starts


def rim_indices(o: Outline, *, spacing_mm: float, multiple: int = 1) -> np.ndarray:
    """Indices of ``o.polygon`` ~``spacing_mm`` apart, keeping every piece end (the landmarks).

    Their count is a multiple of ``multiple`` (the longest pieces get the extra vertices). A
    subset of the truth polygon's vertices, so a mesh built on it stays inside the outline.
    """
    ends = np.r_[o.piece_starts, len(o.polygon)]
    n_fine = np.diff(ends)
    n_pick = np.clip(np.ceil(n_fine * OUTLINE_SPACING_MM / spacing_mm), 1, n_fine).astype(int)
    longest_first = np.argsort(-n_fine, kind="stable")
    for k in range((-int(n_pick.sum())) % multiple):
        i = longest_first[k % len(longest_first)]
        n_pick[i] = min(n_pick[i] + 1, n_fine[i])
    picks = [
        start + np.round(np.linspace(0, n, m + 1)[:-1]).astype(np.int64)
        for start, n, m in zip(o.piece_starts, n_fine, n_pick, strict=True)
    ]
    return np.concatenate(picks)


def _build(length: float, width: float, heel: float, arch: float, waist: float) -> Outline:
    tip_x = length * np.asarray(TOE_TIP_X_FRAC)
    tip_y = width * np.asarray(TOE_TIP_Y_FRAC)
    tips = np.stack([tip_x, tip_y], axis=1)
    tips[0, 0] = length  # exactly, whatever the float product
    notch_x = np.minimum(tip_x[:-1], tip_x[1:]) - NOTCH_DEPTH_FRAC * length
    notches = np.stack([notch_x, width * np.asarray(NOTCH_Y_FRAC)], axis=1)
    shape = OutlineShape(
        length=length,
        ball_width=width,
        heel_width=heel,
        arch_length=arch,
        medial_waist=waist,
        heel_x=HEEL_WIDEST_FRAC * length,
        mth5_x=arch - MTH5_BEHIND_MTH1_FRAC * length,
        tips=tips,
        notches=notches,
        centre=np.array([CENTRE_X_FRAC * length, 0.0]),
    )
    poly, piece_starts = _sample(shape, OUTLINE_SPACING_MM)
    poly = _snap(poly, shape)
    seg = np.roll(poly, -1, axis=0) - poly
    edges = np.hypot(seg[:, 0], seg[:, 1])
    rel = poly - shape.centre
    cross = rel[:, 0] * np.roll(rel[:, 1], -1) - rel[:, 1] * np.roll(rel[:, 0], -1)
    if not (cross > 0.0).all():  # a bug in the construction, not bad input: params are validated
        raise AssertionError("synthetic outline is not star-shaped from its centre")
    angles = np.arctan2(rel[:, 1], rel[:, 0])
    order = np.argsort(angles, kind="stable")
    body_x = np.linspace(0.0, length, int(np.ceil(length)) + 1)
    hull = poly[ConvexHull(poly).vertices]
    body_med, body_lat = (_moving_average(e, BODY_SMOOTHING_MM) for e in envelope(hull, body_x))
    return Outline(
        **{f.name: getattr(shape, f.name) for f in fields(OutlineShape)},
        polygon=poly,
        piece_starts=piece_starts,
        max_edge=float(edges.max()),
        seg_start=poly,
        seg_vector=seg,
        seg_inv_len2=1.0 / edges**2,
        tree=cKDTree(poly),
        angles=angles[order],
        order=order,
        body_x=body_x,
        body_medial=body_med,
        body_lateral=body_lat,
    )


def _snap(pts: np.ndarray, model: OutlineShape) -> np.ndarray:
    exact = np.vstack(
        [
            [[0.0, 0.0]],
            [[model.heel_x, 0.5 * model.heel_width], [model.heel_x, -0.5 * model.heel_width]],
            [[model.arch_length, 0.5 * model.ball_width], [model.mth5_x, -0.5 * model.ball_width]],
            model.tips,
            model.notches,
        ]
    )
    d = np.linalg.norm(pts[:, None, :] - exact[None, :, :], axis=2)
    near = d.min(axis=1) < 1e-6
    out = pts.copy()
    out[near] = exact[d[near].argmin(axis=1)]
    return out


def envelope(poly: np.ndarray, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Largest and smallest y of the closed polygon on each vertical line x = xs."""
    a, b = poly, np.roll(poly, -1, axis=0)
    lo, hi = np.minimum(a[:, 0], b[:, 0]), np.maximum(a[:, 0], b[:, 0])
    x = xs[:, None]
    spans = (lo[None, :] <= x) & (x <= hi[None, :])
    dx = b[:, 0] - a[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(dx != 0.0, (x - a[:, 0]) / dx, 0.0)
    y = a[:, 1] + t * (b[:, 1] - a[:, 1])
    y_max = np.where(
        spans, np.maximum(y, np.where(dx == 0.0, np.maximum(a[:, 1], b[:, 1]), y)), -np.inf
    ).max(axis=1)
    y_min = np.where(
        spans, np.minimum(y, np.where(dx == 0.0, np.minimum(a[:, 1], b[:, 1]), y)), np.inf
    ).min(axis=1)
    return y_max, y_min


def _moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average, the ends padded with their own values."""
    padded = np.pad(values, window // 2, mode="edge")
    return np.convolve(padded, np.full(window, 1.0 / window), mode="valid")
