"""A closed, watertight triangle mesh of a synthetic foot, built from rings.

The outline, sampled at the mesh resolution with its landmarks as exact vertices, is the one ring
the top and bottom surfaces share. Each surface then steps inward along the rays from the
outline's centre (the outline is star-shaped from it): first by equal steps of arc length round
its rounded side wall, then by ~resolution steps, then in rings scaled toward the centre, ending
in a fan round a centre vertex. Rings never cross because every ray is walked monotonically,
so the mesh is a closed 2-manifold by construction, wound counter-clockwise seen from outside.
Every vertex lies exactly on the analytic surface of ``surface.py``.
"""

from __future__ import annotations

import itertools

import numpy as np

from scan2insole.synthetic.footprint import surface_model
from scan2insole.synthetic.outline import rim_indices
from scan2insole.synthetic.params import FootParams
from scan2insole.synthetic.surface import (
    MAX_RADIUS_MM,
    Surface,
    bottom_radius,
    distance_to_outline,
    heights,
    rim_height,
    top_radius,
)

RESOLUTION_RANGE_MM = (0.5, 10.0)
BAND_OF_SHORTEST_RAY = 0.7  # constant-offset rings reach in at most 0.7 of the shortest ray
HALVE_BELOW = 0.6  # inner rings drop every other vertex when their edges get this short (/ res)
MAX_HALVINGS = 4  # so the rim has a multiple of 16 vertices


