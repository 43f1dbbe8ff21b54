"""scan2insole.synthetic: feet whose measurements are known by construction, and artefacts.

Truth values are checked against the parameters and re-measured here from the public surface
functions (never from the pipeline), so a wrong truth fails even when it is self-consistent.
"""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from scan2insole.synthetic import (
    ARCH_SHAPES,
    Artefacts,
    FootParams,
    foot_mesh,
    foot_truth,
    outline_mm,
    plantar_height_mm,
    synthetic_scan,
)

ARCH_TYPES = ("flat", "normal", "high")
SIDES = ("right", "left")
# Cavanagh & Rodgers classes (CLINICAL.md §2.2), and the margin a default must keep from them.
AI_CLASS = {"flat": (0.26, 1.0), "normal": (0.21, 0.26), "high": (0.0, 0.21)}
AI_MARGIN = 0.015
MEDIAL_ARCH_CLASS_MM = {"flat": (3.0, 7.0), "normal": (10.0, 15.0), "high": (18.0, 28.0)}
EXACT_MM = 1e-6  # truth is analytic: only float rounding and the 1e-9 maximum search remain
LENGTH_TOL_MM = 0.05  # mesh extremes are outline vertices, so the brief's tolerances are loose
WIDTH_TOL_MM = 0.1
MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4}


def _mesh(params: FootParams) -> trimesh.Trimesh:
    vertices, faces = foot_mesh(params)
    return trimesh.Trimesh(vertices, faces, process=False)


@pytest.fixture(scope="module")
def meshes() -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]:
    return {(a, s): foot_mesh(FootParams(arch_type=a, side=s)) for a in ARCH_TYPES for s in SIDES}


# --- the closed mesh --------------------------------------------------------------------------


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("arch_type", ARCH_TYPES)
def test_mesh_is_a_closed_outward_2_manifold(meshes, arch_type, side):
    vertices, faces = meshes[(arch_type, side)]
    mesh = trimesh.Trimesh(vertices, faces, process=False)
    assert vertices.dtype == np.float64 and faces.dtype == np.int64
    assert mesh.is_watertight
    assert mesh.is_winding_consistent
    assert mesh.volume > 5e5  # mm3; an adult foot cut at the ankle is about a litre
    assert len(mesh.split(only_watertight=False)) == 1
    # Outward: faces lying on the ground look down, faces on the ankle cut look up.
    on_ground = (vertices[faces][:, :, 2] == 0.0).all(axis=1)
    on_cut = (vertices[faces][:, :, 2] > vertices[:, 2].max() - 1e-9).all(axis=1)
    assert on_ground.sum() > 100 and on_cut.sum() > 100
    assert (mesh.face_normals[on_ground, 2] < -0.999).all()
    assert (mesh.face_normals[on_cut, 2] > 0.999).all()


@pytest.mark.parametrize("arch_type", ARCH_TYPES)
def test_mesh_extents_equal_the_truth(meshes, arch_type):
    vertices, _ = meshes[(arch_type, "right")]
    truth = foot_truth(FootParams(arch_type=arch_type))
    x, y, z = vertices.T
    assert x.min() == 0.0
    assert abs(x.max() - truth.foot_length_mm) <= LENGTH_TOL_MM
    assert abs(np.ptp(y) - truth.ball_width_mm) <= WIDTH_TOL_MM
    assert z.min() == 0.0
    rear = (x <= 0.2 * truth.foot_length_mm) & (z <= 40.0)
    assert abs(np.ptp(y[rear]) - truth.heel_width_mm) <= WIDTH_TOL_MM
    # The extremes are where the landmarks say.
    assert np.isclose(y[np.argmax(x)], truth.landmarks["hallux_tip"][1])
    assert np.isclose(x[np.argmax(y)], truth.landmarks["mth1"][0])
    assert np.isclose(x[np.argmin(y)], truth.landmarks["mth5"][0])


