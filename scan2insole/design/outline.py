"""The insole outline: the footprint offset by a margin, cut to length or sized to a shoe.

- ``full``: the footprint offset outward by ``margin_mm`` (E). With a shoe size, the part ahead of
  the metatarsal heads is stretched along +x so the outline is as long as the shoe's last
  (the sock-liner it replaces), heel and sides untouched.
- ``sulcus`` / ``three_quarter``: the full outline cut along the metatarsal parabola shifted
  ``sulcus_offset_mm`` distal / ``frame_margin_mm`` proximal (CLINICAL §3.6: a ¾ frame ends just
  proximal to the weight-bearing metatarsal heads and follows the metatarsal parabola). The
  parabola passes through the 1st and 5th heads and bulges ``PARABOLA_SAGITTA_MM`` ahead of
  their chord midway (E: the 2nd and 3rd heads stand ahead of that chord); being curved, it also
  keeps the outline free of long straight runs, which the solid's Delaunay triangulation does
  not handle. The cut is a level set of ``max(offset footprint, distance past the parabola)``,
  so its corners are rounded like the rest.

Shoe sizes to last length (CLINICAL §5, calculator conventions, V): EU n -> n x 2/3 cm; UK n ->
(n + 25) / 3 in; US men n -> (n + 24) / 3 in; US women n -> (n + 23) / 3 in; Mondopoint n (the
foot length in mm) -> n + 15 mm, the same 1.5 cm allowance the EU formula implies.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.anatomy import Anatomy, mth_line_x
from scan2insole.errors import DesignError
from scan2insole.heightmap import sample
from scan2insole.outline import level_outline, resample, signed_distance_mm
from scan2insole.profile import OutlineParams
from scan2insole.records import FootAnalysis, HeightMap

OUTLINE_SPACING_MM = 1.5
INCH_MM = 25.4
MONDOPOINT_ALLOWANCE_MM = 15.0
# A shoe outline must hold the foot and not be absurdly long (E): from the foot length minus
# this (toes may bend into a snug shoe) to the foot length plus that.
SHOE_SHORTER_MM = 5.0
SHOE_LONGER_MM = 50.0
# A cut outline must keep at least this much of the foot (E: a heel cup alone is not an insole).
MIN_CUT_LENGTH_FRAC = 0.4
PARABOLA_SAGITTA_MM = 5.0


def shoe_last_length_mm(system: str, size: float) -> float:
    """The last (inner shoe) length a shoe size implies, mm (module docstring)."""
    if system == "eu":
        return size * 20.0 / 3.0
    if system == "uk":
        return (size + 25.0) / 3.0 * INCH_MM
    if system == "us_men":
        return (size + 24.0) / 3.0 * INCH_MM
    if system == "us_women":
        return (size + 23.0) / 3.0 * INCH_MM
    if system == "mondopoint":
        return size + MONDOPOINT_ALLOWANCE_MM
    raise ValueError(f"no shoe size system {system!r}")  # a bug: the profile is validated


def cut_x(anatomy: Anatomy, params: OutlineParams, y_mm: np.ndarray) -> np.ndarray:
    """x of a sulcus or ¾ outline's distal edge at y (before the corners are rounded)."""
    shift = params.sulcus_offset_mm if params.length == "sulcus" else -params.frame_margin_mm
    y1, y5 = anatomy.mth1_mm[1], anatomy.mth5_mm[1]
    u = (np.asarray(y_mm, dtype=np.float64) - 0.5 * (y1 + y5)) / (0.5 * abs(y1 - y5))
    return mth_line_x(anatomy, y_mm) + shift + PARABOLA_SAGITTA_MM * (1.0 - u * u)


def _offset_field(analysis: FootAnalysis, margin_mm: float) -> np.ndarray:
    plantar = analysis.plantar
    sdf = signed_distance_mm(analysis.footprint, plantar.cell_mm)
    if sdf.max() < margin_mm + 2 * plantar.cell_mm:
        raise DesignError(f"outline margin {margin_mm} mm does not fit the analysis grid")
    if sdf.min() > margin_mm - plantar.cell_mm:
        raise DesignError(f"outline margin {margin_mm} mm leaves nothing of the footprint")
    return sdf - margin_mm


