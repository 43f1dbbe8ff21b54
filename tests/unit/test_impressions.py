"""scan2insole.synthetic.impressions: foam-box impressions and plantar-only sheets with truth.

Each check maps the scan back to the foot frame with the truth's own transform and compares the
geometry with the analytic surface functions of ``synthetic`` (never with the pipeline).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from matplotlib.path import Path
from scipy.spatial import cKDTree

from scan2insole.synthetic import Artefacts, FootParams, outline_mm, plantar_height_mm
from scan2insole.synthetic.artefacts import SOURCE_FOOT
from scan2insole.synthetic.footprint import surface_model
from scan2insole.synthetic.impressions import (
    FOAM_BELOW_RANGE_MM,
    RIM_RANGE_MM,
    SIDE_MAX_NORMAL_Z,
    SOURCE_BOX,
    SOURCE_FOAM,
    SOURCE_TABLE,
    TABLE_MARGIN_RANGE_MM,
    WALL_RISE_RANGE_MM,
    FoamBox,
    PlantarSheet,
    foam_impression,
    plantar_scan,
)
from scan2insole.synthetic.surface import heights

EXACT_MM = 1e-6  # vertices are evaluated on the analytic surface: float rounding only
POSE_MM = 1e-6  # after a pose and a unit scale and back


def _foot_frame(scan) -> np.ndarray:
    """The scan's vertices in the right-foot frame (mm), through the truth's transform."""
    t = scan.truth
    m = t.design_from_scanner
    return scan.vertices * t.mm_per_unit @ m[:3, :3].T + m[:3, 3]


def _right(params: FootParams) -> FootParams:
    return replace(params, side="right")


def _normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    tri = vertices[faces]
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    return n / np.linalg.norm(n, axis=1, keepdims=True)


def _distance_to_outline(points: np.ndarray, params: FootParams) -> np.ndarray:
    """Distance to the nearest vertex of the 0.5 mm truth outline: within 0.25 mm of the
    distance to the polygon, and 0 on its vertices."""
    return cKDTree(outline_mm(params)).query(points)[0]


@pytest.mark.parametrize("arch_type", ["flat", "normal", "high"])
def test_imprint_floor_is_the_sole_clipped_where_the_foam_was_not_reached(arch_type):
    params = FootParams(arch_type=arch_type)
    depth = 25.0
    scan = foam_impression(params, FoamBox(depth_mm=depth), rng=np.random.default_rng(0))
    p = _foot_frame(scan)
    floor = p[scan.source == SOURCE_FOOT]
    inside = Path(outline_mm(params)).contains_points(floor[:, :2], radius=1e-6)
    truth = plantar_height_mm(params, floor[inside, 0], floor[inside, 1])
    np.testing.assert_allclose(floor[inside, 2], np.minimum(truth, depth), atol=EXACT_MM)
    # the deepest imprint point is the sole's lowest point, z = 0
    assert floor[:, 2].min() == pytest.approx(0.0, abs=EXACT_MM)
    assert (floor[:, 2] <= depth + EXACT_MM).all()
    clipped = np.isclose(floor[:, 2], depth)
    # only the high medial border of the arch stands above a 25 mm imprint (and not a flat one's
    # whole sole): the clipped part is small and medial
    assert clipped.mean() < 0.1
    if clipped.any():
        assert np.median(floor[clipped, 1]) > 0.0


def test_foam_top_is_a_plane_at_the_depth_reaching_the_asked_rim():
    params = FootParams()
    outline = outline_mm(params)
    for rim in (20.0, 40.0):
        scan = foam_impression(
            params, FoamBox(depth_mm=30.0, rim_mm=rim), rng=np.random.default_rng(1)
        )
        foam = _foot_frame(scan)[scan.source == SOURCE_FOAM]
        top = foam[np.isclose(foam[:, 2], 30.0, atol=EXACT_MM)]
        assert len(top) > 5000
        np.testing.assert_allclose(top[:, :2].min(axis=0), outline.min(axis=0) - rim, atol=1e-6)
        np.testing.assert_allclose(top[:, :2].max(axis=0), outline.max(axis=0) + rim, atol=1e-6)
        # no foam inside the foot's outline at the top: the foot crushed it
        assert not Path(outline).contains_points(top[:, :2], radius=-0.01).any()


def test_drawn_rims_lie_in_their_range_on_each_side():
    params = FootParams(foot_length_mm=240.0, ball_width_mm=90.0, heel_width_mm=62.0)
    outline = outline_mm(params)
    for seed in range(4):
        scan = foam_impression(params, FoamBox(), rng=np.random.default_rng(seed))
        top = _foot_frame(scan)[scan.source == SOURCE_FOAM]
        margins = np.r_[outline.min(axis=0) - top[:, :2].min(axis=0)]
        margins = np.r_[margins, top[:, :2].max(axis=0) - outline.max(axis=0)]
        assert (margins >= RIM_RANGE_MM[0] - 1e-6).all() and (margins <= RIM_RANGE_MM[1]).all()


def test_cavity_walls_stand_vertically_on_the_outline_from_its_edge():
    params = FootParams(arch_type="normal")
    depth = 40.0
    scan = foam_impression(params, FoamBox(depth_mm=depth), rng=np.random.default_rng(0))
    foam = _foot_frame(scan)[scan.source == SOURCE_FOAM]
    wall = foam[foam[:, 2] < depth - 1e-6]
    assert len(wall) > 500
    # every wall vertex lies on the outline (its rim vertices, a subset of the truth polygon)
    assert _distance_to_outline(wall[:, :2], params).max() < 1e-6
    # ... at or above the edge height there (the foot's widest section)
    s = surface_model(params)
    edge = heights(s, wall[:, 0], wall[:, 1], np.zeros(len(wall)))[2]
    assert (wall[:, 2] >= np.minimum(edge, depth) - 1e-6).all()


def test_box_walls_rise_above_the_foam_and_the_table_lies_around_the_box():
    params = FootParams()
    depth = 30.0
    scan = foam_impression(
        params, FoamBox(depth_mm=depth, box_walls=True, table=True), rng=np.random.default_rng(2)
    )
    p = _foot_frame(scan)
    top = p[scan.source == SOURCE_FOAM]
    lo, hi = top[:, :2].min(axis=0), top[:, :2].max(axis=0)
    box = p[scan.source == SOURCE_BOX]
    table = p[scan.source == SOURCE_TABLE]
    on_side = np.minimum(np.abs(box[:, :2] - lo).min(axis=1), np.abs(box[:, :2] - hi).min(axis=1))
    assert on_side.max() < 1e-6  # the walls stand on the box's rectangle
    rise = box[:, 2].max() - depth
    assert WALL_RISE_RANGE_MM[0] <= rise <= WALL_RISE_RANGE_MM[1]
    below = -table[:, 2]
    assert np.ptp(below) < 1e-9 and FOAM_BELOW_RANGE_MM[0] <= below[0] <= FOAM_BELOW_RANGE_MM[1]
    assert box[:, 2].min() == pytest.approx(table[0, 2])  # the walls reach down to the table
    inside_box = ((table[:, :2] > lo + 1e-6) & (table[:, :2] < hi - 1e-6)).all(axis=1)
    assert not inside_box.any()
    reach = np.r_[lo - table[:, :2].min(axis=0), table[:, :2].max(axis=0) - hi]
    assert (reach >= TABLE_MARGIN_RANGE_MM[0] - 2.0).all()  # grid cells of <= 2 mm
    assert (reach <= TABLE_MARGIN_RANGE_MM[1]).all()


def test_foam_faces_look_out_of_the_foam():
    scan = foam_impression(FootParams(), FoamBox(depth_mm=30.0), rng=np.random.default_rng(0))
    p = _foot_frame(scan)
    n = _normals(p, scan.faces)
    src = scan.source[scan.faces[:, 0]]
    top = (src == SOURCE_FOAM) & np.isclose(p[scan.faces][:, :, 2], 30.0).all(axis=1)
    assert (n[top, 2] > 0.999).all()
    floor_flat = (src == SOURCE_FOOT) & (p[scan.faces][:, :, 2] < 1e-9).all(axis=1)
    assert floor_flat.sum() > 100 and (n[floor_flat, 2] > 0.999).all()
    walls = (src == SOURCE_FOAM) & ~top
    # the cavity's walls look into the cavity: toward the outline's inside
    centre = p[scan.faces[walls]].mean(axis=1)
    inward = Path(outline_mm(FootParams())).contains_points(
        centre[:, :2] + 0.5 * n[walls, :2], radius=1e-6
    )
    assert inward.mean() > 0.98


@pytest.mark.parametrize("sides", [0.0, 10.0])
def test_plantar_sheet_is_the_open_sole_facing_down(sides):
    params = FootParams(arch_type="high")
    scan = plantar_scan(params, PlantarSheet(sides_mm=sides), rng=np.random.default_rng(0))
    p = _foot_frame(scan)
    s = surface_model(params)
    edge = heights(s, p[:, 0], p[:, 1], np.zeros(len(p)))[2]
    inside = Path(outline_mm(params)).contains_points(p[:, :2], radius=-1e-6)
    truth = plantar_height_mm(params, p[inside, 0], p[inside, 1])
    sole = np.abs(p[inside, 2] - truth) < EXACT_MM
    assert p[:, 2].min() == pytest.approx(0.0, abs=EXACT_MM)
    n = _normals(p, scan.faces)
    tri_z = p[scan.faces][:, :, 2]
    if sides == 0.0:
        assert sole.all()  # every inner vertex on the plantar surface
        contact = tri_z.max(axis=1) < 1e-9
        assert contact.sum() > 1000 and (n[contact, 2] < -0.999).all()  # it looks down
    else:
        # the extra vertices climb the side walls, no higher than `sides` above the edge,
        # and only steep faces a scanner below can see
        side = ~sole
        assert side.sum() > 100
        assert (p[inside][side, 2] <= edge[inside][side] + sides + 1.0).all()
        high = (
            tri_z.min(axis=1)
            > heights(s, *p[scan.faces].mean(axis=1)[:, :2].T, np.zeros(len(scan.faces)))[2] + 1e-6
        )
        assert (n[high, 2] <= SIDE_MAX_NORMAL_Z + 1e-9).all()
    # open: the sheet has a boundary (edges used once) and no dorsum above it
    f = scan.faces
    edges = np.sort(np.vstack([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]]), axis=1)
    _, counts = np.unique(edges, axis=0, return_counts=True)
    assert (counts == 1).sum() > 100 and counts.max() == 2
    assert p[:, 2].max() < edge.max() + sides + 1.0


@pytest.mark.parametrize("side", ["right", "left"])
def test_pose_and_unit_map_back_to_the_foot_frame(side):
    params = FootParams(side=side)
    plain = plantar_scan(_right(params), rng=np.random.default_rng(3))
    pose = Artefacts(rotate=True, translate_mm=500.0, unit="in")
    posed = plantar_scan(params, artefacts=pose, rng=np.random.default_rng(3))
    back = _foot_frame(posed)
    np.testing.assert_allclose(back, plain.vertices, atol=POSE_MM)
    if side == "left":  # scanner frame: the mirror image of the right foot
        m = posed.truth.scanner_from_foot
        raw_mm = posed.vertices * 25.4
        foot = (raw_mm - m[:3, 3]) @ m[:3, :3]
        np.testing.assert_allclose(foot * [1, -1, 1], plain.vertices, atol=POSE_MM)
    assert posed.truth.unit == "in" and posed.truth.side == side
    assert np.linalg.det(posed.truth.design_from_scanner[:3, :3]) == pytest.approx(
        -1.0 if side == "left" else 1.0
    )


def test_point_clouds_sample_the_surfaces_with_noise():
    params = FootParams()
    art = Artefacts(point_cloud=True, n_points=50_000, noise_mm=0.4)
    scan = foam_impression(params, FoamBox(depth_mm=30.0), art, rng=np.random.default_rng(4))
    assert scan.vertices.shape == (50_000, 3) and scan.faces.shape == (0, 3)
    p = _foot_frame(scan)
    away = _distance_to_outline(p[:, :2], params) > 3.0  # off the cavity's walls
    top = p[(scan.source == SOURCE_FOAM) & away]
    assert np.std(top[:, 2] - 30.0) == pytest.approx(0.4, rel=0.1)
    floor = p[scan.source == SOURCE_FOOT]
    far = _distance_to_outline(floor[:, :2], params) > 15.0  # off the rounded border
    truth = plantar_height_mm(params, floor[far, 0], floor[far, 1])
    contact = truth == 0.0  # level ground: horizontal noise does not move the height
    assert contact.sum() > 3000
    assert np.std(floor[far][contact, 2]) == pytest.approx(0.4, rel=0.1)


def test_same_seed_same_scan_and_another_seed_another():
    art = Artefacts(rotate=True, noise_mm=0.2, permute=True)
    a, b, c = (
        foam_impression(FootParams(), FoamBox(box_walls=True), art, rng=np.random.default_rng(s))
        for s in (5, 5, 6)
    )
    np.testing.assert_array_equal(a.vertices, b.vertices)
    np.testing.assert_array_equal(a.faces, b.faces)
    assert a.vertices.shape != c.vertices.shape or not np.array_equal(a.vertices, c.vertices)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: FoamBox(depth_mm=10.0), "depth_mm 10.0 mm is outside 15.0-40.0"),
        (lambda: FoamBox(depth_mm=45.0), "depth_mm 45.0 mm is outside"),
        (lambda: FoamBox(rim_mm=50.0), "rim_mm 50.0 mm is outside 20.0-40.0"),
        (lambda: PlantarSheet(sides_mm=-1.0), "sides_mm -1.0 mm is outside"),
        (
            lambda: foam_impression(
                FootParams(), artefacts=Artefacts(floor=True), rng=np.random.default_rng(0)
            ),
            "floor belongs to foot scans",
        ),
        (
            lambda: plantar_scan(
                FootParams(), artefacts=Artefacts(n_holes=2), rng=np.random.default_rng(0)
            ),
            "n_holes belongs to foot scans",
        ),
    ],
)
def test_out_of_range_and_foot_only_artefacts_are_refused(make, match):
    with pytest.raises(ValueError, match=match):
        make()
