"""What labs receive besides foot scans: foam-box impressions and plantar-only scans.

Both are built from the same :class:`FootParams` as the foot scans, in the right-foot frame, so
the foot's truth (:func:`foot_truth`) holds for them unchanged:

- **foam box** (:func:`foam_impression`): the scanned top of a crushable foam block the foot was
  pushed straight down into, ``depth_mm`` below the foam's top plane. Foam crushes wherever the
  sole passed, so the cavity is the vertical sweep of the foot: its floor is the plantar surface
  (the deepest imprint point is the sole's lowest point, z = 0; the foam top is z = depth), its
  walls rise vertically from the outline's edge to the top plane, and the top plane runs out to a
  rectangle 20-40 mm beyond the foot on each side. Where the sole lies higher than the depth (a
  high medial arch in a shallow box) the foam is not reached: the top plane continues there, as
  in a real box. Optional: the box's walls rising above the foam, and the table it stands on.
- **plantar-only** (:func:`plantar_scan`): the sole as a plantar scanner sees it from below, an
  open sheet (the plantar cap of ``mesh.py`` and its rim ring), optionally with a strip of the
  foot's steep side walls above the edge.

Pose, units, noise, point clouds and permutation are the :class:`Artefacts` of ``artefacts.py``,
applied in the same order with the same ``rng`` draws; floor, leg stump and holes belong to foot
scans and are refused here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from scan2insole.synthetic.artefacts import (
    NO_ARTEFACTS,
    SOURCE_FOOT,
    Artefacts,
    SyntheticScan,
    _face_areas,
    _grid_faces,
    _pose,
    _sample,
    as_scanned,
)
from scan2insole.synthetic.footprint import surface_model
from scan2insole.synthetic.mesh import MAX_HALVINGS, cap_mesh
from scan2insole.synthetic.outline import rim_indices
from scan2insole.synthetic.params import FootParams
from scan2insole.synthetic.surface import Surface, heights

# What each vertex of an impression belongs to (``SyntheticScan.source``); 0 (the sole, as
# imprinted or as seen from below) is ``artefacts.SOURCE_FOOT``.
SOURCE_FOAM, SOURCE_BOX, SOURCE_TABLE = 3, 4, 5
DEPTH_RANGE_MM = (15.0, 40.0)  # foam top to the deepest imprint point (issue 10)
RIM_RANGE_MM = (20.0, 40.0)  # foam beyond the foot on each side (issue 10)
# Box walls rise this far above the foam (E: impression boxes are filled nearly to the brim).
WALL_RISE_RANGE_MM = (5.0, 25.0)
# Foam left under the deepest point, down to the table (E: 50-75 mm blocks, 15-40 mm imprints).
FOAM_BELOW_RANGE_MM = (10.0, 40.0)
# Table beyond the box on each side (E: kept small, so box and table stay below the 520 mm a
# scan may measure for ``units.py`` to read it).
TABLE_MARGIN_RANGE_MM = (10.0, 40.0)
SIDES_RANGE_MM = (0.0, 15.0)
# A plantar scanner's cameras look up from below at up to ~70° off vertical (E), so of the side
# walls above the edge it sees only faces steeper than 70°: their outward normal's z <= cos 70°.
SIDE_MAX_NORMAL_Z = float(np.cos(np.radians(70.0)))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class FoamBox:
    """A foam impression box (mm); the defaults are a bare block scanned from above."""

    depth_mm: float = 30.0
    """Foam top plane to the deepest imprint point."""
    rim_mm: float | None = None
    """Foam beyond the foot's outline on every side; None draws each side from
    ``RIM_RANGE_MM``."""
    box_walls: bool = False
    """The box's four walls, rising ``WALL_RISE_RANGE_MM`` above the foam (down to the table
    when there is one)."""
    table: bool = False
    """The table the box stands on, ``FOAM_BELOW_RANGE_MM`` under the deepest point, seen
    ``TABLE_MARGIN_RANGE_MM`` around the box."""

    def __post_init__(self) -> None:
        _check("depth_mm", self.depth_mm, DEPTH_RANGE_MM)
        if self.rim_mm is not None:
            _check("rim_mm", self.rim_mm, RIM_RANGE_MM)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class PlantarSheet:
    """What a plantar scanner sees of the foot: the sole, and maybe a little of the sides."""

    sides_mm: float = 0.0
    """How far above the outline's edge the sheet climbs the foot's steep side walls."""

    def __post_init__(self) -> None:
        _check("sides_mm", self.sides_mm, SIDES_RANGE_MM)


def _check(name: str, value: float, bounds: tuple[float, float]) -> None:
    if not bounds[0] <= value <= bounds[1]:  # also rejects NaN
        raise ValueError(f"{name} {value} mm is outside {bounds[0]}-{bounds[1]} mm")


def _refuse_foot_artefacts(a: Artefacts, what: str) -> None:
    for name, on in (("floor", a.floor), ("leg_stump", a.leg_stump), ("n_holes", a.n_holes)):
        if on:
            raise ValueError(f"artefact {name} belongs to foot scans, not to a {what}")


def foam_impression(
    params: FootParams,
    foam: FoamBox = FoamBox(),
    artefacts: Artefacts = NO_ARTEFACTS,
    *,
    rng: np.random.Generator,
) -> SyntheticScan:
    """A scanned foam-box impression of the foot ``params``, and the foot's truth.

    Parameters
    ----------
    params
        The foot that stepped into the foam.
    foam
        Depth, foam rim, box walls, table.
    artefacts
        Pose, unit, noise, point cloud, mesh resolution, permutation (no floor, leg or holes).
    rng
        Source of every random choice: pose, foam rim, wall rise, foam below and table margin
        (in that order, each only when used), then samples, noise, permutation.

    Returns
    -------
    SyntheticScan
        Vertices in ``artefacts.unit``, scanner pose; ``source`` is ``SOURCE_FOOT`` on the
        imprint's floor (the plantar surface), ``SOURCE_FOAM`` on the cavity walls and the foam
        top, ``SOURCE_BOX`` and ``SOURCE_TABLE``. ``truth.design_from_scanner`` takes the scan to
        the foot frame, where the imprint's floor is the plantar surface (deepest point z = 0)
        and the foam top is the plane z = ``foam.depth_mm``.
    """
    _refuse_foot_artefacts(artefacts, "foam impression")
    s = surface_model(params)
    pose = _pose(artefacts, rng)
    parts = _foam_parts(s, foam, float(artefacts.mesh_resolution_mm), rng)
    return _finish(params, parts, artefacts, pose, rng)


def plantar_scan(
    params: FootParams,
    sheet: PlantarSheet = PlantarSheet(),
    artefacts: Artefacts = NO_ARTEFACTS,
    *,
    rng: np.random.Generator,
) -> SyntheticScan:
    """A plantar-only scan of the foot ``params`` (an open sheet of the sole), and its truth.

    Parameters
    ----------
    params
        The foot.
    sheet
        How much of the side walls the scanner saw.
    artefacts
        Pose, unit, noise, point cloud, mesh resolution, permutation (no floor, leg or holes).
    rng
        Source of every random choice (pose, samples, noise, permutation).

    Returns
    -------
    SyntheticScan
        Vertices in ``artefacts.unit``, scanner pose, all ``SOURCE_FOOT``; faces wound to face
        out of the foot (down, for the sole). In the foot frame the sheet is the plantar surface
        exactly, its lowest points on z = 0.
    """
    _refuse_foot_artefacts(artefacts, "plantar scan")
    s = surface_model(params)
    pose = _pose(artefacts, rng)
    res = float(artefacts.mesh_resolution_mm)
    rim, rim_z = _rim(s, res)
    bottom_v, bottom_f = cap_mesh(s, rim, res, top=False, first_index=len(rim))
    vertices = np.vstack([np.column_stack([rim, rim_z]), bottom_v])
    faces = bottom_f
    if sheet.sides_mm > 0.0:
        top_v, top_f = cap_mesh(s, rim, res, top=True, first_index=len(vertices))
        vertices = np.vstack([vertices, top_v])
        faces = np.vstack([faces, _seen_sides(s, vertices, top_f, float(sheet.sides_mm))])
    vertices, faces = _compact(vertices, faces)
    return _finish(params, [(vertices, faces, SOURCE_FOOT)], artefacts, pose, rng)


def _rim(s: Surface, res: float) -> tuple[np.ndarray, np.ndarray]:
    """The outline ring the caps share (as in ``mesh.right_mesh``) and its edge heights."""
    o = s.outline
    rim = o.polygon[rim_indices(o, spacing_mm=res, multiple=2**MAX_HALVINGS)]
    return rim, heights(s, rim[:, 0], rim[:, 1], np.zeros(len(rim)))[2]


def _seen_sides(s: Surface, vertices: np.ndarray, faces: np.ndarray, sides: float) -> np.ndarray:
    """The faces of the dorsal cap a plantar scanner sees: steep, and at most ``sides`` above
    the edge."""
    tri = vertices[faces]
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    nz = normal[:, 2] / np.maximum(np.linalg.norm(normal, axis=1), 1e-12)
    centre = tri.mean(axis=1)
    edge = heights(s, centre[:, 0], centre[:, 1], np.zeros(len(centre)))[2]
    low = (tri[:, :, 2].max(axis=1) <= edge + sides) & (nz <= SIDE_MAX_NORMAL_Z)
    return faces[low]


def _compact(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop zero-area faces and the vertices no face uses."""
    faces = faces[_face_areas(vertices, faces) > 1e-12]
    used = np.zeros(len(vertices), dtype=bool)
    used[faces.ravel()] = True
    new_index = np.cumsum(used) - 1
    return vertices[used], new_index[faces]