def test_mesh_resolution_sets_the_edge_length_but_not_the_extremes():
    params = FootParams()
    assert np.median(_mesh(params).edges_unique_length) < 2.5
    v4, f4 = foot_mesh(params, resolution_mm=4.0)
    fine = trimesh.Trimesh(*foot_mesh(params, resolution_mm=1.5), process=False)
    assert len(f4) < len(fine.faces) / 2
    assert v4[:, 0].max() == fine.vertices[:, 0].max() == 265.0
    assert np.ptp(v4[:, 1]) == np.ptp(fine.vertices[:, 1]) == 100.0
    with pytest.raises(ValueError, match="resolution_mm"):
        foot_mesh(params, resolution_mm=0.1)


def test_mesh_vertices_lie_on_the_plantar_surface(meshes):
    vertices, _ = meshes[("normal", "right")]
    below = plantar_height_mm(FootParams(), vertices[:, 0], vertices[:, 1])
    assert not np.isnan(below).any()  # every vertex projects inside the outline
    assert (vertices[:, 2] >= below - 1e-9).all()  # nothing below the plantar surface
    on_bottom = np.abs(vertices[:, 2] - below) < 1e-9
    assert 0.3 < on_bottom.mean() < 0.7  # the bottom half of the vertices, exactly on it


def test_left_foot_is_the_mirror_of_the_right(meshes):
    vr, fr = meshes[("normal", "right")]
    vl, fl = meshes[("normal", "left")]
    np.testing.assert_array_equal(vl, vr * [1.0, -1.0, 1.0])
    np.testing.assert_array_equal(fl, fr[:, ::-1])
    right, left = FootParams(), FootParams(side="left")
    o_right, o_left = outline_mm(right), outline_mm(left)
    assert _signed_area(o_left) > 0.0 and np.isclose(_signed_area(o_left), _signed_area(o_right))
    np.testing.assert_array_equal(np.sort(o_left[:, 1]), np.sort(-o_right[:, 1]))
    xs, ys = np.meshgrid(np.linspace(0, 265, 60), np.linspace(-49, 49, 30))
    np.testing.assert_array_equal(
        plantar_height_mm(left, xs, -ys), plantar_height_mm(right, xs, ys)
    )
    t_right, t_left = foot_truth(right), foot_truth(left)
    for name, point in t_right.landmarks.items():
        np.testing.assert_array_equal(t_left.landmarks[name], point * [1.0, -1.0, 1.0])
    assert t_left.side == "left" and t_left.arch_index == t_right.arch_index
    np.testing.assert_array_equal(t_left.design_from_scanner, np.diag([1.0, -1.0, 1.0, 1.0]))


# --- the outline ------------------------------------------------------------------------------


def _signed_area(poly: np.ndarray) -> float:
    x, y = poly.T
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _breadth_at(poly: np.ndarray, x: float) -> tuple[float, float]:
    """(max y, min y) where the vertical line at x crosses the closed polygon."""
    a, b = poly, np.roll(poly, -1, axis=0)
    crosses = (a[:, 0] - x) * (b[:, 0] - x) <= 0.0
    a, b = a[crosses], b[crosses]
    t = (x - a[:, 0]) / np.where(b[:, 0] == a[:, 0], 1.0, b[:, 0] - a[:, 0])
    y = a[:, 1] + t * (b[:, 1] - a[:, 1])
    return float(y.max()), float(y.min())


