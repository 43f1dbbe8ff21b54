"""One exported insole read back from its STL bytes, its top and bottom sampled on a grid."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scan2insole.formats.stl import read_binary
from scan2insole.mesh_heights import rim_points, surface_grid
from scan2insole.records import Side

MEASURE_CELL_MM = 0.5
MAX_STL_TRIANGLES = 10_000_000


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Mesh:
    """One exported insole read back, in the right-foot frame, with its surfaces on the grid."""

    top: np.ndarray
    """(rows, cols) z of the top at each grid point, mm; NaN off the insole."""
    bottom: np.ndarray
    """(rows, cols) z of the bottom, mm; NaN off the insole."""
    rim: np.ndarray
    """(k, 3) top edge of the wall, sorted."""
    x_min_mm: float
    x_extent_mm: float


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Grid:
    """The ``MEASURE_CELL_MM`` grid every export of one insole is sampled on (row i is y)."""

    origin_mm: np.ndarray
    shape: tuple[int, int]
    x_mm: np.ndarray
    y_mm: np.ndarray


def read_insole(data: bytes, side: Side, grid: Grid | None) -> tuple[Mesh, Grid]:
    """Parse STL bytes into the right-foot frame and sample them on ``grid`` (a new grid over
    the mesh, a millimetre past its edges, when None)."""
    vertices, faces = read_binary(data, name="insole.stl", max_elements=MAX_STL_TRIANGLES)
    vertices = vertices.astype(np.float64)
    if side == "left":  # back into the right-foot design frame
        vertices = vertices * np.array([1.0, -1.0, 1.0])
        faces = faces[:, ::-1]
    if grid is None:
        origin = np.floor(vertices[:, :2].min(axis=0)) - 1.0
        span = vertices[:, :2].max(axis=0) + 1.0 - origin
        shape = (int(span[1] / MEASURE_CELL_MM) + 1, int(span[0] / MEASURE_CELL_MM) + 1)
        xs = origin[0] + MEASURE_CELL_MM * np.arange(shape[1])
        ys = origin[1] + MEASURE_CELL_MM * np.arange(shape[0])
        x, y = np.meshgrid(xs, ys)
        grid = Grid(origin_mm=origin, shape=shape, x_mm=x, y_mm=y)
    kw = {"origin_mm": grid.origin_mm, "cell_mm": MEASURE_CELL_MM, "shape": grid.shape}
    mesh = Mesh(
        top=surface_grid(vertices, faces, which="top", **kw),
        bottom=surface_grid(vertices, faces, which="bottom", **kw),
        rim=rim_points(vertices, faces),
        x_min_mm=float(vertices[:, 0].min()),
        x_extent_mm=float(np.ptp(vertices[:, 0])),
    )
    return mesh, grid