def _foam_parts(
    s: Surface, foam: FoamBox, res: float, rng: np.random.Generator
) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """The imprint floor, the foam (cavity walls and top), box walls and table: right foot, mm."""
    depth = float(foam.depth_mm)
    rim, rim_z = _rim(s, res)
    n = len(rim)
    # the floor: the plantar cap, clipped where the sole lies above the foam (foam not reached)
    cap_v, cap_f = cap_mesh(s, rim, res, top=False, first_index=n)
    floor_v = np.vstack([np.column_stack([rim, np.minimum(rim_z, depth)]), cap_v])
    floor_v[:, 2] = np.minimum(floor_v[:, 2], depth)
    floor_f = cap_f[:, ::-1]  # face up, into the cavity
    floor_v, floor_f = _compact(floor_v, floor_f)

    # cavity walls: rows from the rim (clipped) straight up to the foam top
    wall_lo = np.minimum(rim_z, depth)
    n_up = max(1, int(np.ceil((depth - wall_lo.min()) / res)))
    frac = np.arange(n_up + 1)[:, None] / n_up
    wall_z = wall_lo[None, :] + frac * (depth - wall_lo[None, :])
    wall_v = np.column_stack([np.tile(rim, (n_up + 1, 1)), wall_z.ravel()])
    i = np.arange(n)
    i1 = (i + 1) % n
    k = n * np.arange(n_up)[:, None]
    a, a1, b, b1 = k + i, k + i1, k + n + i, k + n + i1
    wall_f = np.vstack(  # facing the cavity (inward of the CCW rim)
        [
            np.stack(np.broadcast_arrays(a, b, b1), axis=-1).reshape(-1, 3),
            np.stack(np.broadcast_arrays(a, b1, a1), axis=-1).reshape(-1, 3),
        ]
    )

    # the foam top: rings along the rays from the outline's centre out to the block's rectangle
    margin = (
        np.full(4, float(foam.rim_mm)) if foam.rim_mm is not None else rng.uniform(*RIM_RANGE_MM, 4)
    )
    lo = s.outline.polygon.min(axis=0) - margin[:2]
    hi = s.outline.polygon.max(axis=0) + margin[2:]
    c = s.outline.centre
    rel = rim - c
    r = np.hypot(rel[:, 0], rel[:, 1])
    u = rel / r[:, None]
    with np.errstate(divide="ignore"):
        exits = np.where(u > 0, (hi - c) / u, np.where(u < 0, (lo - c) / u, np.inf))
    t = exits.min(axis=1)
    n_out = max(1, int(np.ceil(float(np.max(t - r)) / res)))
    rings = [c + (r + (t - r) * j / n_out)[:, None] * u for j in range(n_out, 0, -1)]  # outer first
    top_v = np.column_stack([np.vstack(rings), np.full(n * n_out, depth)])
    base = len(wall_v)
    # ring j (outermost j = 0) starts at base + j * n; the innermost is the walls' top row
    ring_index = [base + j * n + i for j in range(n_out)] + [n * n_up + i]
    top_f = []
    for outer, inner in itertools.pairwise(ring_index):
        o1, in1 = np.roll(outer, -1), np.roll(inner, -1)
        top_f += [np.column_stack([outer, o1, in1]), np.column_stack([outer, in1, inner])]
    foam_v = np.vstack([wall_v, top_v])
    foam_f = np.vstack([wall_f, *top_f])
    parts = [(floor_v, floor_f, SOURCE_FOOT), (*_compact(foam_v, foam_f), SOURCE_FOAM)]

    rise = rng.uniform(*WALL_RISE_RANGE_MM) if foam.box_walls else 0.0
    table_z = -rng.uniform(*FOAM_BELOW_RANGE_MM) if foam.table else depth
    if foam.box_walls:
        parts.append((*_box_walls(lo, hi, table_z, depth + rise, res), SOURCE_BOX))
    if foam.table:
        table_margin = rng.uniform(*TABLE_MARGIN_RANGE_MM, 4)
        parts.append((*_table(lo, hi, table_margin, table_z, res), SOURCE_TABLE))
    return parts


