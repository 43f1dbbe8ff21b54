"""Issue 4 on real scans: sides, lengths, the non-weight-bearing FIND template, MakeHuman."""

from __future__ import annotations

import numpy as np
import pytest

from scan2insole.analyse import analyse_foot
from scan2insole.clean import clean_scan
from scan2insole.frame import frame_foot
from scan2insole.load import load_scan
from tests.conftest import real_scan

# Issue 4: both dupontgu feet (one subject, one session) within 3 mm of each other in length.
LEFT_RIGHT_TOL_MM = 3.0


def _framed(rel: str):
    return frame_foot(clean_scan(load_scan(real_scan(rel))))


def test_dupontgu_feet_are_left_and_right_and_alike() -> None:
    left = analyse_foot(_framed("dupontgu_my-feet/left_foot.obj"))
    right = analyse_foot(_framed("dupontgu_my-feet/right_foot.stl"))
    assert left.foot.frame.side == "left"
    assert right.foot.frame.side == "right"
    assert left.foot.units.unit == right.foot.units.unit == "m"
    dl = left.measurements.foot_length_mm - right.measurements.foot_length_mm
    assert abs(dl) <= LEFT_RIGHT_TOL_MM


def test_obj_and_stl_of_one_foot_give_the_same_frame() -> None:
    a = _framed("dupontgu_my-feet/left_foot.obj").frame.foot_from_scanner
    b = _framed("dupontgu_my-feet/left_foot.stl").frame.foot_from_scanner
    # the STL holds float32 coordinates (1.5e-8 m apart from the OBJ), which moves a few samples
    # across 2 mm cells of the support-height search: agreement to 0.05 mm
    np.testing.assert_allclose(a, b, atol=0.05)


def test_find_template_rests_on_heel_and_ball() -> None:
    """The FIND template is non-weight-bearing and plantar-flexed: the support plane must still
    pass under the heel and the ball, not under the heel alone or tilted onto the toes."""
    foot = _framed("ollieboyne_focus_find-template/template.obj")
    assert foot.frame.side == "left"
    p = foot.points_mm
    length = np.ptp(p[:, 0])
    low = p[p[:, 2] < 2.0]
    heel = low[low[:, 0] < 0.25 * length]
    ball = low[(low[:, 0] > 0.55 * length) & (low[:, 0] < 0.9 * length)]
    assert len(heel) > 20 and len(ball) > 20
    assert p[:, 2].min() > -1.0
    # nothing of the midfoot touches
    assert not ((low[:, 0] > 0.35 * length) & (low[:, 0] < 0.5 * length)).any()


def test_makehuman_body_is_a_clear_error(run_cli, tmp_path) -> None:
    """A whole artist-made body (decimetres, both legs, helper meshes) is not a foot scan: we
    reject it with one line rather than guess a foot out of it."""
    scan = real_scan("makehuman_base-mesh_NOT-A-SCAN/base.obj")
    res = run_cli("make", scan, "-o", tmp_path / "out")
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "not a foot" in lines[0] or "expected one foot" in lines[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("rel", ["ollieboyne_find_demo-template-lowres/template.obj"])
def test_coarse_template_is_framed_like_the_fine_one(rel: str) -> None:
    coarse = analyse_foot(_framed(rel))
    fine = analyse_foot(_framed("ollieboyne_focus_find-template/template.obj"))
    assert coarse.foot.frame.side == fine.foot.frame.side == "left"
    # different meshes of the same template: a loose bound, the lowres one is decimated
    assert abs(coarse.measurements.foot_length_mm - fine.measurements.foot_length_mm) < 15.0
