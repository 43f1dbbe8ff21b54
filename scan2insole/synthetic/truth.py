"""The ground truth of a synthetic foot: its measurements and landmarks, known by construction.

Each value follows the project's definition (CLINICAL.md §1-2) and is evaluated on the analytic
surface of ``surface.py`` (finely, where a maximum or an area is involved), never by a measuring
routine of the pipeline:

- foot length: pternion to the most distal point along x, i.e. the hallux tip's x;
- ball width: max y - min y of the outline (caliper jaws parallel to the axis);
- heel width: max y - min y of the outline within x <= 0.2 L (the side walls there are below
  40 mm, so this is the breadth below 40 mm);
- arch length: x of the 1st metatarsal head (its most medial point);
- dorsal height 50 %: highest point of the surface on the section x = 0.5 L;
- medial arch height: highest plantar point on the line 0.25 W in from the medial outline,
  0.30 L <= x <= 0.60 L;
- arch index (Cavanagh & Rodgers): contact = plantar surface within 2 mm of z = 0; the toes are
  cut off along the sulcus line (the crest of the raise under the toe bases, which parts the
  toe prints from the ball print); the rest is split into equal thirds of its length along x;
  AI = middle-third area / total area (``footprint.arch_index``, on a 0.25 mm grid).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType

import numpy as np
from scipy.optimize import minimize_scalar

from scan2insole.records import Side, Unit, frozen_array
from scan2insole.synthetic.footprint import (
    arch_index,
    bottom_z,
    surface_model,
)
from scan2insole.synthetic.outline import envelope, medial_y
from scan2insole.synthetic.params import ArchType, FootParams
from scan2insole.synthetic.surface import (
    ARCH_PEAK_FRAC,
    DORSAL_STATION_FRAC,
    MEDIAL_ARCH_LINE_FRAC,
    Surface,
    distance_to_outline,
    heights,
    sulcus_x,
)

HEEL_REGION_FRAC = 0.20  # heel width is taken within the rearmost 20 % of the length
ARCH_LINE_RANGE_FRAC = (0.30, 0.60)
LANDMARK_NAMES = (
    "pternion",
    "hallux_tip",
    "second_toe_tip",
    "mth1",
    "mth5",
    "navicular",
    "arch_apex",
)
_RIGHT_FROM_LEFT = np.diag([1.0, -1.0, 1.0, 1.0])


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class FootTruth:
    """What a perfect measurement of a synthetic foot gives; lengths in mm, foot frame.

    The foot frame is the frame ``foot_mesh`` builds the foot in: origin the pternion on the
    ground, +x along the axis (pternion -> 2nd toe tip), +z up, z = 0 the support plane. For a
    right foot +y is medial; a left foot is the mirror image, so its medial side is -y.
    """

    side: Side
    arch_type: ArchType
    """The ground-truth arch class."""
    foot_length_mm: float
    ball_width_mm: float
    heel_width_mm: float
    arch_length_mm: float
    dorsal_height_50_mm: float
    arch_height_index: float
    """dorsal_height_50 / arch_length (the AHI with truncated foot length)."""
    medial_arch_height_mm: float
    arch_index: float
    """Cavanagh & Rodgers arch index of the 2 mm contact footprint, toes removed."""
    landmarks: Mapping[str, np.ndarray]
    """(3,) float64 points, mm, foot frame: pternion, hallux_tip, second_toe_tip, mth1 (most
    medial point of the 1st metatarsal head), mth5 (most lateral of the 5th), navicular (most
    medial point of the foot at 0.43 L, where the arch peaks; E), arch_apex (the highest point of
    the medial arch height line). Outline landmarks lie on the outline at the edge height."""
    sulcus_line_mm: np.ndarray
    """(2, 2) float64, mm, foot frame: medial and lateral end of the line the toes are cut at."""
    scanner_from_foot: np.ndarray
    """(4, 4) float64, mm: the rigid pose applied to the foot, before the unit scale."""
    design_from_scanner: np.ndarray
    """(4, 4) float64, mm: what ``frame`` should recover as ``foot_from_scanner``, the right-foot
    design frame from scanner mm (for a left foot it includes the y mirror: determinant -1)."""
    unit: Unit
    mm_per_unit: float

    def __post_init__(self) -> None:
        marks = {
            name: frozen_array(self.landmarks[name], dtype=np.float64, shape=(3,), name=name)
            for name in LANDMARK_NAMES
        }
        object.__setattr__(self, "landmarks", MappingProxyType(marks))
        for name, shape in (
            ("sulcus_line_mm", (2, 2)),
            ("scanner_from_foot", (4, 4)),
            ("design_from_scanner", (4, 4)),
        ):
            value = frozen_array(getattr(self, name), dtype=np.float64, shape=shape, name=name)
            object.__setattr__(self, name, value)


def foot_truth(params: FootParams) -> FootTruth:
    """The ground truth of ``params`` in the foot frame, unposed and in millimetres.

    Parameters
    ----------
    params
        The foot.

    Returns
    -------
    FootTruth
        Identity ``scanner_from_foot``, unit ``"mm"``.
    """
    right = _right_truth(surface_model(params), params.arch_type)
    if params.side == "right":
        return right
    mirror = np.array([1.0, -1.0, 1.0])
    return replace(
        right,
        side="left",
        landmarks={name: point * mirror for name, point in right.landmarks.items()},
        sulcus_line_mm=right.sulcus_line_mm * mirror[:2],
        design_from_scanner=_RIGHT_FROM_LEFT,
    )


@lru_cache(maxsize=32)
def _right_truth(s: Surface, arch_type: ArchType) -> FootTruth:
    o = s.outline
    poly = o.polygon
    length = float(poly[:, 0].max())
    x_rear = HEEL_REGION_FRAC * length
    rear_max, rear_min = envelope(poly, np.array([x_rear]))  # where the rear 20 % ends
    rear = poly[poly[:, 0] <= x_rear, 1]
    heel_width = max(rear.max(), rear_max[0]) - min(rear.min(), rear_min[0])
    dorsal = _dorsal_height(s, DORSAL_STATION_FRAC * length)
    arch_x, arch_h = _medial_arch(s)
    arch_y = float(medial_y(o, np.array([arch_x]))[0]) - MEDIAL_ARCH_LINE_FRAC * o.ball_width
    x_nav = ARCH_PEAK_FRAC * o.length
    on_outline = np.array(
        [
            [0.0, 0.0],
            o.tips[0],
            o.tips[1],
            [o.arch_length, 0.5 * o.ball_width],
            [o.mth5_x, -0.5 * o.ball_width],
            [x_nav, float(medial_y(o, np.array([x_nav]))[0])],
        ]
    )
    edge = heights(s, on_outline[:, 0], on_outline[:, 1], np.zeros(len(on_outline)))[2]
    landmarks = dict(zip(LANDMARK_NAMES[:-1], np.column_stack([on_outline, edge]), strict=True))
    landmarks["arch_apex"] = np.array([arch_x, arch_y, arch_h])
    half_w = 0.5 * o.ball_width
    arch_length = float(poly[np.argmax(poly[:, 1]), 0])
    return FootTruth(
        side="right",
        arch_type=arch_type,
        foot_length_mm=length,
        ball_width_mm=float(poly[:, 1].max() - poly[:, 1].min()),
        heel_width_mm=float(heel_width),
        arch_length_mm=arch_length,
        dorsal_height_50_mm=dorsal,
        arch_height_index=dorsal / arch_length,
        medial_arch_height_mm=arch_h,
        arch_index=arch_index(s),
        landmarks=landmarks,
        sulcus_line_mm=np.array([[sulcus_x(s, np.array([y]))[0], y] for y in (half_w, -half_w)]),
        scanner_from_foot=np.eye(4),
        design_from_scanner=np.eye(4),
        unit="mm",
        mm_per_unit=1.0,
    )


def _top_z(s: Surface, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    pts = np.column_stack([x, y])
    delta = distance_to_outline(s.outline, pts, cap=1e3)
    return heights(s, x, y, delta)[1]


def _refined_max(fn, lo: float, hi: float, step: float) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(argmax, max) of a smooth 1-D function: a grid search polished by a bounded search."""
    t = np.arange(lo, hi + 0.5 * step, step)
    t[-1] = min(t[-1], hi)
    z = fn(t)
    k = int(np.argmax(z))
    a, b = t[max(k - 1, 0)], t[min(k + 1, len(t) - 1)]
    res = minimize_scalar(
        lambda u: -fn(np.array([u]))[0], bounds=(a, b), method="bounded", options={"xatol": 1e-9}
    )
    if -res.fun >= z[k]:
        return float(res.x), float(-res.fun)
    return float(t[k]), float(z[k])


def _dorsal_height(s: Surface, x: float) -> float:
    o = s.outline
    top, bottom = envelope(o.polygon, np.array([x]))  # the section's ends on the outline
    lo, hi = float(bottom[0]), float(top[0])
    return _refined_max(lambda y: _top_z(s, np.full_like(y, x), y), lo, hi, 0.05)[1]


def _medial_arch(s: Surface) -> tuple[float, float]:
    o = s.outline
    offset = MEDIAL_ARCH_LINE_FRAC * o.ball_width

    def line(x: np.ndarray) -> np.ndarray:
        return bottom_z(s, x, medial_y(o, x) - offset)

    lo, hi = (f * o.length for f in ARCH_LINE_RANGE_FRAC)
    return _refined_max(line, lo, hi, 0.05)
