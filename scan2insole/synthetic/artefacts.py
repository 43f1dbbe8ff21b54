"""What a scanner makes of a synthetic foot: pose, units, noise, holes, floor, leg, point clouds.

``synthetic_scan`` builds the foot in the right-foot frame, adds the artefacts there (so a left
scan drawn with the same seed is the exact mirror of the right one, before any pose), mirrors a
left foot, and then applies, in order: noise, the rigid pose, the unit scale and the
permutation. Every random choice comes from the ``rng`` passed in, in a fixed order, so the same
seed gives identical arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from scan2insole.records import Unit, frozen_array
from scan2insole.synthetic.footprint import surface_model
from scan2insole.synthetic.mesh import RESOLUTION_RANGE_MM, right_mesh
from scan2insole.synthetic.params import FootParams
from scan2insole.synthetic.surface import ankle_ellipse, distance_to_outline, heights
from scan2insole.synthetic.truth import FootTruth, foot_truth

MM_PER_UNIT: dict[str, float] = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4}
FLOOR_MARGIN_RANGE_MM = (40.0, 80.0)  # how far the floor patch reaches beyond the foot, per side
FLOOR_Z_RANGE_MM = (-1.0, 0.0)  # a scanning plate's surface, as noisy as a scanner sees it
LEG_TOP_RANGE_MM = (250.0, 350.0)
PLANTAR_HOLE_HEIGHT_MM = 3.0  # the first hole is centred on a plantar point at most this high
SOURCE_FOOT, SOURCE_FLOOR, SOURCE_LEG = 0, 1, 2
MAX_NOISE_MM = 5.0
MAX_HOLE_RADIUS_MM = 60.0
MAX_HOLES = 50
MAX_POINTS = 20_000_000


def _check(name: str, value: float, lo: float, hi: float) -> None:
    if not lo <= value <= hi:
        raise ValueError(f"{name} {value} is outside {lo}-{hi}")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Artefacts:
    """Scanner artefacts to add to a synthetic foot; all off by default."""

    rotate: bool = False
    """A random rigid rotation, uniform on SO(3), drawn from the rng."""
    translate_mm: float = 0.0
    """Length of a random translation (uniform direction)."""
    scanner_from_foot: np.ndarray | None = None
    """(4, 4) float64 rigid pose in mm; when given it replaces ``rotate`` and ``translate_mm``."""
    unit: Unit = "mm"
    """The unit the scan is written in; the scale is applied last."""
    noise_mm: float = 0.0
    """Standard deviation of isotropic Gaussian noise on every coordinate."""
    n_holes: int = 0
    """Holes cut around random surface points; the first is always plantar."""
    hole_radius_mm: float = 15.0
    floor: bool = False
    """A noisy planar patch at z in [-1, 0] mm under the foot, 40-80 mm beyond it."""
    leg_stump: bool = False
    """An open elliptic tube rising from the ankle to 250-350 mm."""
    point_cloud: bool = False
    """Sample points instead of writing a mesh."""
    n_points: int = 200_000
    """Area-weighted surface samples of a point cloud (fewer after holes are cut)."""
    mesh_resolution_mm: float = 2.0
    """Approximate edge length of the meshes."""
    permute: bool = False
    """Shuffle the order of vertices and faces (and the start corner of each face)."""

    def __post_init__(self) -> None:
        if self.scanner_from_foot is not None:
            pose = frozen_array(
                self.scanner_from_foot, dtype=np.float64, shape=(4, 4), name="scanner_from_foot"
            )
            rot = pose[:3, :3]
            if (
                not np.allclose(rot.T @ rot, np.eye(3), atol=1e-9)
                or np.linalg.det(rot) <= 0.0
                or not np.allclose(pose[3], [0, 0, 0, 1])
            ):
                raise ValueError("scanner_from_foot must be a rigid, non-mirroring 4x4 pose")
            object.__setattr__(self, "scanner_from_foot", pose)
        if self.unit not in MM_PER_UNIT:
            raise ValueError(f"unit must be one of {sorted(MM_PER_UNIT)}, got {self.unit!r}")
        _check("translate_mm", self.translate_mm, 0.0, 1e4)
        _check("noise_mm", self.noise_mm, 0.0, MAX_NOISE_MM)
        _check("hole_radius_mm", self.hole_radius_mm, 1.0, MAX_HOLE_RADIUS_MM)
        _check("mesh_resolution_mm", self.mesh_resolution_mm, *RESOLUTION_RANGE_MM)
        if not 0 <= self.n_holes <= MAX_HOLES:
            raise ValueError(f"n_holes {self.n_holes} is outside 0-{MAX_HOLES}")
        if not 1 <= self.n_points <= MAX_POINTS:
            raise ValueError(f"n_points {self.n_points} is outside 1-{MAX_POINTS}")


NO_ARTEFACTS = Artefacts()


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class SyntheticScan:
    """A synthetic scan as a scanner would write it, with the truth of the foot in it."""

    vertices: np.ndarray
    """(n, 3) float64, in ``truth.unit``, scanner frame."""
    faces: np.ndarray
    """(m, 3) int64 vertex indices, CCW seen from outside; (0, 3) for a point cloud."""
    source: np.ndarray
    """(n,) int8, what each vertex belongs to: 0 foot, 1 floor, 2 leg stump."""
    truth: FootTruth

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "vertices",
            frozen_array(self.vertices, dtype=np.float64, shape=(None, 3), name="vertices"),
        )
        object.__setattr__(
            self, "faces", frozen_array(self.faces, dtype=np.int64, shape=(None, 3), name="faces")
        )
        object.__setattr__(
            self,
            "source",
            frozen_array(self.source, dtype=np.int8, shape=(len(self.vertices),), name="source"),
        )


def synthetic_scan(
    params: FootParams, artefacts: Artefacts = NO_ARTEFACTS, *, rng: np.random.Generator
) -> SyntheticScan:
    """A synthetic scan of the foot ``params`` with ``artefacts``, and its ground truth.

    Parameters
    ----------
    params
        The foot.
    artefacts
        What the scanner adds; nothing by default (the clean closed mesh in the foot frame, mm).
    rng
        Source of every random choice (pose, floor, leg, holes, samples, noise, permutation).

    Returns
    -------
    SyntheticScan
        Vertices in ``artefacts.unit`` and the scanner pose; ``truth.scanner_from_foot`` maps
        foot-frame mm to scanner mm (then divide by ``truth.mm_per_unit``).
    """
    a = artefacts
    s = surface_model(params)
    pose = _pose(a, rng)
    vertices, faces = right_mesh(s, float(a.mesh_resolution_mm))
    parts = [(vertices, faces, SOURCE_FOOT)]
    if a.floor:
        parts.append((*_floor(vertices, a.mesh_resolution_mm, rng), SOURCE_FLOOR))
    if a.leg_stump:
        parts.append((*_leg(params, a.mesh_resolution_mm, rng), SOURCE_LEG))
    centres = _hole_centres(vertices, faces, a.n_holes, rng)
    if a.point_cloud:
        points, source = _sample(parts, a.n_points, rng)
        keep = (source != SOURCE_FOOT) | ~_in_holes(points, centres, a.hole_radius_mm)
        points, source, faces_out = points[keep], source[keep], np.zeros((0, 3), np.int64)
    else:
        points, faces_out, source = _join(parts, centres, a.hole_radius_mm)
    return as_scanned(params, a, pose, points, faces_out, source, rng=rng)


def as_scanned(
    params: FootParams,
    a: Artefacts,
    pose: np.ndarray,
    points: np.ndarray,
    faces: np.ndarray,
    source: np.ndarray,
    *,
    rng: np.random.Generator,
) -> SyntheticScan:
    """Right-foot-frame geometry as a scanner writes it: mirrored for a left foot, noisy, posed,
    in the artefact's unit, optionally shuffled; with its ground truth."""
    if params.side == "left":
        points = points * np.array([1.0, -1.0, 1.0])
        faces = faces[:, ::-1]
    if a.noise_mm > 0.0:
        points = points + rng.normal(0.0, a.noise_mm, points.shape)
    mm_per_unit = MM_PER_UNIT[a.unit]
    points = (points @ pose[:3, :3].T + pose[:3, 3]) / mm_per_unit
    if a.permute:
        points, faces, source = _permute(points, faces, source, rng)
    mirror = np.diag([1.0, -1.0 if params.side == "left" else 1.0, 1.0, 1.0])
    truth = replace(
        foot_truth(params),
        scanner_from_foot=pose,
        design_from_scanner=mirror @ np.linalg.inv(pose),
        unit=a.unit,
        mm_per_unit=mm_per_unit,
    )
    return SyntheticScan(vertices=points, faces=faces, source=source, truth=truth)


