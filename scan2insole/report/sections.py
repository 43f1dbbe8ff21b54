"""Picture 4, sections: a frontal cut through the heel (post angle, heel cup depth) and two
sagittal cuts, along the medial arch (arch height, heel lift) and through the metatarsal pad.

Frontal cuts are drawn as seen from behind a right foot (medial on the left); sagittal cuts as
seen from the medial side (heel on the left). The values written on the cut are read off the
cut itself and say so; the prescription's asked and realized values (measured off the exported
mesh by their own definitions) are written beside them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from scan2insole.records import FootAnalysis, InsoleDesign
from scan2insole.report.canvas import axes_at, drawing, new_figure, png_bytes
from scan2insole.report.cuts import Section, frontal, metatarsal_heads_x, sagittal
from scan2insole.report.drawing import DIMENSION_COLOUR, TEXT_BOX, dimension, landmark
from scan2insole.report.prescription import RealizedEntry
from scan2insole.report.readout import NOT_AVAILABLE, is_number, number

HEEL_X_FRAC = 0.18
"""Fallback x of the frontal heel cut (/ foot length) without a heel-centre landmark (E: the
heel centre of adult feet lies near 0.18 L)."""
SEAT_HALF_FRAC = 0.25
"""The heel seat on the frontal cut: within this share of the heel width either side of the
heel centre, clear of the cup's walls (E)."""
SECOND_RAY_FRAC = 0.25
"""Fallback y of the pad cut: this share of the way from the 1st to the 5th metatarsal head,
under the 2nd (E: the 2nd head lies about a quarter of the ball across)."""
SAGITTAL_TOP_MM = 60.0
"""Sagittal cuts show the lower 60 mm: the sole, the arch and the insole, not the instep."""

Entries = tuple[RealizedEntry, ...] | None
"""The realized block as entries; None when the result has none."""

_INSOLE = "#f4a582"
_FOOT = "#2166ac"
_SCAN = "#7f7f7f"


def _entry(entries: Entries, name: str) -> RealizedEntry | None:
    for e in entries or ():
        if e.name == name:
            return e
    return None


def _asked_realized(label: str, asked: object, unit: str, entries: Entries, name: str) -> str:
    """``label: asked A, realized R`` with R from the realized block; a feature the profile
    leaves off (0) and the block does not measure reads ``off``."""
    e = _entry(entries, name)
    if e is not None and e.realized is not None:
        realized = number(e.realized, unit)
    elif entries is None:
        realized = NOT_AVAILABLE
    else:
        realized = "not measured"
    if e is not None and e.asked is None:
        asked_text = "none set"
    elif is_number(asked) and float(asked) == 0.0 and (e is None or e.realized is None):
        return f"{label}: off"
    else:
        asked_text = number(asked, unit)
    return f"{label}: asked {asked_text}, realized {realized}"


def _legend(ax: Axes, notes: list[str]) -> None:
    """The axes' legend outside on the right, the asked/realized notes listed under it (the
    layout reserves room for a legend, so nothing is drawn over the cut)."""
    handles, labels = ax.get_legend_handles_labels()
    blank = Line2D([], [], linestyle="none")
    ax.legend(
        [*handles, *([blank] * len(notes))],
        [*labels, *notes],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=9,
    )


def _draw_cut(ax: Axes, cut: Section) -> None:
    if len(cut.scan_mm):
        ax.scatter(
            cut.scan_mm[:, 0],
            cut.scan_mm[:, 1],
            s=1.5,
            color=_SCAN,
            zorder=2,
            label="scan points within 1 mm of the cut",
            rasterized=True,
        )
    ok = np.isfinite(cut.top_mm) & np.isfinite(cut.bottom_mm)
    ax.fill_between(
        cut.s_mm,
        cut.bottom_mm,
        cut.top_mm,
        where=ok,
        color=_INSOLE,
        edgecolor="#b35806",
        lw=0.8,
        zorder=3,
        label="insole",
        interpolate=False,
    )
    ax.plot(cut.s_mm, cut.plantar_mm, color=_FOOT, lw=1.6, zorder=4, label="foot's plantar surface")
    ax.axhline(0.0, color="black", lw=0.8, zorder=1)