def foot_mesh(params: FootParams, *, resolution_mm: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """Closed watertight mesh of the foot in the foot frame (a left foot is the mirrored right).

    Parameters
    ----------
    params
        The foot.
    resolution_mm
        Approximate edge length, 0.5-10 mm. The outline's landmarks are always vertices, so the
        mesh's length, ball width and heel width equal the truth at any resolution.

    Returns
    -------
    vertices : np.ndarray
        (n, 3) float64, mm, foot frame: pternion on the ground at the origin, +x to the toes, z = 0
        the support plane (its lowest vertices lie on it exactly), +y medial for a right foot.
    faces : np.ndarray
        (m, 3) int64, counter-clockwise seen from outside.
    """
    lo, hi = RESOLUTION_RANGE_MM
    if not lo <= resolution_mm <= hi:
        raise ValueError(f"resolution_mm {resolution_mm} mm is outside {lo}-{hi} mm")
    s = surface_model(params)
    vertices, faces = right_mesh(s, float(resolution_mm))
    if params.side == "left":
        vertices = vertices * np.array([1.0, -1.0, 1.0])
        faces = faces[:, ::-1].copy()
    return vertices, faces


def right_mesh(s: Surface, res: float) -> tuple[np.ndarray, np.ndarray]:
    """The closed mesh of the right foot: the rim ring, then the top cap, then the bottom cap."""
    o = s.outline
    rim = o.polygon[rim_indices(o, spacing_mm=res, multiple=2**MAX_HALVINGS)]
    edge_z = heights(s, rim[:, 0], rim[:, 1], np.zeros(len(rim)))[2]
    top_v, top_f = cap_mesh(s, rim, res, top=True, first_index=len(rim))
    bottom_v, bottom_f = cap_mesh(s, rim, res, top=False, first_index=len(rim) + len(top_v))
    vertices = np.vstack([np.column_stack([rim, edge_z]), top_v, bottom_v])
    return vertices, np.vstack([top_f, bottom_f])


def cap_mesh(
    s: Surface, rim: np.ndarray, res: float, *, top: bool, first_index: int
) -> tuple[np.ndarray, np.ndarray]:
    """One height field (dorsal if ``top``, else plantar) inside the rim ring.

    Returns its vertices (excluding the rim, which indices 0..len(rim) - 1 refer to) and faces
    numbered from ``first_index``, wound to face up (top) or down (bottom). With the rim's
    vertices prepended, the bottom cap alone is the plantar surface as an open sheet.
    """
    o = s.outline
    rel = rim - o.centre
    ray = np.hypot(rel[:, 0], rel[:, 1])
    x = rim[:, 0]
    wall = float(np.max((top_radius if top else bottom_radius)(s, x)))
    rise = s.ankle_cut if top else float(np.max(rim_height(s, x)))
    band = BAND_OF_SHORTEST_RAY * ray.min()
    scales, strides = _ring_scales(rim, ray, band, wall, rise, res)
    xy = [o.centre + sc[:, None] * rel[::st] for sc, st in zip(scales, strides, strict=True)]
    rings = [np.arange(len(rim))]
    n = first_index
    for ring_xy in xy:
        rings.append(n + np.arange(len(ring_xy)))
        n += len(ring_xy)
    xy_all = np.vstack([*xy, o.centre[None]])
    faces = _cap_faces(rings, centre=n)
    return np.column_stack([xy_all, _surface_z(s, xy_all, top=top)]), (
        faces if top else faces[:, ::-1]
    )


def _ring_scales(
    rim: np.ndarray, ray: np.ndarray, band: float, wall: float, rise: float, res: float
) -> tuple[list[np.ndarray], list[int]]:
    """Scale toward the centre of each vertex of each ring (outermost first, rim excluded), and
    the stride of rim rays each ring uses.

    Offsets along each ray: equal arc-length steps round a quarter ellipse of ``wall`` by
    ``rise`` (the rounded side), then ``res`` steps to ``band``; then rings scaled toward the
    centre so the longest ray is stepped at ``res``, halving their vertex count whenever their
    edges grow shorter than ``HALVE_BELOW`` x res.
    """
    arc = 0.5 * np.pi * np.sqrt(0.5 * (wall**2 + rise**2))
    n_wall = max(2, int(np.ceil(arc / res)))
    phi = 0.5 * np.pi * np.arange(1, n_wall + 1) / n_wall
    offsets = wall * (1.0 - np.cos(phi))
    if band > wall:
        offsets = np.r_[offsets, np.arange(wall + res, band, res)]
    offsets = np.r_[offsets[offsets < band], band]
    scales = [1.0 - off / ray for off in offsets]
    strides = [1] * len(scales)
    inner = scales[-1]
    ring_edge = float(np.mean(np.hypot(*(np.roll(rim, -1, axis=0) - rim).T)))
    n_inner = max(2, int(np.ceil(float(np.max(ray - band)) / res)))
    stride = 1
    for t in 1.0 - np.arange(1, n_inner) / n_inner:
        if t * ring_edge * stride < HALVE_BELOW * res and stride < 2**MAX_HALVINGS:
            stride *= 2
        scales.append(inner[::stride] * t)
        strides.append(stride)
    return scales, strides


def _surface_z(s: Surface, xy: np.ndarray, *, top: bool) -> np.ndarray:
    delta = distance_to_outline(s.outline, xy, cap=MAX_RADIUS_MM * s.scale)
    bottom, top_z, _ = heights(s, xy[:, 0], xy[:, 1], delta)
    return top_z if top else bottom


def _cap_faces(rings: list[np.ndarray], *, centre: int) -> np.ndarray:
    """Faces of one cap, wound CCW seen from +z, from the rim ring inward to a centre vertex.

    Consecutive rings hold the same rays (quads, two triangles each) or the inner one every
    other ray of the outer (three triangles per inner edge).
    """
    faces = []
    for a, b in itertools.pairwise(rings):
        if len(a) == len(b):
            a1, b1 = np.roll(a, -1), np.roll(b, -1)
            faces += [np.column_stack([a, a1, b1]), np.column_stack([a, b1, b])]
        else:
            a0, a1, a2 = a[0::2], a[1::2], np.roll(a[0::2], -1)
            b1 = np.roll(b, -1)
            faces += [
                np.column_stack([a0, a1, b]),
                np.column_stack([a1, a2, b1]),
                np.column_stack([a1, b1, b]),
            ]
    last = rings[-1]
    faces.append(np.column_stack([last, np.roll(last, -1), np.full(len(last), centre)]))
    return np.vstack(faces)