def test_outline_is_the_ccw_footprint_with_exact_landmarks():
    params = FootParams()
    truth = foot_truth(params)
    poly = outline_mm(params)
    assert poly.shape[1] == 2 and len(poly) > 400
    assert _signed_area(poly) > 0.0
    np.testing.assert_array_equal(poly[0], [0.0, 0.0])
    assert poly[:, 0].min() == 0.0 and poly[:, 0].max() == 265.0
    assert np.ptp(poly[:, 1]) == 100.0
    np.testing.assert_array_equal(poly[np.argmax(poly[:, 0])], truth.landmarks["hallux_tip"][:2])
    np.testing.assert_array_equal(poly[np.argmax(poly[:, 1])], truth.landmarks["mth1"][:2])
    np.testing.assert_array_equal(poly[np.argmin(poly[:, 1])], truth.landmarks["mth5"][:2])
    # The second toe's tip is on the axis and is the most distal point near it.
    near_axis = np.abs(poly[:, 1]) < 5.0
    np.testing.assert_array_equal(poly[near_axis][np.argmax(poly[near_axis, 0])][1], 0.0)
    # Heel and ball breadth are centred on the axis, as the frame stage estimates it.
    for x in np.linspace(0.1, 0.2, 11) * 265.0:
        assert abs(sum(_breadth_at(poly, x))) < 0.5
    assert poly[:, 1].max() + poly[:, 1].min() == 0.0
    # The ball is the widest part: everything proximal of the 5th MTH is narrower.
    for x in np.linspace(1.0, truth.landmarks["mth5"][0] - 1.0, 40):
        hi, lo = _breadth_at(poly, x)
        assert hi - lo < 100.0


def test_plantar_height_is_nan_outside_and_zero_where_the_foot_bears_weight():
    params = FootParams()
    z = plantar_height_mm(params, np.array([-1.0, 266.0, 100.0, 30.0]), np.array([0, 0, 60, 0]))
    assert np.isnan(z[:3]).all() and z[3] == 0.0
    # Heel centre, lateral midfoot, ball and hallux pad touch the ground exactly.
    xs = np.array([30.0, 120.0, 190.0, 250.0])
    ys = np.array([0.0, -25.0, 0.0, 22.0])
    np.testing.assert_array_equal(plantar_height_mm(params, xs, ys), 0.0)
    grid = plantar_height_mm(params, *np.meshgrid(np.arange(0, 265, 1.0), np.arange(-50, 50, 1.0)))
    assert np.nanmin(grid) == 0.0
    assert grid.shape == (100, 265)


# --- the truth --------------------------------------------------------------------------------

CUSTOM_FEET = [
    FootParams(),
    FootParams(
        foot_length_mm=240.0,
        ball_width_mm=92.0,
        heel_width_mm=64.0,
        arch_length_mm=176.0,
        dorsal_height_50_mm=62.0,
        arch_type="high",
        medial_arch_height_mm=20.0,
    ),
    FootParams(foot_length_mm=300.0, ball_width_mm=118.0, heel_width_mm=90.0, arch_type="flat"),
]


@pytest.mark.parametrize("params", CUSTOM_FEET, ids=["default", "female-high", "large-flat"])
def test_truth_equals_the_parameters(params):
    t = foot_truth(params)
    arch_length = params.arch_length_mm or 0.74 * params.foot_length_mm
    arch_height = params.medial_arch_height_mm or ARCH_SHAPES[params.arch_type].typical_height_mm
    assert t.foot_length_mm == pytest.approx(params.foot_length_mm, abs=EXACT_MM)
    assert t.ball_width_mm == pytest.approx(params.ball_width_mm, abs=EXACT_MM)
    assert t.heel_width_mm == pytest.approx(params.heel_width_mm, abs=EXACT_MM)
    assert t.arch_length_mm == pytest.approx(arch_length, abs=EXACT_MM)
    assert t.dorsal_height_50_mm == pytest.approx(params.dorsal_height_50_mm, abs=EXACT_MM)
    assert t.medial_arch_height_mm == pytest.approx(arch_height, abs=EXACT_MM)
    assert t.arch_height_index == pytest.approx(t.dorsal_height_50_mm / t.arch_length_mm)
    assert t.landmarks["hallux_tip"][0] == t.foot_length_mm
    assert t.landmarks["mth1"][0] == t.arch_length_mm
    assert t.landmarks["second_toe_tip"][1] == 0.0
    assert t.unit == "mm" and t.mm_per_unit == 1.0
    np.testing.assert_array_equal(t.scanner_from_foot, np.eye(4))