def _interp(cut: Section, values: np.ndarray, s: float) -> float:
    ok = np.isfinite(values)
    if not ok.any():
        return float("nan")
    return float(np.interp(s, cut.s_mm[ok], values[ok]))


def _heel_cut(
    ax: Axes,
    analysis: FootAnalysis,
    design: InsoleDesign,
    scan: np.ndarray,
    profile: Any,
    entries: Entries,
) -> None:
    m = analysis.measurements
    centre = landmark(analysis, "heel_centre_mm")
    length = m.foot_length_mm
    if centre is not None:
        xc, yc = float(centre[0]), float(centre[1])
    else:
        xc = HEEL_X_FRAC * length
        col = np.clip(
            np.rint((xc - analysis.plantar.origin_mm[0]) / analysis.plantar.cell_mm),
            0,
            analysis.footprint.shape[1] - 1,
        ).astype(int)
        ys = analysis.plantar.y_mm[analysis.footprint[:, col]]
        yc = float(ys.mean()) if len(ys) else 0.0
    cut = frontal(analysis, design, scan, x_mm=xc)
    _draw_cut(ax, cut)
    heel_w = float(m.heel_width_mm) if is_number(m.heel_width_mm) else 60.0
    seat = np.abs(cut.s_mm - yc) <= SEAT_HALF_FRAC * heel_w
    seat &= np.isfinite(cut.top_mm) & np.isfinite(cut.bottom_mm)
    notes = []
    if seat.sum() >= 3:
        thick = cut.top_mm[seat] - cut.bottom_mm[seat]
        slope = np.polyfit(cut.s_mm[seat], thick, 1)[0]
        angle = float(np.degrees(np.arctan(slope)))
        ys = cut.s_mm[seat]
        fit_top = np.polyval(np.polyfit(ys, cut.top_mm[seat], 1), ys)
        ax.plot(ys, fit_top, color=DIMENSION_COLOUR, lw=2.2, zorder=6, label="heel seat (fit)")
        notes.append(f"seat thickness slope on this cut: {number(angle, '°')}")
        notes.append("  (varus +; post and skive together)")
    seat_z = _interp(cut, cut.top_mm, yc)
    for side, sel in (("medial", cut.s_mm > yc), ("lateral", cut.s_mm < yc)):
        top = np.where(sel, cut.top_mm, np.nan)
        if not np.isfinite(top).any() or not np.isfinite(seat_z):
            continue
        k = int(np.nanargmax(top))
        rim_y, rim_z = float(cut.s_mm[k]), float(top[k])
        # the y axis runs right to left (seen from behind): medial labels go left of the rim
        outward = 3.0 if side == "medial" else -3.0
        dimension(
            ax,
            (rim_y, seat_z),
            (rim_y, rim_z),
            f"{side} rim\n+{number(rim_z - seat_z, 'mm')}",
            text_at=(rim_y + outward, 0.5 * (seat_z + rim_z)),
            ha="right" if side == "medial" else "left",
        )
        ax.plot([yc, rim_y], [seat_z, seat_z], color=DIMENSION_COLOUR, lw=0.8, ls=":")
    post = profile.rearfoot_post
    lines = [
        _asked_realized(
            f"rearfoot post ({getattr(post, 'kind', '')})",
            post.angle_deg,
            "°",
            entries,
            "rearfoot_post_deg",
        ),
        _asked_realized(
            "heel cup depth", profile.heel_cup.depth_mm, "mm", entries, "heel_cup_depth_mm"
        ),
        *notes,
        "rim heights: above the seat at the heel centre",
    ]
    ax.invert_xaxis()  # seen from behind a right foot: medial (+y) on the left
    seen = cut.s_mm[np.isfinite(cut.top_mm)]
    if len(seen):  # a cut that misses the insole (a degenerate scan) keeps matplotlib's limits
        ax.set_xlim(float(seen.max()) + 25, float(seen.min()) - 25)
    ax.set_ylim(-4.0, 95.0)
    ax.set_aspect("equal")
    ax.text(0.01, 0.02, "medial", transform=ax.transAxes, fontweight="bold")
    ax.text(0.99, 0.02, "lateral", transform=ax.transAxes, ha="right", fontweight="bold")
    ax.set_xlabel("y (mm), seen from behind")
    ax.set_ylabel("z (mm)")
    ax.set_title(f"Frontal cut through the heel centre, x = {number(xc, 'mm')}")
    _legend(ax, lines)


