"""Print checks: each defect is caught by its own check, with the figure in one line, and a clean
solid passes every check with its analytic figures."""

from __future__ import annotations

import re

import numpy as np
import pytest

from scan2insole.records import Check, VerifyReport
from scan2insole.verify import verify_mesh
from scan2insole.verify.intersections import self_intersections
from scan2insole.verify.thickness import vertical_thickness
from tests.meshes import slab, with_sliver

LIMITS = {"min_thickness_mm": 1.5, "bed_mm": (250.0, 210.0), "max_height_mm": 60.0}


def _verify(v: np.ndarray, f: np.ndarray, **limits: object) -> VerifyReport:
    return verify_mesh(v, f, **{**LIMITS, **limits})  # type: ignore[arg-type]


def _failed(report: VerifyReport) -> dict[str, str]:
    return {c.name: c.message for c in report.checks if not c.passed}


def _check(report: VerifyReport, name: str) -> Check:
    (c,) = [c for c in report.checks if c.name == name]
    return c


def test_a_clean_slab_passes_every_check_with_its_analytic_figures() -> None:
    v, f = slab(200.0, 80.0, 3.0)
    report = _verify(v, f)
    assert _failed(report) == {}
    assert [c.name for c in report.checks] == [
        "watertight",
        "winding",
        "degenerate",
        "self_intersection",
        "single_shell",
        "volume",
        "max_height",
        "bed_fit",
        "min_thickness",
        "flat_bottom",
    ]
    fig = report.figures
    assert fig["volume_mm3"] == pytest.approx(200 * 80 * 3)
    assert (fig["length_mm"], fig["width_mm"], fig["height_mm"]) == (200.0, 80.0, 3.0)
    assert fig["min_thickness_mm"] == pytest.approx(3.0, abs=1e-12)
    assert fig["bed_contact_mm2"] == pytest.approx(200 * 80)
    assert fig["bed_angle_deg"] == 0.0
    assert fig["self_intersecting_faces"] == 0.0


def test_a_hole_fails_watertight() -> None:
    v, f = slab(200.0, 80.0, 3.0)
    n_cells = 100 * 40
    report = _verify(v, np.delete(f, [0, n_cells], axis=0))  # one cell's two top faces: 4 edges
    assert _failed(report)["watertight"] == (
        "4 open edges (holes) and 0 edges shared by more than two faces"
    )
    assert _check(report, "winding").passed


def test_flipped_faces_fail_winding() -> None:
    v, f = slab(200.0, 80.0, 3.0)
    f = f.copy()
    f[[0, 500, 1000]] = f[[0, 500, 1000], ::-1]  # three faces far apart, three edges each
    report = _verify(v, f)
    assert _failed(report)["winding"] == (
        "9 edges run the same way in both their faces (flipped faces)"
    )
    assert _check(report, "watertight").passed


def test_a_vertex_pushed_through_the_bottom_fails_self_intersection_only_there() -> None:
    v, f = slab(200.0, 80.0, 3.0)
    v = v.copy()
    k = int(np.argmin(np.hypot(v[:, 0] - 100, v[:, 1] - 40) + 1000 * (v[:, 2] == 0)))
    v[k, 2] = -2.0  # a top vertex dragged 2 mm below the bottom: its fan crosses the bottom
    report = _verify(v, f)
    c = _check(report, "self_intersection")
    assert not c.passed
    assert c.value >= 7  # the vertex's fan of 6 top faces and the bottom faces they pierce
    assert re.fullmatch(
        r"\d+ triangles cross another triangle of the part, first near "
        r"x (9\d|10\d)\.\d, y (3\d|4\d)\.\d, z -?\d\.\d mm",
        c.message,
    ), c.message
    # the topology is intact: only the geometric test sees it
    assert _check(report, "watertight").passed
    assert _check(report, "winding").passed
    assert _check(report, "single_shell").passed


