"""The smooth blend functions every design feature is shaped with.

Each feature is a displacement of the top (or bottom) height field that is 1 (full effect) in its
core and falls to exactly 0 at its edge. The falls are C2 polynomials, so every displacement is
smooth and the features can be summed in any combination without creases:

- ``smoothstep(t)``: 0 for t <= 0, 1 for t >= 1, ``6t^5 - 15t^4 + 10t^3`` between (C2; first and
  second derivatives vanish at both ends; ``smoothstep(0.5) = 0.5``);
- ``dome(r)``: ``(1 - r^2)^3`` for r < 1, else 0 (C2 at r = 1; a quadratic apex at r = 0 and
  symmetric about it, so its highest point is its centre; half its height at
  ``DOME_HALF_R = sqrt(1 - 2^(-1/3))``, so a pad sized by its width at half height has a base
  ``1 / DOME_HALF_R`` = 2.2 times as wide);
- ``smooth_max`` / ``smooth_min``: max / min rounded by a quadratic over a band of width ``k``
  (exact outside the band, C1 inside).
"""

from __future__ import annotations

import numpy as np

DOME_HALF_R = float(np.sqrt(1.0 - 2.0 ** (-1.0 / 3.0)))


def smoothstep(t: np.ndarray | float) -> np.ndarray:
    """C2 step from 0 (t <= 0) to 1 (t >= 1); any shape, float64."""
    t = np.clip(np.asarray(t, dtype=np.float64), 0.0, 1.0)
    return t * t * t * (t * (6.0 * t - 15.0) + 10.0)


def ramp(v: np.ndarray, start: float, end: float) -> np.ndarray:
    """0 before ``start``, 1 after ``end``, a ``smoothstep`` between (``end`` may be < ``start``,
    which gives the falling ramp)."""
    return smoothstep((np.asarray(v, dtype=np.float64) - start) / (end - start))


def band(v: np.ndarray, lo: float, hi: float, *, fall: float) -> np.ndarray:
    """1 on [lo, hi], falling smoothly to 0 over ``fall`` outside each end."""
    return ramp(v, lo - fall, lo) * ramp(v, hi + fall, hi)


def dome(r: np.ndarray) -> np.ndarray:
    """``(1 - r^2)^3`` inside the unit radius, 0 outside; r >= 0 is a normalised distance."""
    q = np.clip(1.0 - np.asarray(r, dtype=np.float64) ** 2, 0.0, None)
    return q * q * q


def smooth_max(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """max(a, b), rounded where |a - b| < k (there it exceeds the max by at most k / 4)."""
    d = a - b
    blend = 0.5 * (a + b) + d * d / (4.0 * k) + 0.25 * k
    return np.where(np.abs(d) >= k, np.maximum(a, b), blend)


def smooth_min(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """min(a, b), rounded where |a - b| < k."""
    return -smooth_max(-a, -b, k)