def _box_walls(
    lo: np.ndarray, hi: np.ndarray, z_lo: float, z_hi: float, res: float
) -> tuple[np.ndarray, np.ndarray]:
    """Four vertical wall sheets on the rectangle lo-hi from z_lo to z_hi, facing inward."""
    corners = np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]])
    rows = int(np.ceil((z_hi - z_lo) / res)) + 1
    z = np.linspace(z_lo, z_hi, rows)
    vertices, faces, offset = [], [], 0
    for start, end in zip(corners, np.roll(corners, -1, axis=0), strict=True):
        cols = int(np.ceil(np.hypot(*(end - start)) / res)) + 1
        along = start + np.linspace(0.0, 1.0, cols)[:, None] * (end - start)
        grid = np.column_stack([np.tile(along, (rows, 1)), np.repeat(z, cols)])
        vertices.append(grid)
        # rows up, columns along the CCW edge: _grid_faces' winding faces outward; flip it
        faces.append(_grid_faces(rows, cols)[:, ::-1] + offset)
        offset += len(grid)
    return np.vstack(vertices), np.vstack(faces)


def _table(
    lo: np.ndarray, hi: np.ndarray, margin: np.ndarray, z: float, res: float
) -> tuple[np.ndarray, np.ndarray]:
    """Four face-up grid strips at height z around (not under) the rectangle lo-hi."""
    t_lo, t_hi = lo - margin[:2], hi + margin[2:]
    strips = [
        ((t_lo[0], t_lo[1]), (lo[0], t_hi[1])),
        ((hi[0], t_lo[1]), (t_hi[0], t_hi[1])),
        ((lo[0], t_lo[1]), (hi[0], lo[1])),
        ((lo[0], hi[1]), (hi[0], t_hi[1])),
    ]
    vertices, faces, offset = [], [], 0
    for (x0, y0), (x1, y1) in strips:
        nx, ny = (int(np.ceil(d / res)) + 1 for d in (x1 - x0, y1 - y0))
        gx, gy = np.meshgrid(np.linspace(x0, x1, nx), np.linspace(y0, y1, ny))
        vertices.append(np.column_stack([gx.ravel(), gy.ravel(), np.full(gx.size, z)]))
        faces.append(_grid_faces(ny, nx) + offset)
        offset += gx.size
    return np.vstack(vertices), np.vstack(faces)


def _finish(
    params: FootParams,
    parts: list[tuple[np.ndarray, np.ndarray, int]],
    a: Artefacts,
    pose: np.ndarray,
    rng: np.random.Generator,
) -> SyntheticScan:
    """Parts (right-foot frame, mm) to a scan: cloud or mesh, side, noise, pose, unit, order."""
    if a.point_cloud:
        points, source = _sample(parts, a.n_points, rng)
        faces = np.zeros((0, 3), np.int64)
    else:
        offsets = np.cumsum([0] + [len(v) for v, _, _ in parts[:-1]])
        points = np.vstack([v for v, _, _ in parts])
        faces = np.vstack([f + off for (_, f, _), off in zip(parts, offsets, strict=True)])
        source = np.concatenate([np.full(len(v), src, dtype=np.int8) for v, _, src in parts])
    return as_scanned(params, a, pose, points, faces, source, rng=rng)