def asked_length_mm(analysis: FootAnalysis, anatomy: Anatomy, params: OutlineParams) -> float:
    """The outline length the profile asks for on this foot (heel end to distal end, along x).

    Full length: footprint length + 2 margins, or the shoe's last length. Sulcus / ¾: from the
    heel end (footprint rear - margin) to the farthest point of the cut that lies within the
    offset footprint.
    """
    fp = analysis.outline_mm
    heel = float(fp[:, 0].min()) - params.margin_mm
    if params.length == "full":
        if params.shoe_size_system != "none":
            return shoe_last_length_mm(params.shoe_size_system, params.shoe_size)
        return float(fp[:, 0].max()) + params.margin_mm - heel
    field = HeightMap(
        origin_mm=analysis.plantar.origin_mm,
        cell_mm=analysis.plantar.cell_mm,
        z_mm=_offset_field(analysis, params.margin_mm),
    )
    y = np.arange(fp[:, 1].min() - params.margin_mm, fp[:, 1].max() + params.margin_mm, 0.05)
    x = cut_x(anatomy, params, y)
    on = sample(field, np.column_stack([x, y])) <= 0.0
    return float(x[on].max()) - heel


def insole_outline(analysis: FootAnalysis, anatomy: Anatomy, params: OutlineParams) -> np.ndarray:
    """The insole outline (k, 2), counter-clockwise, right-foot design frame (mm)."""
    plantar = analysis.plantar
    field = _offset_field(analysis, params.margin_mm)
    if params.length != "full":
        ny, nx = field.shape
        xs = plantar.origin_mm[0] + plantar.cell_mm * np.arange(nx)
        ys = plantar.origin_mm[1] + plantar.cell_mm * np.arange(ny)
        past = xs[None, :] - cut_x(anatomy, params, ys)[:, None]
        field = np.maximum(field, past)
    outline = level_outline(
        field, 0.0, plantar.origin_mm, plantar.cell_mm, spacing_mm=OUTLINE_SPACING_MM
    )
    length = float(np.ptp(outline[:, 0]))
    if params.length != "full" and length < MIN_CUT_LENGTH_FRAC * anatomy.foot_length_mm:
        raise DesignError(
            f"a {params.length} outline would be {length:.0f} mm long on a "
            f"{anatomy.foot_length_mm:.0f} mm foot; expected at least "
            f"{MIN_CUT_LENGTH_FRAC * anatomy.foot_length_mm:.0f} mm"
        )
    if params.length == "full" and params.shoe_size_system != "none":
        outline = _stretch_to_shoe(outline, anatomy, params)
    return outline


def _stretch_to_shoe(outline: np.ndarray, anatomy: Anatomy, params: OutlineParams) -> np.ndarray:
    target = shoe_last_length_mm(params.shoe_size_system, params.shoe_size)
    lo = anatomy.foot_length_mm - SHOE_SHORTER_MM
    hi = anatomy.foot_length_mm + SHOE_LONGER_MM
    if not lo <= target <= hi:
        raise DesignError(
            f"shoe size {params.shoe_size_system} {params.shoe_size:g} is {target:.0f} mm long; "
            f"this {anatomy.foot_length_mm:.0f} mm foot needs {lo:.0f}-{hi:.0f} mm"
        )
    x0, x1 = float(outline[:, 0].min()), float(outline[:, 0].max())
    ball = float(min(anatomy.mth1_mm[0], anatomy.mth5_mm[0]))
    k = (x0 + target - ball) / (x1 - ball)
    out = outline.copy()
    ahead = out[:, 0] > ball
    out[ahead, 0] = ball + (out[ahead, 0] - ball) * k
    return resample(out, spacing_mm=OUTLINE_SPACING_MM)