@pytest.mark.parametrize("arch_type", ARCH_TYPES)
def test_each_default_arch_type_lands_clearly_inside_its_class(arch_type):
    t = foot_truth(FootParams(arch_type=arch_type))
    lo, hi = AI_CLASS[arch_type]
    assert lo + AI_MARGIN <= t.arch_index <= hi - AI_MARGIN
    lo_mm, hi_mm = MEDIAL_ARCH_CLASS_MM[arch_type]
    assert lo_mm < t.medial_arch_height_mm < hi_mm
    assert t.arch_type == arch_type


# The feet of the valid parameter space whose arch index comes closest to a class edge.
EXTREME_FEET = [
    ("flat", 150.0, 0.45, 0.62, 0.78, 3.0),
    ("normal", 330.0, 0.32, 0.85, 0.70, 10.0),
    ("high", 150.0, 0.45, 0.85, 0.70, 18.0),
]


@pytest.mark.parametrize(("arch_type", "length", "wf", "hf", "af", "height"), EXTREME_FEET)
def test_arch_type_stays_in_class_at_the_edges_of_the_parameter_space(
    arch_type, length, wf, hf, af, height
):
    params = FootParams(
        foot_length_mm=length,
        ball_width_mm=wf * length,
        heel_width_mm=hf * wf * length,
        arch_length_mm=af * length,
        dorsal_height_50_mm=0.3 * length,
        arch_type=arch_type,
        medial_arch_height_mm=height,
    )
    t = foot_truth(params)
    lo, hi = AI_CLASS[arch_type]
    assert lo < t.arch_index < hi
    assert t.medial_arch_height_mm == pytest.approx(height, abs=EXACT_MM)
    assert _mesh(params).is_watertight


@pytest.mark.parametrize("arch_type", ARCH_TYPES)
def test_medial_arch_height_measured_back_along_its_line(arch_type):
    params = FootParams(arch_type=arch_type)
    t = foot_truth(params)
    poly = outline_mm(params)
    xs = np.arange(0.30 * 265.0, 0.60 * 265.0, 0.05)
    medial = np.array([_breadth_at(poly, x)[0] for x in xs])
    z = plantar_height_mm(params, xs, medial - 0.25 * 100.0)
    # The 0.5 mm outline polygon's medial border sits within ~1e-3 mm of the analytic one.
    assert z.max() == pytest.approx(t.medial_arch_height_mm, abs=0.01)
    apex = t.landmarks["arch_apex"]
    assert apex[2] == t.medial_arch_height_mm
    assert plantar_height_mm(params, apex[0], apex[1]) == pytest.approx(apex[2], abs=EXACT_MM)


@pytest.mark.parametrize("arch_type", ARCH_TYPES)
def test_arch_index_measured_back_from_the_plantar_surface(arch_type):
    params = FootParams(arch_type=arch_type)
    t = foot_truth(params)
    cell = 0.5
    xs, ys = np.meshgrid(np.arange(cell / 2, 265.0, cell), np.arange(-50 + cell / 2, 50, cell))
    (mx, my), (lx, ly) = t.sulcus_line_mm
    before_toes = xs < lx + (ys - ly) * (mx - lx) / (my - ly)
    contact = (plantar_height_mm(params, xs, ys) <= 2.0) & before_toes
    x = xs[contact]
    start, stop = x.min() - cell / 2, x.max() + cell / 2
    third = (stop - start) / 3.0
    middle = (x >= start + third) & (x < start + 2 * third)
    assert middle.sum() / len(x) == pytest.approx(t.arch_index, abs=0.005)
    # The toes print apart from the ball: no contact on the sulcus line itself.
    on_line = plantar_height_mm(params, np.linspace(lx, mx, 200), np.linspace(ly, my, 200))
    assert np.nanmin(on_line) > 2.0