def heel_section_figure(
    analysis: FootAnalysis,
    design: InsoleDesign,
    scan_mm: np.ndarray,
    profile: Any,
    entries: Entries,
) -> bytes:
    """PNG of the frontal heel cut: seat wedge, cup rims, asked and realized post and cup."""
    with drawing():
        fig = new_figure(13.0, 6.5)
        ax = axes_at(fig, (0.06, 0.09, 0.56, 0.84))
        _heel_cut(ax, analysis, design, scan_mm, profile, entries)
        return png_bytes(fig)


def _arch_cut(
    ax: Axes,
    analysis: FootAnalysis,
    design: InsoleDesign,
    scan: np.ndarray,
    profile: Any,
    entries: Entries,
) -> None:
    m = analysis.measurements
    apex = landmark(analysis, "medial_arch_apex_mm")
    first_x, _ = metatarsal_heads_x(analysis)
    if apex is not None:
        y0 = float(apex[1])
    else:
        rows = np.flatnonzero(analysis.footprint.any(axis=1))
        y0 = float(analysis.plantar.y_mm[rows[-1]]) - 0.25 * float(m.ball_width_mm)
    cut = sagittal(analysis, design, scan, y_mm=y0)
    _draw_cut(ax, cut)
    arch = m.medial_arch_height_mm if is_number(getattr(m, "medial_arch_height_mm", None)) else None
    if apex is not None and arch is not None:
        xa = float(apex[0])
        top = _interp(cut, cut.top_mm, xa)
        ax.plot([xa, xa], [0, arch], color="#7570b3", lw=3, zorder=7)
        ax.annotate(
            f"medial arch height {number(arch, 'mm')}\ninsole top here {number(top, 'mm')}",
            xy=(xa, max(arch, top)),
            xytext=(xa, 42),
            ha="center",
            va="bottom",
            color="#54278f",
            fontsize=9.5,
            fontweight="bold",
            bbox=TEXT_BOX,
            arrowprops={"arrowstyle": "-|>", "color": "#54278f", "lw": 0.9},
            zorder=8,
        )
    centre = landmark(analysis, "heel_centre_mm")
    heel_x = float(centre[0]) if centre is not None else HEEL_X_FRAC * m.foot_length_mm
    for x, name in ((heel_x, "under the heel"), (first_x, "under the 1st MTH")):
        t = _interp(cut, cut.top_mm, x) - _interp(cut, cut.bottom_mm, x)
        if np.isfinite(t):
            ax.annotate(
                f"insole {number(t, 'mm')}\n{name}",
                xy=(x, _interp(cut, cut.top_mm, x)),
                xytext=(x, 24),
                ha="center",
                va="bottom",
                fontsize=9,
                bbox=TEXT_BOX,
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 0.8},
                zorder=8,
            )
    lines = [
        _asked_realized("heel lift", profile.heel_lift.height_mm, "mm", entries, "heel_lift_mm"),
        _asked_realized(
            "arch extra height", profile.arch.extra_height_mm, "mm", entries, "arch_extra_height_mm"
        ),
        _asked_realized("arch cast fill", profile.arch.fill_mm, "mm", entries, "arch_fill_mm"),
    ]
    ax.set_title(f"Sagittal cut along the medial arch, y = {number(y0, 'mm')} (seen from medial)")
    _sagittal_axes(ax, cut, lines)