def test_a_thin_spot_of_0_3_mm_fails_min_thickness_with_where() -> None:
    def top(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        r = np.hypot(x - 120.0, y - 40.0)
        return np.clip(0.3 + (r - 6.0) * 0.9, 0.3, 3.0)  # flat 0.3 mm within 6 mm

    v, f = slab(200.0, 80.0, top)
    report = _verify(v, f)
    assert set(_failed(report)) == {"min_thickness"}
    c = _check(report, "min_thickness")
    assert c.value == pytest.approx(0.3, abs=1e-9)
    assert c.message.startswith("thinnest 0.30 mm at x 1")
    assert c.message.endswith("minimum 1.50 mm")


def test_a_400_mm_part_fails_bed_fit_on_a_250_mm_bed_but_280_mm_fits_turned() -> None:
    v, f = slab(400.0, 100.0, 3.0)
    assert _failed(_verify(v, f))["bed_fit"] == (
        "part 400 x 100 mm does not fit at any turn on a 250 x 210 mm bed"
    )
    v, f = slab(270.0, 40.0, 3.0)
    report = _verify(v, f)
    turn = report.figures["bed_angle_deg"]

    def fits(deg: float) -> bool:
        a = np.radians(deg)
        return bool(
            270 * np.cos(a) + 40 * np.sin(a) <= 250.0 and 270 * np.sin(a) + 40 * np.cos(a) <= 210.0
        )

    assert fits(abs(turn))
    assert not fits(abs(turn) - 1)  # the smallest turn that fits
    assert _check(report, "bed_fit").message == (
        f"part 270 x 40 mm fits turned {turn:.0f}° on a 250 x 210 mm bed"
    )


def test_a_zero_area_sliver_fails_degenerate() -> None:
    v, f = with_sliver(*slab(200.0, 80.0, 3.0))
    report = _verify(v, f)
    assert _failed(report) == {"degenerate": "1 zero-area triangles (under 1e-06 mm²)"}


def test_two_parts_fail_single_shell_and_inside_out_fails_volume() -> None:
    v, f = slab(100.0, 50.0, 3.0)
    two_v = np.vstack([v, v + np.array([0.0, 80.0, 0.0])])
    two_f = np.vstack([f, f + len(v)])
    assert _failed(_verify(two_v, two_f)) == {
        "single_shell": "2 separate shells (parts), expected 1"
    }
    failed = _failed(_verify(v, f[:, ::-1]))
    assert failed["volume"] == "signed volume -15000 mm³, expected positive (negative: inside out)"
    assert "winding" not in failed


def test_too_tall_fails_max_height_and_a_tilted_part_fails_flat_bottom() -> None:
    v, f = slab(100.0, 50.0, 70.0, cell_mm=5.0)
    assert _failed(_verify(v, f))["max_height"] == "height 70.0 mm, limit 60.0 mm"
    v, f = slab(100.0, 50.0, 3.0)
    a = np.radians(10.0)
    tilted = v @ np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]]).T
    c = _check(_verify(tilted, f), "flat_bottom")
    assert not c.passed
    assert c.message.startswith("0 % of the underside rests on the bed")


def test_checks_do_not_depend_on_face_order_or_placement() -> None:
    v, f = slab(150.0, 60.0, lambda x, y: 3.0 + 0.02 * x)
    base = _verify(v, f)
    rng = np.random.default_rng(1)
    moved = _verify(v + np.array([31.0, -12.0, 0.0]), f[rng.permutation(len(f))])
    for key in ("volume_mm3", "length_mm", "height_mm", "bed_contact_mm2"):
        assert moved.figures[key] == pytest.approx(base.figures[key], rel=1e-12)
    assert moved.figures["min_thickness_mm"] == pytest.approx(3.0, abs=0.03)
    assert _failed(moved) == {}


# ------------------------------------------------------------------------- self-intersections