def _pose(a: Artefacts, rng: np.random.Generator) -> np.ndarray:
    if a.scanner_from_foot is not None:
        return np.array(a.scanner_from_foot)
    pose = np.eye(4)
    if a.rotate:
        w, x, y, z = _unit(rng.standard_normal(4))  # a uniform unit quaternion
        pose[:3, :3] = [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    if a.translate_mm > 0.0:
        pose[:3, 3] = a.translate_mm * _unit(rng.standard_normal(3))
    return pose


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _floor(foot: np.ndarray, res: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A grid patch under the foot, wound to face up, its z uniform in FLOOR_Z_RANGE_MM."""
    margin = rng.uniform(*FLOOR_MARGIN_RANGE_MM, size=4)
    lo = foot[:, :2].min(axis=0) - margin[:2]
    hi = foot[:, :2].max(axis=0) + margin[2:]
    nx, ny = (int(np.ceil(d / res)) + 1 for d in hi - lo)
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], nx), np.linspace(lo[1], hi[1], ny))
    z = rng.uniform(*FLOOR_Z_RANGE_MM, size=gx.size)
    vertices = np.column_stack([gx.ravel(), gy.ravel(), z])
    return vertices, _grid_faces(ny, nx)


def _grid_faces(rows: int, cols: int) -> np.ndarray:
    """Two CCW (seen from +z when rows grow in +y, columns in +x) triangles per grid cell."""
    r, c = np.meshgrid(np.arange(rows - 1), np.arange(cols - 1), indexing="ij")
    a = (r * cols + c).ravel()
    b, d = a + 1, a + cols
    return np.vstack([np.column_stack([a, b, d + 1]), np.column_stack([a, d + 1, d])])


def _leg(params: FootParams, res: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """An open elliptic tube standing on the foot's ankle cut, outward-wound."""
    s = surface_model(params)
    top = rng.uniform(*LEG_TOP_RANGE_MM)
    cx, cy, a, b = ankle_ellipse(s)  # the leg's section where the scan is cut
    perimeter = np.pi * (3.0 * (a + b) - np.sqrt((3.0 * a + b) * (a + 3.0 * b)))  # Ramanujan
    n_around = max(8, int(np.ceil(perimeter / res)))
    theta = 2.0 * np.pi * np.arange(n_around) / n_around
    x = cx + a * np.cos(theta)
    y = cy + b * np.sin(theta)
    delta = distance_to_outline(s.outline, np.column_stack([x, y]), cap=1e3)
    base = heights(s, x, y, delta)[1]  # the tube starts on the foot's top surface
    n_up = max(2, int(np.ceil((top - base.min()) / res)))
    frac = np.linspace(0.0, 1.0, n_up + 1)[:, None]
    z = base[None, :] + frac * (top - base[None, :])
    vertices = np.column_stack([np.tile(x, n_up + 1), np.tile(y, n_up + 1), z.ravel()])
    i = np.arange(n_around)
    j = (i + 1) % n_around
    k = n_around * np.arange(n_up)[:, None]
    lower = np.stack(np.broadcast_arrays(k + i, k + j, k + n_around + j), axis=-1)
    upper = np.stack(np.broadcast_arrays(k + i, k + n_around + j, k + n_around + i), axis=-1)
    return vertices, np.vstack([lower.reshape(-1, 3), upper.reshape(-1, 3)])


def _face_areas(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    tri = vertices[faces]
    return 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)


def _hole_centres(
    vertices: np.ndarray, faces: np.ndarray, n_holes: int, rng: np.random.Generator
) -> np.ndarray:
    """Centroids of random area-weighted foot faces; the first among the plantar faces."""
    if n_holes == 0:
        return np.zeros((0, 3))
    area = _face_areas(vertices, faces)
    plantar = vertices[faces][:, :, 2].max(axis=1) <= PLANTAR_HOLE_HEIGHT_MM
    weights = [np.where(plantar, area, 0.0)] + [area] * (n_holes - 1)
    picks = [_pick(w, rng) for w in weights]
    return vertices[faces[picks]].mean(axis=1)


def _pick(weights: np.ndarray, rng: np.random.Generator) -> int:
    cum = np.cumsum(weights)
    return int(np.searchsorted(cum, rng.uniform(0.0, cum[-1]), side="right"))


def _in_holes(points: np.ndarray, centres: np.ndarray, radius: float) -> np.ndarray:
    inside = np.zeros(len(points), dtype=bool)
    for c in centres:  # a handful of holes; the points are vectorised
        inside |= np.einsum("ij,ij->i", points - c, points - c) < radius * radius
    return inside


def _join(
    parts: list[tuple[np.ndarray, np.ndarray, int]], centres: np.ndarray, radius: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One mesh of all parts, foot faces inside a hole removed and unused vertices dropped."""
    vertices, faces, sources, offset = [], [], [], 0
    for v, f, src in parts:
        if src == SOURCE_FOOT and len(centres):
            f = f[~_in_holes(v[f].mean(axis=1), centres, radius)]
        vertices.append(v)
        faces.append(f + offset)
        sources.append(np.full(len(v), src, dtype=np.int8))
        offset += len(v)
    all_v, all_f, all_s = np.vstack(vertices), np.vstack(faces), np.concatenate(sources)
    used = np.zeros(len(all_v), dtype=bool)
    used[all_f.ravel()] = True
    new_index = np.cumsum(used) - 1
    return all_v[used], new_index[all_f], all_s[used]


def _sample(
    parts: list[tuple[np.ndarray, np.ndarray, int]], n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """n area-weighted uniform points on the triangles of all parts, and the part of each."""
    tris = np.vstack([v[f] for v, f, _ in parts])
    src = np.concatenate([np.full(len(f), s, dtype=np.int8) for _, f, s in parts])
    e1, e2 = tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0]
    cum = np.cumsum(0.5 * np.linalg.norm(np.cross(e1, e2), axis=1))
    face = np.searchsorted(cum, rng.uniform(0.0, cum[-1], size=n), side="right")
    face = np.minimum(face, len(tris) - 1)
    r1, r2 = rng.random(n), rng.random(n)
    flip = r1 + r2 > 1.0  # fold the unit square onto the triangle
    r1, r2 = np.where(flip, 1.0 - r1, r1), np.where(flip, 1.0 - r2, r2)
    points = tris[face, 0] + r1[:, None] * e1[face] + r2[:, None] * e2[face]
    return points, src[face]


def _permute(
    points: np.ndarray, faces: np.ndarray, source: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = rng.permutation(len(points))
    new_index = np.empty_like(order)
    new_index[order] = np.arange(len(order))
    faces = new_index[faces][rng.permutation(len(faces))]
    shift = rng.integers(0, 3, size=len(faces))  # a cyclic shift keeps the winding
    cols = (np.arange(3)[None, :] + shift[:, None]) % 3
    faces = np.take_along_axis(faces, cols, axis=1)
    return points[order], faces, source[order]
