"""Picture 2, the footprint: the contact print (plantar surface within 2 mm of the support
plane, toes removed) inside the foot's outline, cut into the arch index's thirds, with the foot
type the index implies."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap

from scan2insole.analyse.contact import CONTACT_HEIGHT_MM
from scan2insole.records import FootAnalysis
from scan2insole.report.canvas import axes_at, drawing, new_figure, png_bytes
from scan2insole.report.cuts import contact_mask
from scan2insole.report.readout import NOT_AVAILABLE, is_number, number

# footprint cells: 0 outside, 1 footprint without contact, 2 contact
_COLOURS = ListedColormap(["#ffffff", "#d9d9d9", "#2c7fb8"])
_THIRDS = ("heel third (C)", "midfoot third (B)", "forefoot third (A)")


def thirds_of(contact: np.ndarray, x_mm: np.ndarray, cell_mm: float) -> tuple[np.ndarray, ...]:
    """Edges (4,) of the print's length thirds along x and the contact area (3,) in each, mm².

    The print's length runs from the back edge of its rearmost cell to the front edge of its
    foremost one (Cavanagh & Rodgers: toes removed, length split in equal thirds).
    """
    cols = np.flatnonzero(contact.any(axis=0))
    if len(cols) == 0:
        return np.full(4, np.nan), np.zeros(3)
    start = x_mm[cols[0]] - 0.5 * cell_mm
    stop = x_mm[cols[-1]] + 0.5 * cell_mm
    edges = np.linspace(start, stop, 4)
    counts = contact.sum(axis=0).astype(np.float64)
    left = x_mm - 0.5 * cell_mm
    right = x_mm + 0.5 * cell_mm
    share = (
        np.clip(
            np.minimum(right[None, :], edges[1:, None])
            - np.maximum(left[None, :], edges[:-1, None]),
            0.0,
            cell_mm,
        )
        / cell_mm
    )
    return edges, share @ counts * cell_mm * cell_mm


def footprint_figure(analysis: FootAnalysis) -> bytes:
    """PNG of the contact print, its thirds, the arch index and the foot type."""
    hm = analysis.plantar
    contact = contact_mask(analysis)
    edges, areas = thirds_of(contact, hm.x_mm, hm.cell_mm)
    m = analysis.measurements
    ai = getattr(m, "arch_index", None)
    kind = getattr(m, "foot_type", None)
    with drawing():
        fig = new_figure(13.0, 6.4)
        ax = axes_at(fig, (0.06, 0.08, 0.92, 0.86), anchor="C")
        cells = analysis.footprint.astype(np.int8) + contact.astype(np.int8)
        half = 0.5 * hm.cell_mm
        extent = (hm.x_mm[0] - half, hm.x_mm[-1] + half, hm.y_mm[0] - half, hm.y_mm[-1] + half)
        ax.imshow(cells, cmap=_COLOURS, vmin=0, vmax=2, origin="lower", extent=extent)
        outline = np.vstack([analysis.outline_mm, analysis.outline_mm[:1]])
        ax.plot(outline[:, 0], outline[:, 1], color="#08306b", lw=1.0)
        rows = np.flatnonzero(analysis.footprint.any(axis=1))
        y_lo, y_hi = hm.y_mm[rows[0]], hm.y_mm[rows[-1]]
        total = float(areas.sum())
        if np.isfinite(edges).all():
            for x in edges:
                ax.plot([x, x], [y_lo - 6, y_hi + 6], color="#b2182b", lw=1.3, ls="--")
            for k, name in enumerate(_THIRDS):
                xc = 0.5 * (edges[k] + edges[k + 1])
                ax.text(
                    xc,
                    y_hi + 9,
                    f"{name}\n{areas[k]:.0f} mm² = {100 * areas[k] / total:.1f} %",
                    ha="center",
                    va="bottom",
                    fontsize=9.5,
                    color="#b2182b",
                )
        type_text = kind if kind else NOT_AVAILABLE
        ax.set_title(
            f"Contact within {CONTACT_HEIGHT_MM:g} mm of the support plane, toes removed  ·  "
            f"arch index {number(ai) if is_number(ai) else NOT_AVAILABLE}  ·  "
            f"foot type: {type_text}"
        )
        ax.text(
            0.01,
            0.02,
            "blue: contact  ·  grey: footprint without contact  ·  arch index = B / (A + B + C)"
            " (Cavanagh & Rodgers 1987; class thresholds status U)",
            transform=ax.transAxes,
            fontsize=9,
            va="bottom",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
        ax.set_xlim(hm.x_mm[0], hm.x_mm[-1])
        ax.set_ylim(y_lo - 22, y_hi + 30)
        ax.set_aspect("equal")
        ax.set_xlabel("x, heel → toe (mm)")
        ax.set_ylabel("y, lateral → medial (mm)")
        return png_bytes(fig)
