"""Picture 3, the insole: its thickness seen from above with contour lines, and its outline over
the foot's footprint and contact print."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap

from scan2insole.records import FootAnalysis, InsoleDesign
from scan2insole.report.canvas import axes_at, drawing, new_figure, png_bytes
from scan2insole.report.cuts import contact_mask, thickness_map
from scan2insole.report.readout import number

CONTOUR_STEPS = (0.5, 1.0, 2.0, 5.0, 10.0)
"""Contour spacings (mm) to choose from: the first that gives at most ``MAX_CONTOURS`` lines."""
MAX_CONTOURS = 8
"""More lines than this crowd the map where the insole rises steeply at its rim."""

_PRINT = ListedColormap(["#ffffff", "#e0e0e0", "#9ecae1"])


def contour_levels(thickness_mm: np.ndarray) -> np.ndarray:
    """Round contour levels (mm) strictly inside the thickness range, at most ``MAX_CONTOURS``."""
    finite = thickness_mm[np.isfinite(thickness_mm)]
    if finite.size == 0:
        return np.zeros(0)
    lo, hi = float(finite.min()), float(finite.max())
    for step in CONTOUR_STEPS:
        levels = np.arange(np.floor(lo / step) * step + step, hi, step)
        levels = levels[(levels > lo + 1e-6) & (levels < hi - 1e-6)]
        if len(levels) <= MAX_CONTOURS:
            return levels
    return levels[:: int(np.ceil(len(levels) / MAX_CONTOURS))]


def insole_figure(analysis: FootAnalysis, design: InsoleDesign) -> bytes:
    """PNG: thickness map with contours (top), insole outline over the footprint (bottom)."""
    hm = design.top
    thick = thickness_map(design)
    half = 0.5 * hm.cell_mm
    extent = (hm.x_mm[0] - half, hm.x_mm[-1] + half, hm.y_mm[0] - half, hm.y_mm[-1] + half)
    outline = np.vstack([design.outline_mm, design.outline_mm[:1]])
    foot = np.vstack([analysis.outline_mm, analysis.outline_mm[:1]])
    lo = np.vstack([outline, foot]).min(axis=0)
    hi = np.vstack([outline, foot]).max(axis=0)
    with drawing():
        fig = new_figure(13.0, 11.0)
        ax_t = axes_at(fig, (0.06, 0.53, 0.76, 0.43))
        ax_o = axes_at(fig, (0.06, 0.05, 0.76, 0.43))

        finite = thick[np.isfinite(thick)]
        t_lo = float(finite.min()) if finite.size else 0.0
        t_hi = float(finite.max()) if finite.size else 1.0
        im = ax_t.imshow(
            thick,
            cmap="viridis",
            origin="lower",
            extent=extent,
            vmin=t_lo,
            vmax=max(t_hi, t_lo + 1e-3),
        )
        levels = contour_levels(thick)
        if len(levels):
            cs = ax_t.contour(
                hm.x_mm,
                hm.y_mm,
                thick,
                levels=levels,
                colors="white",
                linewidths=0.9,
            )
            # every other line is labelled: neighbours run close together up the rim
            ax_t.clabel(
                cs,
                levels=cs.levels[::2],
                fmt=lambda v: f"{v:g} mm",
                fontsize=8.5,
                inline=True,
                inline_spacing=6,
            )
        ax_t.plot(outline[:, 0], outline[:, 1], color="black", lw=1.0)
        # an inset colorbar stays beside its map (a layout-managed one drifts to the figure edge)
        bar = fig.colorbar(im, cax=ax_t.inset_axes((1.015, 0.0, 0.02, 1.0)))
        bar.set_label("thickness, top − bottom (mm)")
        if len(levels):
            bar.add_lines(cs)
        ax_t.set_title(
            f"Insole thickness seen from above  ·  thinnest {number(t_lo, 'mm', decimals=2)}"
            f"  ·  thickest {number(t_hi, 'mm', decimals=2)}"
        )

        contact = contact_mask(analysis)
        cells = analysis.footprint.astype(np.int8) + contact.astype(np.int8)
        p = analysis.plantar
        p_extent = (
            p.x_mm[0] - 0.5 * p.cell_mm,
            p.x_mm[-1] + 0.5 * p.cell_mm,
            p.y_mm[0] - 0.5 * p.cell_mm,
            p.y_mm[-1] + 0.5 * p.cell_mm,
        )
        ax_o.imshow(cells, cmap=_PRINT, vmin=0, vmax=2, origin="lower", extent=p_extent)
        ax_o.plot(foot[:, 0], foot[:, 1], color="#08519c", lw=1.0, label="foot outline")
        ax_o.plot(outline[:, 0], outline[:, 1], color="#b2182b", lw=1.8, label="insole outline")
        ax_o.fill([], [], color="#e0e0e0", label="footprint")
        ax_o.fill([], [], color="#9ecae1", label="contact within 2 mm")
        ax_o.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        ax_o.set_title("Insole outline over the footprint")
        for ax in (ax_t, ax_o):
            ax.set_xlim(lo[0] - 8, hi[0] + 8)
            ax.set_ylim(lo[1] - 8, hi[1] + 8)
            ax.set_aspect("equal")
            ax.set_xlabel("x, heel → toe (mm)")
            ax.set_ylabel("y, lateral → medial (mm)")
        return png_bytes(fig)
