"""Print checks on a triangle mesh, ours or anyone's, measured off the mesh itself.

Each check is a ``Check`` with the measured figure and its limit; a mesh is printable when all
pass. Thickness is measured with vertical rays on a ``THICKNESS_GRID_MM`` grid: the distance from
the lowest to the highest surface hit over each cell (the insole is a height-field solid laid flat,
so a vertical ray crosses it once).
"""

from __future__ import annotations

import numpy as np

from scan2insole.heightmap import envelope
from scan2insole.records import Check, VerifyReport
from scan2insole.sampling import surface_samples

THICKNESS_GRID_MM = 1.0
DEGENERATE_AREA_MM2 = 1e-6
# Faces this close to the lowest z, facing straight down, rest on the bed.
BED_CONTACT_TOL_MM = 0.05
MIN_BED_CONTACT_FRAC = 0.5


def _edges(faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Directed edges (3m, 2) and their undirected keys sorted per row."""
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    return e, np.sort(e, axis=1)


def edge_counts(faces: np.ndarray) -> tuple[int, int, int]:
    """(open edges, edges shared by more than two faces, edges walked the same way twice)."""
    directed, undirected = _edges(faces)
    _, counts = np.unique(undirected, axis=0, return_counts=True)
    _, dcounts = np.unique(directed, axis=0, return_counts=True)
    return int((counts == 1).sum()), int((counts > 2).sum()), int((dcounts > 1).sum())


def n_shells(n_vertices: int, faces: np.ndarray) -> int:
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    rows = np.repeat(faces[:, 0], 2)
    cols = faces[:, 1:].ravel()
    adj = sparse.coo_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n_vertices, n_vertices)
    )
    used = np.unique(faces)
    labels = connected_components(adj, directed=False)[1]
    return len(np.unique(labels[used]))


def signed_volume_mm3(vertices: np.ndarray, faces: np.ndarray) -> float:
    tri = vertices[faces]
    return float(np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6.0)


def thickness_map(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertical thickness on a grid: (ny, nx) map (NaN off the part) and the grid's x, y origin."""
    tri = vertices[faces]
    normal_z = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])[:, 2]
    up = surface_samples(vertices, faces[normal_z > 0], spacing_mm=0.5 * THICKNESS_GRID_MM)
    down = surface_samples(vertices, faces[normal_z < 0], spacing_mm=0.5 * THICKNESS_GRID_MM)
    origin = np.floor(vertices[:, :2].min(axis=0))
    span = vertices[:, :2].max(axis=0) - origin
    shape = (int(span[1] / THICKNESS_GRID_MM) + 2, int(span[0] / THICKNESS_GRID_MM) + 2)
    top = envelope(up, cell_mm=THICKNESS_GRID_MM, which="upper", origin_mm=origin, shape=shape)
    bot = envelope(down, cell_mm=THICKNESS_GRID_MM, which="lower", origin_mm=origin, shape=shape)
    return top.z_mm - bot.z_mm, origin


def bed_angle_deg(xy_mm: np.ndarray, bed_mm: tuple[float, float]) -> float | None:
    """Smallest turn (whole degrees, 0-90) about z that fits the part's footprint on the bed,
    or None. A long insole that overhangs a small bed straight often fits on the diagonal."""
    from scipy.spatial import ConvexHull

    hull = xy_mm[ConvexHull(xy_mm).vertices] if len(xy_mm) >= 3 else xy_mm
    for deg in range(0, 91):
        a = np.radians(deg)
        rot = hull @ np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
        ext = rot.max(axis=0) - rot.min(axis=0)
        if ext[0] <= bed_mm[0] and ext[1] <= bed_mm[1]:
            return float(deg)
    return None