def test_dorsal_height_at_half_length_is_the_highest_point_of_that_section(meshes):
    assert foot_truth(FootParams()).dorsal_height_50_mm == pytest.approx(68.0, abs=EXACT_MM)
    mesh = trimesh.Trimesh(*meshes[("normal", "right")], process=False)
    section = mesh.section(plane_origin=[0.5 * 265.0, 0.0, 0.0], plane_normal=[1.0, 0.0, 0.0])
    # Mesh chords: below the dome across the foot, slightly above it along the falling instep.
    assert section.vertices[:, 2].max() == pytest.approx(68.0, abs=0.05)


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"foot_length_mm": 100.0}, "foot_length_mm"),
        ({"foot_length_mm": float("nan")}, "foot_length_mm"),
        ({"ball_width_mm": 60.0}, "ball_width_mm"),
        ({"heel_width_mm": 95.0}, "heel_width_mm"),
        ({"arch_length_mm": 230.0}, "arch_length_mm"),
        ({"dorsal_height_50_mm": 100.0}, "dorsal_height_50_mm"),
        ({"arch_type": "cavus"}, "arch_type"),
        ({"medial_arch_height_mm": 25.0}, "medial_arch_height_mm"),
        ({"side": "both"}, "side"),
        (
            {"arch_type": "high", "medial_arch_height_mm": 28.0, "dorsal_height_50_mm": 54.0},
            "needs under the instep",
        ),
    ],
)
def test_foot_params_reject_out_of_range_values(kwargs, match):
    with pytest.raises(ValueError, match=match):
        FootParams(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"unit": "ft"}, "unit"),
        ({"noise_mm": -0.1}, "noise_mm"),
        ({"n_holes": -1}, "n_holes"),
        ({"hole_radius_mm": 0.0}, "hole_radius_mm"),
        ({"n_points": 0}, "n_points"),
        ({"mesh_resolution_mm": 50.0}, "mesh_resolution_mm"),
        ({"scanner_from_foot": np.diag([1.0, -1.0, 1.0, 1.0])}, "rigid"),
        ({"scanner_from_foot": np.diag([2.0, 2.0, 2.0, 1.0])}, "rigid"),
        ({"scanner_from_foot": np.eye(3)}, "shape"),
    ],
)
def test_artefacts_reject_invalid_values(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Artefacts(**kwargs)


# --- artefacts --------------------------------------------------------------------------------


def _scan(artefacts: Artefacts | None = None, seed: int = 7, **params):
    artefacts = Artefacts() if artefacts is None else artefacts
    return synthetic_scan(FootParams(**params), artefacts, rng=np.random.default_rng(seed))


def test_a_clean_scan_is_the_foot_mesh_in_mm():
    scan = _scan()
    vertices, faces = foot_mesh(FootParams())
    np.testing.assert_array_equal(scan.vertices, vertices)
    np.testing.assert_array_equal(scan.faces, faces)
    assert (scan.source == 0).all()
    assert not scan.vertices.flags.writeable


@pytest.mark.parametrize("unit", ["cm", "m", "in"])
def test_unit_scales_the_scan_by_exactly_its_factor(unit):
    in_mm = _scan(Artefacts(rotate=True, translate_mm=300.0))
    scaled = _scan(Artefacts(rotate=True, translate_mm=300.0, unit=unit))
    factor = MM_PER_UNIT[unit]
    assert scaled.truth.unit == unit and scaled.truth.mm_per_unit == factor
    np.testing.assert_allclose(scaled.vertices * factor, in_mm.vertices, rtol=0, atol=1e-9)
    np.testing.assert_allclose(np.ptp(scaled.vertices, axis=0) * factor, np.ptp(in_mm.vertices, 0))


@pytest.mark.parametrize("side", SIDES)
def test_pose_maps_foot_frame_vertices_to_the_scan(side):
    params = FootParams(side=side)
    scan = _scan(Artefacts(rotate=True, translate_mm=500.0, unit="cm"), side=side)
    pose = scan.truth.scanner_from_foot
    rot = pose[:3, :3]
    np.testing.assert_allclose(rot.T @ rot, np.eye(3), atol=1e-12)
    assert np.linalg.det(rot) == pytest.approx(1.0)
    assert np.linalg.norm(pose[:3, 3]) == pytest.approx(500.0)
    vertices, _ = foot_mesh(params)
    expected = (vertices @ rot.T + pose[:3, 3]) / scan.truth.mm_per_unit
    np.testing.assert_allclose(scan.vertices, expected, atol=1e-9)
    # design_from_scanner takes the scan back to the right-foot design frame.
    back = scan.vertices * scan.truth.mm_per_unit @ scan.truth.design_from_scanner[:3, :3].T
    back += scan.truth.design_from_scanner[:3, 3]
    right, _ = foot_mesh(FootParams())
    np.testing.assert_allclose(back, right, atol=1e-8)


def test_explicit_pose_overrides_rotate_and_translate():
    pose = np.eye(4)
    pose[:3, :3] = [[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    pose[:3, 3] = [10.0, 20.0, 30.0]
    scan = _scan(Artefacts(scanner_from_foot=pose, rotate=True, translate_mm=99.0))
    np.testing.assert_array_equal(scan.truth.scanner_from_foot, pose)
    vertices, _ = foot_mesh(FootParams())
    np.testing.assert_allclose(scan.vertices, vertices @ pose[:3, :3].T + pose[:3, 3])


def test_noise_has_the_asked_standard_deviation():
    clean = _scan()
    noisy = _scan(Artefacts(noise_mm=0.5))
    residual = noisy.vertices - clean.vertices
    assert residual.std() == pytest.approx(0.5, rel=0.02)
    assert abs(residual.mean()) < 0.01
    np.testing.assert_allclose(residual.std(axis=0), 0.5, rtol=0.03)  # isotropic


def test_holes_remove_surface_including_a_plantar_patch():
    clean = trimesh.Trimesh(_scan().vertices, _scan().faces, process=False)
    scan = _scan(Artefacts(n_holes=3, hole_radius_mm=15.0))
    holed = trimesh.Trimesh(scan.vertices, scan.faces, process=False)
    assert not holed.is_watertight
    lost = clean.area - holed.area
    assert 3 * np.pi * 10.0**2 < lost < 3 * np.pi * 15.0**2 * 1.5  # ~3 discs of 15 mm
    boundary = holed.edges[trimesh.grouping.group_rows(holed.edges_sorted, require_count=1)]
    assert (holed.vertices[boundary.ravel(), 2] < 5.0).any()  # a hole in the sole
    assert (np.unique(scan.faces) == np.arange(len(scan.vertices))).all()  # no stray vertices
    cloud = _scan(Artefacts(n_holes=2, point_cloud=True, n_points=20_000))
    assert len(cloud.vertices) < 20_000


def test_floor_adds_a_noisy_plane_under_and_around_the_foot():
    scan = _scan(Artefacts(floor=True))
    floor = scan.vertices[scan.source == 1]
    foot = scan.vertices[scan.source == 0]
    assert len(floor) > 1000
    assert floor[:, 2].min() >= -1.0 and floor[:, 2].max() <= 0.0 and floor[:, 2].std() > 0.2
    beyond = np.r_[foot[:, :2].min(0) - floor[:, :2].min(0), floor[:, :2].max(0) - foot.max(0)[:2]]
    assert ((beyond >= 40.0) & (beyond <= 80.0 + 2.0)).all()  # + one grid step
    floor_faces = scan.faces[(scan.source[scan.faces] == 1).all(axis=1)]
    floor_mesh = trimesh.Trimesh(scan.vertices, floor_faces, process=False)
    assert (floor_mesh.face_normals[:, 2] > 0.5).all()  # wound to face up


def test_leg_stump_rises_from_the_ankle_above_200_mm():
    scan = _scan(Artefacts(leg_stump=True))
    leg = scan.vertices[scan.source == 2]
    assert (leg[:, 2] > 200.0).sum() > 100
    assert 250.0 <= leg[:, 2].max() <= 350.0
    assert leg[:, 0].mean() == pytest.approx(0.2 * 265.0, abs=1.0)  # over the ankle
    assert leg[:, 2].min() > 50.0  # it stands on the foot's top, not the ground


def test_point_cloud_has_n_points_spread_by_area_and_no_faces():
    n = 40_000
    scan = _scan(Artefacts(point_cloud=True, n_points=n))
    assert scan.vertices.shape == (n, 3) and scan.faces.shape == (0, 3)
    mesh = trimesh.Trimesh(*foot_mesh(FootParams()), process=False)
    lo, hi = mesh.bounds
    assert (scan.vertices >= lo - 1e-9).all() and (scan.vertices <= hi + 1e-9).all()
    # The flat ankle cut gets its share of the area: binomial count within 5 sigma.
    cut = (mesh.vertices[mesh.faces][:, :, 2] > hi[2] - 1e-9).all(axis=1)
    share = mesh.area_faces[cut].sum() / mesh.area
    on_cut = int((scan.vertices[:, 2] > hi[2] - 1e-9).sum())
    assert abs(on_cut - n * share) < 5.0 * np.sqrt(n * share * (1.0 - share))


def test_permute_changes_the_order_but_not_the_mesh():
    plain = _scan(Artefacts(floor=True, leg_stump=True, mesh_resolution_mm=4.0))
    shuffled = _scan(Artefacts(floor=True, leg_stump=True, permute=True, mesh_resolution_mm=4.0))
    assert not np.array_equal(plain.vertices, shuffled.vertices)
    assert not np.array_equal(plain.faces, shuffled.faces)
    np.testing.assert_array_equal(_rows(plain.vertices), _rows(shuffled.vertices))
    np.testing.assert_array_equal(
        _triangles(plain.vertices, plain.faces), _triangles(shuffled.vertices, shuffled.faces)
    )
    assert trimesh.Trimesh(shuffled.vertices, shuffled.faces, process=False).area == pytest.approx(
        trimesh.Trimesh(plain.vertices, plain.faces, process=False).area
    )


def _rows(a: np.ndarray) -> np.ndarray:
    return a[np.lexsort(a.T[::-1])]


def _triangles(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Faces as corner coordinates, each rolled to start at its smallest corner (winding kept)."""
    tri = vertices[faces]  # (m, 3 corners, 3 coordinates)
    start = np.lexsort(tri.transpose(2, 0, 1)[::-1], axis=-1)[:, 0]
    corners = (start[:, None] + np.arange(3)) % 3
    rolled = np.take_along_axis(tri, corners[:, :, None], axis=1)
    return _rows(rolled.reshape(len(tri), 9))


def test_same_seed_same_scan_and_another_seed_another():
    everything = Artefacts(
        rotate=True,
        translate_mm=200.0,
        noise_mm=0.2,
        n_holes=2,
        floor=True,
        leg_stump=True,
        permute=True,
        unit="m",
        mesh_resolution_mm=4.0,
    )
    a, b, c = _scan(everything, seed=3), _scan(everything, seed=3), _scan(everything, seed=4)
    np.testing.assert_array_equal(a.vertices, b.vertices)
    np.testing.assert_array_equal(a.faces, b.faces)
    np.testing.assert_array_equal(a.truth.scanner_from_foot, b.truth.scanner_from_foot)
    assert a.vertices.shape != c.vertices.shape or not np.array_equal(a.vertices, c.vertices)