def _tris(*triangles: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
    v = np.array([p for t in triangles for p in t], dtype=np.float64)
    return v, np.arange(len(v)).reshape(-1, 3)


def test_crossing_triangles_are_found_and_touching_ones_are_not() -> None:
    crossing = _tris([[0, 0, 0], [10, 0, 0], [0, 10, 0]], [[2, 2, -5], [2, 2, 5], [8, -3, 0.5]])
    assert self_intersections(*crossing).tolist() == [[0, 1]]
    touching = _tris([[0, 0, 0], [10, 0, 0], [0, 10, 0]], [[2, 2, 0], [2, 2, 5], [3, 3, 5]])
    assert self_intersections(*touching).tolist() == []
    apart = _tris([[0, 0, 0], [10, 0, 0], [0, 10, 0]], [[2, 2, 0.01], [2, 2, 5], [3, 3, 5]])
    assert self_intersections(*apart).tolist() == []
    coplanar = _tris([[0, 0, 0], [10, 0, 0], [0, 10, 0]], [[1, 1, 0], [12, 1, 0], [1, 12, 0]])
    assert self_intersections(*coplanar).tolist() == [[0, 1]]


def test_pairs_sharing_a_vertex_or_an_edge_cross_only_when_they_really_do() -> None:
    v = np.array(
        [[0, 0, 0], [10, 0, 0], [0, 10, 0], [2, 2, -5], [2, 2, 5], [-5, -5, 3], [10, 10, 0.0]]
    )
    # share vertex 0; the second pierces the first's inside
    assert self_intersections(v, np.array([[0, 1, 2], [0, 3, 4]])).tolist() == [[0, 1]]
    # share vertex 0; the second points away
    assert self_intersections(v, np.array([[0, 1, 2], [0, 5, 3]])).tolist() == []
    # share edge 1-2, proper neighbours (a flat square) and folded flat back onto each other
    assert self_intersections(v, np.array([[0, 1, 2], [1, 6, 2]])).tolist() == []
    folded = np.vstack([v, [[3.0, 3.0, 0.0]]])
    assert self_intersections(folded, np.array([[0, 1, 2], [2, 1, 7]])).tolist() == [[0, 1]]


def test_a_huge_triangle_crossing_tiny_ones_is_found() -> None:
    v, f = slab(20.0, 20.0, 3.0, cell_mm=0.5)  # 3,200 small faces
    big = np.array([[-100.0, -100.0, 1.5], [300.0, -100.0, 1.5], [-100.0, 300.0, 1.5]])
    vv = np.vstack([v, big])
    ff = np.vstack([f, [[len(v), len(v) + 1, len(v) + 2]]])
    pairs = self_intersections(vv, ff)
    assert len(pairs) > 0
    assert set(pairs[:, 1]) == {len(f)}  # only the big one crosses, through the walls
    assert self_intersections(v, f).tolist() == []


# ---------------------------------------------------------------------------------- thickness


def test_rays_measure_every_crossing_of_a_hollow_box() -> None:
    outer_v, outer_f = slab(40.0, 40.0, 20.0, cell_mm=4.0)
    inner_v, inner_f = slab(20.0, 20.0, 10.0, cell_mm=4.0)
    inner_v = inner_v + np.array([10.0, 10.0, 4.0])  # a cavity: 4 mm floor, 6 mm roof
    v = np.vstack([outer_v, inner_v])
    f = np.vstack([outer_f, inner_f[:, ::-1] + len(outer_v)])
    rays = vertical_thickness(v, f)
    assert rays.n_dropped == 0
    over_cavity = (np.abs(rays.xy_mm - 20.0) < 10.0).all(axis=1)
    np.testing.assert_allclose(rays.thickness_mm[over_cavity], 4.0, atol=1e-9)
    np.testing.assert_allclose(rays.thickness_mm[~over_cavity], 20.0, atol=1e-9)
    assert len(rays.thickness_mm) == 40 * 40  # one ray a square millimetre
