"""Depth pictures of the scan: the foot seen from above and from its medial side.

Drawing a million points as markers is slow and unreadable; the report draws the scan as a depth
image instead: on a grid in the picture plane, the surface point nearest the viewer in each cell.
Seen from above that is the highest z; seen from the medial side (+y in the right-foot design
frame) the largest y. Coarse meshes are first sampled on their triangles so the picture has no
gaps between vertices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from scan2insole.heightmap import envelope, fill_nearest
from scan2insole.sampling import surface_samples

VIEW_CELL_MM = 1.0
"""Pixel size of the depth pictures: the scale of the measurements drawn on them (0.1 mm is
the noise of a good scanner, 2 mm the accuracy asked of foot measurements, ISO 20685)."""
SAMPLE_SPACING_MM = 0.7
"""Spacing of the samples put on a coarse mesh's triangles: below the pixel size, so every pixel
the surface crosses receives one."""
DENSE_SCAN_MIN_POINTS = 200_000
"""A scan with at least this many points covers a foot (about 70 000 mm² of surface) with
several points per mm² and is drawn from its points alone; sampling its triangles would cost
time and add nothing."""
MAX_DISPLAY_POINTS = 400_000
"""Denser scans are drawn from every k-th point: 400 000 points still put ~6 on each 1 mm pixel
of the foot's surface, and a 1 M-point scan is drawn in less than half the time."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class DepthImage:
    """The surface nearest the viewer, on a grid in the picture plane."""

    depth_mm: np.ndarray
    """(rows, cols) float64, mm: height (top view) or medial reach y (side view); NaN where no
    surface is seen. Row i is the picture's vertical axis at ``extent_mm[2] + (i + 0.5) cell``."""
    extent_mm: tuple[float, float, float, float]
    """(left, right, bottom, top) edges of the grid in the picture plane, mm, for ``imshow``."""


def display_points(points_mm: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """The points the pictures are drawn from: the scan's own, or samples on a coarse mesh.

    Parameters
    ----------
    points_mm : (n, 3) float64, mm, design frame.
    faces : (m, 3) int64; m == 0 for a point cloud.

    Returns
    -------
    (p, 3) float64, mm, design frame.
    """
    n = len(points_mm)
    if n > MAX_DISPLAY_POINTS:
        return points_mm[:: -(-n // MAX_DISPLAY_POINTS)]
    if len(faces) == 0 or n >= DENSE_SCAN_MIN_POINTS:
        return points_mm
    return surface_samples(points_mm, faces, spacing_mm=SAMPLE_SPACING_MM)


def _nearest_surface(plane_mm: np.ndarray, toward_viewer_mm: np.ndarray) -> DepthImage:
    pts = np.column_stack([plane_mm, toward_viewer_mm])
    hm = envelope(pts, cell_mm=VIEW_CELL_MM, which="upper")
    z = hm.z_mm
    seen = np.isfinite(z)
    # single empty pixels between samples are gaps in the sampling, not in the surface
    gaps = ndimage.binary_closing(seen, structure=np.ones((3, 3)), border_value=0) & ~seen
    if gaps.any():
        z = np.where(gaps, fill_nearest(np.nan_to_num(z), ~seen), z)
    half = 0.5 * VIEW_CELL_MM
    x0, y0 = hm.origin_mm
    extent = (
        float(x0 - half),
        float(x0 + half + VIEW_CELL_MM * (z.shape[1] - 1)),
        float(y0 - half),
        float(y0 + half + VIEW_CELL_MM * (z.shape[0] - 1)),
    )
    return DepthImage(depth_mm=z, extent_mm=extent)


def top_view(points_mm: np.ndarray) -> DepthImage:
    """The foot from above: the highest z over each (x, y) pixel (design frame, mm)."""
    return _nearest_surface(points_mm[:, :2], points_mm[:, 2])


def medial_view(points_mm: np.ndarray) -> DepthImage:
    """The foot from its medial side: the largest y over each (x, z) pixel (design frame, mm)."""
    return _nearest_surface(points_mm[:, [0, 2]], points_mm[:, 1])