def _pad_cut(
    ax: Axes,
    analysis: FootAnalysis,
    design: InsoleDesign,
    scan: np.ndarray,
    profile: Any,
    entries: Entries,
) -> None:
    first = landmark(analysis, "first_mth_mm")
    fifth = landmark(analysis, "fifth_mth_mm")
    centre_y = _entry(entries, "met_pad_centre_y_mm")
    if centre_y is not None and centre_y.realized is not None:
        y0, where = centre_y.realized, "through the pad's realized centre"
    elif first is not None and fifth is not None:
        y0 = float(first[1] + SECOND_RAY_FRAC * (fifth[1] - first[1]))
        where = "under the 2nd metatarsal head (estimate)"
    else:
        y0, where = 0.0, "at y = 0"
    cut = sagittal(analysis, design, scan, y_mm=y0)
    _draw_cut(ax, cut)
    if first is not None and fifth is not None and abs(first[1] - fifth[1]) > 1e-6:
        # the metatarsal-head line (1st to 5th head chord) where this cut crosses it
        t = (y0 - fifth[1]) / (first[1] - fifth[1])
        x_line = float(fifth[0] + t * (first[0] - fifth[0]))
        ax.axvline(x_line, color="#1b7837", lw=1.2, ls="--", zorder=5)
        ax.text(
            x_line + 2,
            SAGITTAL_TOP_MM - 4,
            "metatarsal-head line",
            color="#1b7837",
            va="top",
            fontsize=9,
        )
        mp = profile.met_pad
        if mp.height_mm > 0:
            xa = x_line - mp.apex_offset_mm
            ax.annotate(
                f"pad apex asked\n{number(mp.apex_offset_mm, 'mm')} proximal",
                xy=(xa, _interp(cut, cut.top_mm, xa)),
                xytext=(xa - 30, 34),
                ha="right",
                fontsize=9,
                bbox=TEXT_BOX,
                color="#b35806",
                arrowprops={"arrowstyle": "-|>", "color": "#b35806", "lw": 0.8},
                zorder=8,
            )
    mp = profile.met_pad
    lines = [_asked_realized("met pad height", mp.height_mm, "mm", entries, "met_pad_height_mm")]
    if mp.height_mm > 0:  # the offset places a pad; without one it is not prescribed
        lines.append(
            _asked_realized(
                "met pad apex offset", mp.apex_offset_mm, "mm", entries, "met_pad_apex_offset_mm"
            )
        )
    lines.append(
        _asked_realized(
            "met bar height", profile.met_bar.height_mm, "mm", entries, "met_bar_height_mm"
        )
    )
    ax.set_title(f"Sagittal cut {where}, y = {number(y0, 'mm')} (seen from medial)")
    _sagittal_axes(ax, cut, lines)


def _sagittal_axes(ax: Axes, cut: Section, notes: list[str]) -> None:
    inside = np.isfinite(cut.top_mm)
    lo = float(cut.s_mm[inside].min()) if inside.any() else float(cut.s_mm[0])
    hi = float(cut.s_mm[inside].max()) if inside.any() else float(cut.s_mm[-1])
    ax.set_xlim(lo - 10, hi + 10)
    ax.set_ylim(-4.0, SAGITTAL_TOP_MM)
    ax.set_aspect("equal")
    ax.set_xlabel("x, heel → toe (mm)")
    ax.set_ylabel("z (mm)")
    _legend(ax, notes)


def side_sections_figure(
    analysis: FootAnalysis,
    design: InsoleDesign,
    scan_mm: np.ndarray,
    profile: Any,
    entries: Entries,
) -> bytes:
    """PNG of the two sagittal cuts: along the medial arch and through the metatarsal pad."""
    with drawing():
        fig = new_figure(13.0, 5.4)
        ax_a = axes_at(fig, (0.05, 0.56, 0.62, 0.38))
        ax_p = axes_at(fig, (0.05, 0.08, 0.62, 0.38))
        _arch_cut(ax_a, analysis, design, scan_mm, profile, entries)
        _pad_cut(ax_p, analysis, design, scan_mm, profile, entries)
        return png_bytes(fig)