def verify_mesh(
    vertices_mm: np.ndarray,
    faces: np.ndarray,
    *,
    min_thickness_mm: float,
    bed_mm: tuple[float, float],
    max_height_mm: float,
) -> VerifyReport:
    """Run every print check on a mesh (vertices in mm, any placement)."""
    checks: list[Check] = []
    figures: dict[str, float] = {}
    open_e, nonmanifold_e, flipped_e = edge_counts(faces)
    checks.append(
        Check(
            name="watertight",
            passed=open_e == 0 and nonmanifold_e == 0,
            value=float(open_e + nonmanifold_e),
            limit=0.0,
            message=f"{open_e} open edges and {nonmanifold_e} edges shared by more than two faces",
        )
    )
    checks.append(
        Check(
            name="winding",
            passed=flipped_e == 0,
            value=float(flipped_e),
            limit=0.0,
            message=f"{flipped_e} edges run the same way in both faces (flipped faces)",
        )
    )
    tri = vertices_mm[faces]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    degenerate = int((area < DEGENERATE_AREA_MM2).sum())
    checks.append(
        Check(
            name="degenerate",
            passed=degenerate == 0,
            value=float(degenerate),
            limit=0.0,
            message=f"{degenerate} zero-area triangles",
        )
    )
    shells = n_shells(len(vertices_mm), faces)
    checks.append(
        Check(
            name="single_shell",
            passed=shells == 1,
            value=float(shells),
            limit=1.0,
            message=f"{shells} separate shells (parts)",
        )
    )
    volume = signed_volume_mm3(vertices_mm, faces)
    figures["volume_mm3"] = volume
    checks.append(
        Check(
            name="volume",
            passed=volume > 0,
            value=volume,
            limit=0.0,
            message=f"signed volume {volume:.0f} mm³ (negative: inside out)",
        )
    )
    extent = vertices_mm.max(axis=0) - vertices_mm.min(axis=0)
    figures.update(
        length_mm=float(extent[0]), width_mm=float(extent[1]), height_mm=float(extent[2])
    )
    checks.append(
        Check(
            name="max_height",
            passed=extent[2] <= max_height_mm,
            value=float(extent[2]),
            limit=max_height_mm,
            message=f"height {extent[2]:.1f} mm, limit {max_height_mm:.1f} mm",
        )
    )
    angle = bed_angle_deg(vertices_mm[:, :2], bed_mm)
    figures["bed_angle_deg"] = float("nan") if angle is None else angle
    where = "does not fit" if angle is None else f"fits turned {angle:.0f}°"
    checks.append(Check(name="bed_fit", passed=angle is not None, value=float(max(extent[:2])),
                        limit=float(max(bed_mm)),
                        message=f"part {extent[0]:.0f} x {extent[1]:.0f} mm {where} on a "
                                f"{bed_mm[0]:.0f} x {bed_mm[1]:.0f} mm bed"))
    thick, _ = thickness_map(vertices_mm, faces)
    inner = np.isfinite(thick)
    # the wall's own cells straddle the edge: measure one cell in from the rim
    from scipy import ndimage

    inner = ndimage.binary_erosion(inner, iterations=1)
    min_t = float(np.nanmin(thick[inner])) if inner.any() else 0.0
    figures["min_thickness_mm"] = min_t
    checks.append(
        Check(
            name="min_thickness",
            passed=min_t >= min_thickness_mm - 1e-6,
            value=min_t,
            limit=min_thickness_mm,
            message=f"thinnest {min_t:.2f} mm, minimum {min_thickness_mm:.2f} mm",
        )
    )
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    unit_z = normals[:, 2] / np.maximum(np.linalg.norm(normals, axis=1), 1e-300)
    zmin = vertices_mm[:, 2].min()
    on_bed = (unit_z < -0.999) & (tri[:, :, 2].max(axis=1) <= zmin + BED_CONTACT_TOL_MM)
    footprint = float(np.abs(area[unit_z < -1e-9] * unit_z[unit_z < -1e-9]).sum())
    contact = float(area[on_bed].sum())
    frac = contact / footprint if footprint > 0 else 0.0
    figures["bed_contact_mm2"] = contact
    checks.append(
        Check(
            name="flat_bottom",
            passed=frac >= MIN_BED_CONTACT_FRAC,
            value=frac,
            limit=MIN_BED_CONTACT_FRAC,
            message=f"{100 * frac:.0f} % of the underside rests on the bed ({contact:.0f} mm²)",
        )
    )
    return VerifyReport(checks=tuple(checks), figures=figures)
