"""Headless figures with byte-identical PNG output.

matplotlib is used without pyplot (no global figure manager, no display, no GUI backend): each
figure is a ``matplotlib.figure.Figure`` on an Agg canvas. Every figure is drawn inside
:func:`drawing`, which starts from matplotlib's built-in defaults (so a user's ``matplotlibrc``
cannot change the bytes) and applies the report's style. PNGs are encoded from the canvas's
pixels by Pillow with no text chunks (no software tag, no date), so the same data give the same
bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

DPI = 100
"""Pixels per inch of every picture: a 12-inch-wide figure is 1200 px, legible at full width in
the HTML page without scaling up."""

PNG_COMPRESS_LEVEL = 3
"""zlib level of the PNGs: encoding at Pillow's default (6) took a third of the report's time
for files only ~12 % smaller (measured on the five pictures of a real scan)."""

_STYLE = {
    "font.family": "DejaVu Sans",  # shipped inside matplotlib: the same glyphs on every machine
    "font.size": 10.0,
    "axes.titlesize": 12.0,
    "axes.titleweight": "bold",
    "axes.labelsize": 10.0,
    "legend.fontsize": 9.0,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "image.interpolation": "nearest",
    "axes.grid": False,
    "path.simplify": True,
}


@contextmanager
def drawing() -> Iterator[None]:
    """Draw with matplotlib's defaults plus the report style, whatever the user's rc says."""
    base = {k: v for k, v in matplotlib.rcParamsDefault.items() if k != "backend"}
    with matplotlib.rc_context(rc={**base, **_STYLE}):
        yield


def new_figure(width_in: float, height_in: float) -> Figure:
    """An empty figure on an Agg canvas, without a layout engine.

    Each picture places its axes itself (:func:`axes_at`): a layout engine would draw every
    figure twice to measure it, which doubles the report's time, and fixed positions keep the
    pictures the same from one foot to the next.
    """
    fig = Figure(figsize=(width_in, height_in), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def axes_at(fig: Figure, rect: tuple[float, float, float, float], *, anchor: str = "W"):
    """Axes in the box (left, bottom, width, height), in figure fractions.

    Maps are drawn to scale (equal aspect), so the axes shrink inside their box; ``anchor``
    says which side of the box they keep to (``W``: left, next to a legend on the right).
    """
    ax = fig.add_axes(rect)
    ax.set_anchor(anchor)
    return ax


def png_bytes(fig: Figure) -> bytes:
    """The figure as an RGB PNG: drawn once on its Agg canvas and encoded by Pillow with no
    text chunks (no software tag, no date), so the same figure gives the same bytes."""
    canvas = fig.canvas
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    buf = io.BytesIO()
    # the pictures are opaque: dropping alpha cuts a quarter of the pixels to compress
    Image.fromarray(np.ascontiguousarray(rgba[..., :3])).save(
        buf, format="png", compress_level=PNG_COMPRESS_LEVEL
    )
    return buf.getvalue()
