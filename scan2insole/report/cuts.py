"""Sections and masks the pictures are drawn from, all in the right-foot design frame (mm).

A section is a straight cut at constant x (frontal, seen from behind) or constant y (sagittal,
seen from the medial side) through the plantar map, the insole's top and bottom height fields
and the scan. The insole exists only inside its outline; the fields are NaN elsewhere here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.path import Path

from scan2insole.analyse.contact import CONTACT_HEIGHT_MM, contact_print
from scan2insole.records import FootAnalysis, HeightMap, InsoleDesign

SLAB_HALF_MM = 1.0
"""Scan points within this distance of a section plane are drawn on it: a 2 mm slab holds the
surface of a 1 mm sampled scan on both sides of the plane without blurring its shape."""
FIRST_MTH_X_FRAC = 0.72
FIFTH_MTH_X_FRAC = 0.64
"""Fallback positions of the metatarsal heads along the foot (/ foot length) when the analysis
has no landmarks (E, the design stage's documented fallback: ANSUR II ball length / foot length
0.741, the 5th head ~0.1 L behind the 1st)."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Section:
    """One straight cut through foot and insole."""

    s_mm: np.ndarray
    """(k,) float64: position along the cut (y for a frontal cut, x for a sagittal one)."""
    plantar_mm: np.ndarray
    """(k,) float64: height of the foot's plantar surface; NaN outside the footprint."""
    top_mm: np.ndarray
    """(k,) float64: height of the insole's top; NaN outside the insole outline."""
    bottom_mm: np.ndarray
    """(k,) float64: height of the insole's bottom; NaN outside the insole outline."""
    scan_mm: np.ndarray
    """(p, 2) float64: scan points within ``SLAB_HALF_MM`` of the plane, as (s, z)."""


def inside(outline_mm: np.ndarray, xy_mm: np.ndarray) -> np.ndarray:
    """(n,) bool: which points (n, 2) lie inside the closed polygon (k, 2)."""
    return Path(outline_mm).contains_points(xy_mm)


def grid_inside(hm: HeightMap, outline_mm: np.ndarray) -> np.ndarray:
    """(ny, nx) bool: grid cells of ``hm`` whose centres lie inside the outline."""
    xx, yy = np.meshgrid(hm.x_mm, hm.y_mm)
    return inside(outline_mm, np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)


def thickness_map(design: InsoleDesign) -> np.ndarray:
    """(ny, nx) float64 mm: top minus bottom inside the insole outline, NaN outside."""
    t = design.top.z_mm - design.bottom.z_mm
    return np.where(grid_inside(design.top, design.outline_mm), t, np.nan)


def _line(hm: HeightMap, *, x_mm: float | None = None, y_mm: float | None = None) -> np.ndarray:
    """The nearest grid column (x given) or row (y given) of ``hm``."""
    if x_mm is not None:
        j = int(np.clip(np.rint((x_mm - hm.origin_mm[0]) / hm.cell_mm), 0, hm.z_mm.shape[1] - 1))
        return hm.z_mm[:, j]
    i = int(np.clip(np.rint((y_mm - hm.origin_mm[1]) / hm.cell_mm), 0, hm.z_mm.shape[0] - 1))
    return hm.z_mm[i, :]


def frontal(
    analysis: FootAnalysis, design: InsoleDesign, scan_mm: np.ndarray, *, x_mm: float
) -> Section:
    """The cut at constant ``x_mm``; ``s`` is y (medial +)."""
    y = design.top.y_mm
    in_insole = inside(design.outline_mm, np.column_stack([np.full_like(y, x_mm), y]))
    slab = np.abs(scan_mm[:, 0] - x_mm) <= SLAB_HALF_MM
    plantar = np.interp(y, analysis.plantar.y_mm, _line(analysis.plantar, x_mm=x_mm))
    return Section(
        s_mm=y,
        plantar_mm=np.where(_line_footprint(analysis, x_mm=x_mm, along=y), plantar, np.nan),
        top_mm=np.where(in_insole, _line(design.top, x_mm=x_mm), np.nan),
        bottom_mm=np.where(in_insole, _line(design.bottom, x_mm=x_mm), np.nan),
        scan_mm=scan_mm[slab][:, [1, 2]],
    )


