"""Foot measurements in the design frame (CLINICAL.md §1.2).

- foot length: pternion to the most distal toe point, along the foot axis (x);
- ball width: maximum breadth perpendicular to the axis, projected on the ground: the caliper
  breadth (max y - min y) of the whole foot below the leg cut;
- heel width: maximum breadth of a 2 mm slice within the rearmost 20 % of foot length, counting
  only surface below 40 mm height.
"""

from __future__ import annotations

import numpy as np

from scan2insole.records import Measurements

HEEL_REGION_FRAC = 0.20
HEEL_MAX_HEIGHT_MM = 40.0


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
