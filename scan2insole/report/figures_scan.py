"""Picture 1, the scan: the foot from above and from its medial side, in the design frame, with
its landmarks and the lengths, widths and heights drawn where they were measured."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from scan2insole.records import FootAnalysis
from scan2insole.report.canvas import axes_at, drawing, new_figure, png_bytes
from scan2insole.report.drawing import dimension, extension, landmark, landmark_points, shaded
from scan2insole.report.rasters import VIEW_CELL_MM, DepthImage, medial_view, top_view
from scan2insole.report.readout import is_number, number

DIMENSION_GAP_MM = 14.0
"""How far outside the foot the length dimension lines run: clear of the outline, close enough
to read which end is which."""
SIDE_VIEW_TOP_MM = 110.0
"""The side view is cut at this height: the foot and ankle, not a long leg stump."""


def _m(analysis: FootAnalysis, name: str) -> float:
    value = getattr(analysis.measurements, name, None)
    return float(value) if is_number(value) else float("nan")


def _draw_landmarks(ax: Axes, analysis: FootAnalysis, axes_xy: tuple[int, int]) -> None:
    for label, marker, colour, p in landmark_points(getattr(analysis, "landmarks", None)):
        ax.scatter(
            p[axes_xy[0]],
            p[axes_xy[1]],
            s=70,
            marker=marker,
            color=colour,
            edgecolors="black",
            linewidths=0.7,
            zorder=7,
            label=label,
        )


def _top(ax: Axes, analysis: FootAnalysis, image: DepthImage) -> None:
    top = np.nanmax(image.depth_mm) if np.isfinite(image.depth_mm).any() else 1.0
    ax.imshow(
        shaded(image, cmap="bone", vmin=-0.3 * top, vmax=1.2 * top),
        extent=image.extent_mm,
        origin="lower",
        zorder=1,
    )
    outline = np.vstack([analysis.outline_mm, analysis.outline_mm[:1]])
    ax.plot(
        outline[:, 0], outline[:, 1], color="#2166ac", lw=1.0, zorder=3, label="footprint outline"
    )
    seen = np.isfinite(image.depth_mm)
    rows = np.flatnonzero(seen.any(axis=1))
    y_lo = image.extent_mm[2] + VIEW_CELL_MM * rows[0] if len(rows) else -60.0
    y_hi = image.extent_mm[2] + VIEW_CELL_MM * (rows[-1] + 1) if len(rows) else 60.0

    length = _m(analysis, "foot_length_mm")
    pternion = landmark(analysis, "pternion_mm")
    x0 = float(pternion[0]) if pternion is not None else 0.0
    if np.isfinite(length):
        yd = y_lo - DIMENSION_GAP_MM
        extension(ax, (x0, y_lo), (x0, yd - 3))
        extension(ax, (x0 + length, y_lo), (x0 + length, yd - 3))
        dimension(
            ax,
            (x0, yd),
            (x0 + length, yd),
            f"foot length {number(length, 'mm')}",
            text_at=(x0 + 0.5 * length, yd - 7),
            va="top",
        )
    arch = _m(analysis, "arch_length_mm")
    if np.isfinite(arch):
        yd = y_hi + DIMENSION_GAP_MM
        extension(ax, (x0, y_hi), (x0, yd + 3))
        extension(ax, (x0 + arch, y_hi - 20), (x0 + arch, yd + 3))
        dimension(
            ax,
            (x0, yd),
            (x0 + arch, yd),
            f"arch length {number(arch, 'mm')}",
            text_at=(x0 + 0.5 * arch, yd + 7),
            va="bottom",
        )

    ball = _m(analysis, "ball_width_mm")
    first, fifth = landmark(analysis, "first_mth_mm"), landmark(analysis, "fifth_mth_mm")
    if np.isfinite(ball) and fifth is not None and first is not None:
        # the breadth is the distance between the medial and lateral tangents, taken across
        # the axis; the lateral tangent touches the 5th metatarsal head
        y_lat, y_med = float(fifth[1]), float(fifth[1]) + ball
        xb = 0.5 * (float(first[0]) + float(fifth[0]))
        extension(ax, (float(first[0]) - 25, y_med), (float(first[0]) + 25, y_med))
        extension(ax, (float(fifth[0]) - 25, y_lat), (float(fifth[0]) + 25, y_lat))
        dimension(
            ax,
            (xb, y_lat),
            (xb, y_med),
            f"ball width\n{number(ball, 'mm')}",
            text_at=(xb - 6, 0.5 * (y_lat + y_med)),
            ha="right",
        )
    heel = _m(analysis, "heel_width_mm")
    centre = landmark(analysis, "heel_centre_mm")
    if np.isfinite(heel) and centre is not None:
        xc, yc = float(centre[0]), float(centre[1])
        dimension(
            ax,
            (xc, yc - 0.5 * heel),
            (xc, yc + 0.5 * heel),
            f"heel width\n{number(heel, 'mm')}",
            text_at=(xc + 6, yc + 0.2 * heel),
            ha="left",
        )
    _draw_landmarks(ax, analysis, (0, 1))
    ax.set_xlim(image.extent_mm[0] - 5, image.extent_mm[1] + 5)
    ax.set_ylim(y_lo - DIMENSION_GAP_MM - 22, y_hi + DIMENSION_GAP_MM + 18)
    ax.set_aspect("equal")
    ax.set_xlabel("x, heel → toe (mm)")
    ax.set_ylabel("y, lateral → medial (mm)")
    ax.set_title("Seen from above (height shaded)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False)


def _side(ax: Axes, analysis: FootAnalysis, image: DepthImage) -> None:
    depth = image.depth_mm
    lo = np.nanmin(depth) if np.isfinite(depth).any() else 0.0
    hi = np.nanmax(depth) if np.isfinite(depth).any() else 1.0
    ax.imshow(
        shaded(image, cmap="bone", vmin=lo - 0.3 * (hi - lo), vmax=hi + 0.2 * (hi - lo)),
        extent=image.extent_mm,
        origin="lower",
        zorder=1,
    )
    ax.axhline(0.0, color="black", lw=1.0, zorder=2)
    ax.text(image.extent_mm[0], -2.0, "support plane z = 0", va="top", fontsize=8.5)
    pternion = landmark(analysis, "pternion_mm")
    x0 = float(pternion[0]) if pternion is not None else 0.0
    length = _m(analysis, "foot_length_mm")
    dorsal = _m(analysis, "dorsal_height_50_mm")
    if np.isfinite(dorsal) and np.isfinite(length):
        xm = x0 + 0.5 * length
        dimension(
            ax,
            (xm, 0.0),
            (xm, dorsal),
            f"dorsal height at 50 %\n{number(dorsal, 'mm')}",
            text_at=(xm + 5, 0.55 * dorsal),
            ha="left",
        )
    arch = _m(analysis, "medial_arch_height_mm")
    apex = landmark(analysis, "medial_arch_apex_mm")
    if np.isfinite(arch) and apex is not None:
        xa = float(apex[0])
        ax.plot([xa, xa], [0.0, arch], color="#7570b3", lw=2.5, zorder=6)
        ax.annotate(
            f"medial arch height {number(arch, 'mm')}",
            xy=(xa, 0.5 * arch),
            xytext=(xa + 30, -14),
            ha="left",
            va="center",
            color="#7570b3",
            fontsize=9.5,
            fontweight="bold",
            bbox={
                "boxstyle": "round,pad=0.2",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 0.85,
            },
            arrowprops={"arrowstyle": "-", "color": "#7570b3", "lw": 0.8},
            zorder=6,
        )
    _draw_landmarks(ax, analysis, (0, 2))
    top = min(image.extent_mm[3], SIDE_VIEW_TOP_MM)
    ax.set_xlim(image.extent_mm[0] - 5, image.extent_mm[1] + 5)
    ax.set_ylim(-24.0, top + 4.0)
    ax.set_aspect("equal")
    ax.set_xlabel("x, heel → toe (mm)")
    ax.set_ylabel("z, up (mm)")
    ax.set_title("Seen from the medial side (nearest surface shaded)")


def scan_figure(analysis: FootAnalysis, points_mm: np.ndarray) -> bytes:
    """PNG of the scan from above and from the medial side, measurements drawn on it.

    Parameters
    ----------
    analysis : the analysed foot (design frame: +x heel to toe, +y medial, z up).
    points_mm : (n, 3) float64 mm, design frame: the points to draw (``rasters.display_points``).
    """
    with drawing():
        fig = new_figure(13.0, 10.0)
        top_ax = axes_at(fig, (0.06, 0.50, 0.72, 0.47), anchor="NW")
        side_ax = axes_at(fig, (0.06, 0.04, 0.72, 0.37), anchor="NW")
        _top(top_ax, analysis, top_view(points_mm))
        _side(side_ax, analysis, medial_view(points_mm))
        return png_bytes(fig)
