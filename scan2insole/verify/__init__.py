"""Stage 7, verify: print checks on a triangle mesh, ours or anyone's, measured off the mesh itself.

Each check is a ``Check`` holding the measured figure, its limit and a one-line message; a mesh is
printable when all pass. The checks, in order:

- ``watertight``: every edge in exactly two faces (no holes, no fins);
- ``winding``: the two faces of every edge walk it in opposite directions (no flipped faces);
- ``degenerate``: no triangle of (near) zero area;
- ``self_intersection``: no two triangles cross (``intersections.py``);
- ``single_shell``: one connected part;
- ``volume``: positive signed volume (normals point out);
- ``max_height``: the part is no taller than the printer allows;
- ``bed_fit``: the footprint fits the bed, turned about z if it must (``bed_layout.py``);
- ``min_thickness``: the thinnest vertical crossing of the solid (``thickness.py``) is at least
  the profile's minimum;
- ``flat_bottom``: most of the underside rests on the bed, so it prints without supports.

Vertices are millimetres with z up (the print direction); placement on the bed does not matter.
"""

from __future__ import annotations

import numpy as np

from scan2insole.bed_layout import fit_turn_deg
from scan2insole.records import Check, VerifyReport
from scan2insole.verify.intersections import self_intersections
from scan2insole.verify.thickness import vertical_thickness
from scan2insole.verify.topology import (
    edge_counts,
    face_areas_mm2,
    n_shells,
    signed_volume_mm3,
)

__all__ = ["verify_mesh"]

DEGENERATE_AREA_MM2 = 1e-6
"""A triangle smaller than a 1.4 µm square has no direction a slicer can trust (its normal is
rounding noise)."""
BED_CONTACT_TOL_MM = 0.05
"""Faces facing straight down within this of the lowest z rest on the bed: a quarter of a first
layer, far below what a slicer's first layer squashes flat."""
BED_CONTACT_COS = 0.999
"""A face rests on the bed when its normal is within 2.6 deg of straight down."""
MIN_BED_CONTACT_FRAC = 0.5
"""Share of the underside's footprint that must rest on the bed: a flat-bottomed insole has ~1.0;
below half, the part rocks or needs supports."""
THICKNESS_SLACK_MM = 1e-6
"""Float slack when comparing the thinnest crossing with the minimum: a design at exactly the
minimum passes."""


def _check(name: str, passed: bool, value: float, limit: float, message: str) -> Check:
    return Check(
        name=name, passed=bool(passed), value=float(value), limit=float(limit), message=message
    )


def _topology_checks(vertices_mm: np.ndarray, faces: np.ndarray) -> list[Check]:
    open_e, nonmanifold_e, flipped_e = edge_counts(faces)
    n_degenerate = int((face_areas_mm2(vertices_mm, faces) < DEGENERATE_AREA_MM2).sum())
    crossing = self_intersections(vertices_mm, faces)
    n_crossing = len(np.unique(crossing))
    where = ""
    if n_crossing:
        x, y, z = vertices_mm[faces[crossing[0, 0]]].mean(axis=0)
        where = f", first near x {x:.1f}, y {y:.1f}, z {z:.1f} mm"
    shells = n_shells(len(vertices_mm), faces)
    return [
        _check(
            "watertight",
            open_e == 0 and nonmanifold_e == 0,
            open_e + nonmanifold_e,
            0,
            f"{open_e} open edges (holes) and {nonmanifold_e} edges shared by more than two faces",
        ),
        _check(
            "winding",
            flipped_e == 0,
            flipped_e,
            0,
            f"{flipped_e} edges run the same way in both their faces (flipped faces)",
        ),
        _check(
            "degenerate",
            n_degenerate == 0,
            n_degenerate,
            0,
            f"{n_degenerate} zero-area triangles (under {DEGENERATE_AREA_MM2:g} mm²)",
        ),
        _check(
            "self_intersection",
            n_crossing == 0,
            n_crossing,
            0,
            f"{n_crossing} triangles cross another triangle of the part{where}",
        ),
        _check(
            "single_shell",
            shells == 1,
            shells,
            1,
            f"{shells} separate shells (parts), expected 1",
        ),
    ]


