"""The plantar surface as the ground sees it: heights, the contact footprint, the arch index.

An arch type is a target Cavanagh arch index. Where the arch meets the ground (``contact_frac``)
is solved for each foot so its footprint hits that target, since the same arch on a wider heel
or a shorter arch length prints differently; the medial arch height does not depend on it.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.optimize import brentq

from scan2insole.synthetic.params import (
    ARCH_SHAPES,
    FootParams,
    resolved_arch_length_mm,
    resolved_medial_arch_height_mm,
)
from scan2insole.synthetic.surface import (
    Surface,
    bottom_radius,
    build_surface,
    contact_frac_range,
    distance_to_outline,
    heights,
    inside_outline,
    sulcus_x,
)

CONTACT_HEIGHT_MM = 2.0  # footprint section height used by Bookstein et al. 2015 (CLINICAL §2.1)
ARCH_INDEX_GRID_MM = 0.25  # cell of the truth footprint grid: the index is good to ~1e-3
CALIBRATION_GRID_MM = 1.0  # coarser cells while solving for the contact line (~3e-3)
CALIBRATION_TOLERANCE = 1e-3  # of the contact fraction; moves the index by < 1e-3


def surface_model(params: FootParams) -> Surface:
    """The (cached) surface model of ``params``: right foot, arch tuned to its type's index."""
    key = (
        float(params.foot_length_mm),
        float(params.ball_width_mm),
        float(params.heel_width_mm),
        resolved_arch_length_mm(params),
        float(params.dorsal_height_50_mm),
        params.arch_type,
        resolved_medial_arch_height_mm(params),
    )
    return _surface_cached(key)


@lru_cache(maxsize=32)
def _surface_cached(key: tuple) -> Surface:  # type: ignore[type-arg]
    length, width, heel, arch_length, d50, arch_type, arch_height = key
    params = FootParams(
        foot_length_mm=length,
        ball_width_mm=width,
        heel_width_mm=heel,
        arch_length_mm=arch_length,
        dorsal_height_50_mm=d50,
        arch_type=arch_type,
        medial_arch_height_mm=arch_height,
    )
    target = ARCH_SHAPES[arch_type].target_arch_index

    def miss(contact_frac: float) -> float:
        s = build_surface(params, contact_frac=contact_frac)
        return arch_index(s, grid_mm=CALIBRATION_GRID_MM) - target

    lo, hi = contact_frac_range(params)
    # The index falls as the contact line moves medially-to-laterally (mu0 grows).
    if miss(lo) <= 0.0:
        best = lo
    elif miss(hi) >= 0.0:
        best = hi
    else:
        best = brentq(miss, lo, hi, xtol=CALIBRATION_TOLERANCE)
    return build_surface(params, contact_frac=float(best))


def bottom_z(s: Surface, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Plantar height at points (right-foot frame) known to lie inside the outline."""
    cap = float(np.max(bottom_radius(s, np.linspace(0.0, s.outline.length, 64))))
    delta = distance_to_outline(s.outline, np.column_stack([x, y]), cap=cap)
    return heights(s, x, y, delta)[0]


def plantar_height_mm(params: FootParams, x_mm: np.ndarray, y_mm: np.ndarray) -> np.ndarray:
    """The exact plantar (bottom) surface height at points of the foot frame.

    Parameters
    ----------
    params
        The foot (its side mirrors the frame: a left foot's medial side is -y).
    x_mm, y_mm
        Broadcastable arrays of float, mm, foot frame.

    Returns
    -------
    np.ndarray
        float64, mm, the broadcast shape of the inputs: height of the plantar surface above
        z = 0; NaN outside the outline.
    """
    s = surface_model(params)
    x, y = np.broadcast_arrays(np.asarray(x_mm, dtype=np.float64), np.asarray(y_mm, np.float64))
    shape = x.shape
    x, y = x.ravel(), y.ravel()
    if params.side == "left":
        y = -y
    inside = inside_outline(s.outline, np.column_stack([x, y]))
    z = np.full(len(x), np.nan)
    if inside.any():
        z[inside] = bottom_z(s, x[inside], y[inside])
    return z.reshape(shape)


def arch_index(s: Surface, *, grid_mm: float = ARCH_INDEX_GRID_MM) -> float:
    """Cavanagh & Rodgers arch index of the contact footprint, toes cut at the sulcus line.

    Contact = plantar height <= CONTACT_HEIGHT_MM, sampled at cell centres of a ``grid_mm``
    grid. The toe-less footprint's x extent is split in equal thirds; columns straddling a
    third's edge count in proportion.
    """
    o = s.outline
    g = grid_mm
    half_w = 0.5 * o.ball_width
    x_end = float(sulcus_x(s, np.array([half_w]))[0])
    xs = np.arange(0.5 * g, x_end, g)
    ys = np.arange(-half_w + 0.5 * g, half_w, g)
    xg, yg = (a.ravel() for a in np.meshgrid(xs, ys))
    keep = (xg < sulcus_x(s, yg)) & inside_outline(o, np.column_stack([xg, yg]))
    xg, yg = xg[keep], yg[keep]
    contact = bottom_z(s, xg, yg) <= CONTACT_HEIGHT_MM
    cols = np.round((xg[contact] - 0.5 * g) / g).astype(np.int64)
    area = np.bincount(cols, minlength=len(xs)).astype(np.float64)  # cells per column
    filled = np.flatnonzero(area)
    start, stop = xs[filled[0]] - 0.5 * g, xs[filled[-1]] + 0.5 * g
    third = (stop - start) / 3.0
    left = np.clip(xs - 0.5 * g, start + third, start + 2.0 * third)
    right = np.clip(xs + 0.5 * g, start + third, start + 2.0 * third)
    return float(np.sum(area * (right - left) / g) / area.sum())