def sagittal(
    analysis: FootAnalysis, design: InsoleDesign, scan_mm: np.ndarray, *, y_mm: float
) -> Section:
    """The cut at constant ``y_mm``; ``s`` is x (heel to toe)."""
    x = design.top.x_mm
    in_insole = inside(design.outline_mm, np.column_stack([x, np.full_like(x, y_mm)]))
    slab = np.abs(scan_mm[:, 1] - y_mm) <= SLAB_HALF_MM
    plantar = np.interp(x, analysis.plantar.x_mm, _line(analysis.plantar, y_mm=y_mm))
    return Section(
        s_mm=x,
        plantar_mm=np.where(_line_footprint(analysis, y_mm=y_mm, along=x), plantar, np.nan),
        top_mm=np.where(in_insole, _line(design.top, y_mm=y_mm), np.nan),
        bottom_mm=np.where(in_insole, _line(design.bottom, y_mm=y_mm), np.nan),
        scan_mm=scan_mm[slab][:, [0, 2]],
    )


def _line_footprint(
    analysis: FootAnalysis,
    *,
    along: np.ndarray,
    x_mm: float | None = None,
    y_mm: float | None = None,
) -> np.ndarray:
    """(k,) bool: which positions ``along`` the cut lie on the footprint."""
    hm = analysis.plantar
    mask = analysis.footprint
    if x_mm is not None:
        j = int(np.clip(np.rint((x_mm - hm.origin_mm[0]) / hm.cell_mm), 0, mask.shape[1] - 1))
        line, grid = mask[:, j], hm.y_mm
    else:
        i = int(np.clip(np.rint((y_mm - hm.origin_mm[1]) / hm.cell_mm), 0, mask.shape[0] - 1))
        line, grid = mask[i, :], hm.x_mm
    k = np.clip(np.rint((along - grid[0]) / hm.cell_mm).astype(np.int64), 0, len(grid) - 1)
    return line[k] & (along >= grid[0] - hm.cell_mm) & (along <= grid[-1] + hm.cell_mm)


def metatarsal_heads_x(analysis: FootAnalysis) -> tuple[float, float]:
    """x of the 1st and 5th metatarsal heads: the landmarks, or the documented fallback."""
    lm = getattr(analysis, "landmarks", None)
    first = getattr(lm, "first_mth_mm", None)
    fifth = getattr(lm, "fifth_mth_mm", None)
    if first is not None and fifth is not None and np.isfinite([first[0], fifth[0]]).all():
        return float(first[0]), float(fifth[0])
    length = analysis.measurements.foot_length_mm
    return FIRST_MTH_X_FRAC * length, FIFTH_MTH_X_FRAC * length


def contact_mask(analysis: FootAnalysis) -> np.ndarray:
    """(ny, nx) bool on the plantar grid: the contact print without toes.

    The plantar surface within ``CONTACT_HEIGHT_MM`` of the support plane, toes removed, by the
    analysis's own rule (``analyse.contact``); a record that keeps its print (a ``contact``
    field) is read as it is. The analysis also reads the scan's raw lower envelope, which the
    record does not keep, so this print is read off the hole-filled plantar map alone; the two
    differ only where the scan had holes.
    """
    kept = getattr(analysis, "contact", None)
    if kept is not None:
        return np.asarray(kept, dtype=bool)
    first_x, _ = metatarsal_heads_x(analysis)
    return contact_print(
        analysis.plantar,
        np.zeros(analysis.footprint.shape, dtype=bool),  # the plantar map has no unseen cells
        analysis.footprint,
        height_mm=CONTACT_HEIGHT_MM,
        first_mth_x_mm=first_x,
        foot_length_mm=analysis.measurements.foot_length_mm,
    )