def verify_mesh(
    vertices_mm: np.ndarray,
    faces: np.ndarray,
    *,
    min_thickness_mm: float,
    bed_mm: tuple[float, float],
    max_height_mm: float,
) -> VerifyReport:
    """Run every print check on a mesh.

    Parameters
    ----------
    vertices_mm : (n, 3) float64, mm, z up; any placement.
    faces : (m, 3) int64, m >= 1, counter-clockwise seen from outside.
    min_thickness_mm : thinnest the part may be anywhere (the profile's ``shell.min_thickness_mm``).
    bed_mm : bed size along x and y.
    max_height_mm : tallest part accepted.

    Returns
    -------
    VerifyReport
        The checks in the order of the module docstring, and figures: ``volume_mm3``,
        ``length_mm``, ``width_mm``, ``height_mm`` (bounding box), ``bed_angle_deg`` (turn that
        fits the bed, NaN if none), ``min_thickness_mm``, ``bed_contact_mm2``,
        ``self_intersecting_faces``.
    """
    vertices_mm = np.asarray(vertices_mm, dtype=np.float64)
    faces = np.asarray(faces, dtype=np.int64)
    checks = _topology_checks(vertices_mm, faces)
    figures: dict[str, float] = {}
    figures["self_intersecting_faces"] = float(
        next(c.value for c in checks if c.name == "self_intersection")
    )

    volume = signed_volume_mm3(vertices_mm, faces)
    figures["volume_mm3"] = volume
    checks.append(
        _check(
            "volume",
            volume > 0,
            volume,
            0,
            f"signed volume {volume:.0f} mm³, expected positive (negative: inside out)",
        )
    )

    extent = vertices_mm.max(axis=0) - vertices_mm.min(axis=0)
    figures.update(
        length_mm=float(extent[0]), width_mm=float(extent[1]), height_mm=float(extent[2])
    )
    checks.append(
        _check(
            "max_height",
            extent[2] <= max_height_mm,
            extent[2],
            max_height_mm,
            f"height {extent[2]:.1f} mm, limit {max_height_mm:.1f} mm",
        )
    )
    turn = fit_turn_deg(vertices_mm[:, :2], bed_mm)
    figures["bed_angle_deg"] = float("nan") if turn is None else turn
    where = "does not fit at any turn" if turn is None else f"fits turned {turn:.0f}°"
    checks.append(
        _check(
            "bed_fit",
            turn is not None,
            max(extent[:2]),
            max(bed_mm),
            f"part {extent[0]:.0f} x {extent[1]:.0f} mm {where} on a "
            f"{bed_mm[0]:.0f} x {bed_mm[1]:.0f} mm bed",
        )
    )

    rays = vertical_thickness(vertices_mm, faces)
    if len(rays.thickness_mm):
        i = int(np.argmin(rays.thickness_mm))
        min_t = float(rays.thickness_mm[i])
        at = f" at x {rays.xy_mm[i, 0]:.0f}, y {rays.xy_mm[i, 1]:.0f} mm"
    else:
        min_t, at = 0.0, " (no ray crossed the part)"
    figures["min_thickness_mm"] = min_t
    checks.append(
        _check(
            "min_thickness",
            min_t >= min_thickness_mm - THICKNESS_SLACK_MM,
            min_t,
            min_thickness_mm,
            f"thinnest {min_t:.2f} mm{at}, minimum {min_thickness_mm:.2f} mm",
        )
    )

    tri = vertices_mm[faces]
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    area = 0.5 * np.linalg.norm(normals, axis=1)
    unit_z = normals[:, 2] / np.maximum(2.0 * area, 1e-300)
    zmin = vertices_mm[:, 2].min()
    on_bed = (unit_z < -BED_CONTACT_COS) & (tri[:, :, 2].max(axis=1) <= zmin + BED_CONTACT_TOL_MM)
    down = unit_z < 0
    footprint = float(np.abs(area[down] * unit_z[down]).sum())
    contact = float(area[on_bed].sum())
    frac = contact / footprint if footprint > 0 else 0.0
    figures["bed_contact_mm2"] = contact
    checks.append(
        _check(
            "flat_bottom",
            frac >= MIN_BED_CONTACT_FRAC,
            frac,
            MIN_BED_CONTACT_FRAC,
            f"{100 * frac:.0f} % of the underside rests on the bed ({contact:.0f} mm²), "
            f"minimum {100 * MIN_BED_CONTACT_FRAC:.0f} %",
        )
    )
    return VerifyReport(checks=tuple(checks), figures=figures)
