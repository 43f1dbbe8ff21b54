"""Small drawing vocabulary shared by the pictures: dimension lines, landmark markers, shading."""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LightSource, Normalize

from scan2insole.report.rasters import DepthImage

DIMENSION_COLOUR = "#b2182b"
TEXT_BOX = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}

# landmark field -> (label, marker, colour); the order is the legend's
LANDMARK_STYLE: tuple[tuple[str, str, str, str], ...] = (
    ("pternion_mm", "pternion", "o", "#1b9e77"),
    ("heel_centre_mm", "heel centre", "s", "#d95f02"),
    ("medial_arch_apex_mm", "medial arch apex", "^", "#7570b3"),
    ("navicular_mm", "navicular (estimate, E)", "D", "#e7298a"),
    ("first_mth_mm", "1st MTH (metatarsale tibiale)", "v", "#66a61e"),
    ("fifth_mth_mm", "5th MTH (metatarsale fibulare)", "P", "#e6ab02"),
    ("hallux_tip_mm", "hallux tip", "*", "#a6761d"),
)


def dimension(
    ax: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    text: str,
    *,
    text_at: tuple[float, float],
    ha: str = "center",
    va: str = "center",
    rotation: float = 0.0,
) -> None:
    """A double-headed dimension line from ``start`` to ``end`` with its value at ``text_at``."""
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": "<|-|>",
            "color": DIMENSION_COLOUR,
            "lw": 1.4,
            "shrinkA": 0,
            "shrinkB": 0,
            "mutation_scale": 10,
        },
        zorder=5,
    )
    ax.text(
        *text_at,
        text,
        ha=ha,
        va=va,
        rotation=rotation,
        color=DIMENSION_COLOUR,
        fontsize=9.5,
        fontweight="bold",
        bbox=TEXT_BOX,
        zorder=6,
    )


def extension(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A thin dashed extension line from a measured point out to its dimension line."""
    ax.plot(
        [start[0], end[0]],
        [start[1], end[1]],
        color=DIMENSION_COLOUR,
        lw=0.8,
        ls=(0, (3, 2)),
        zorder=4,
    )


def landmark(analysis: object, name: str) -> np.ndarray | None:
    """(3,) point of the landmark ``name`` (mm, design frame), or None when the analysis has no
    landmarks, not that one, or the scan could not show it (NaN)."""
    p = getattr(getattr(analysis, "landmarks", None), name, None)
    if p is None:
        return None
    p = np.asarray(p, dtype=np.float64)
    return p if p.shape == (3,) and np.isfinite(p).all() else None


def landmark_points(landmarks: object) -> list[tuple[str, str, str, np.ndarray]]:
    """(label, marker, colour, point) of every landmark the record has and the scan showed."""
    out = []
    for field, label, marker, colour in LANDMARK_STYLE:
        p = getattr(landmarks, field, None)
        if p is None:
            continue
        p = np.asarray(p, dtype=np.float64)
        if p.shape == (3,) and np.isfinite(p).all():
            out.append((label, marker, colour, p))
    return out


def shaded(image: DepthImage, *, cmap: str, vmin: float, vmax: float) -> np.ndarray:
    """(rows, cols, 4) RGBA of a depth image lit from the upper left, transparent where empty."""
    z = image.depth_mm
    seen = np.isfinite(z)
    filled = np.where(seen, z, np.nanmin(z) if seen.any() else 0.0)
    rgba = LightSource(azdeg=315.0, altdeg=45.0).shade(
        filled,
        cmap=matplotlib.colormaps[cmap],
        norm=Normalize(vmin=vmin, vmax=vmax),
        blend_mode="soft",
        vert_exag=1.0,
    )
    rgba[..., 3] = seen.astype(np.float64)
    return rgba
