"""Rearfoot and forefoot posts, measured back off the exported STL of a synthetic foot.

Definition (issue 6): the frontal-plane angle of the heel seat / forefoot relative to the same
design with zero post; an intrinsic post tilts the top, an extrinsic one the bottom (the wedge's
ground face). Varus + raises the medial side (+y of a right insole).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from scan2insole.design import design_insole
from scan2insole.design.anatomy import foot_anatomy
from scan2insole.design.heel_cup import CUP_FALLOFF_MM
from scan2insole.design.posting import POST_FALL_MM, forefoot_start_x
from scan2insole.errors import DesignError
from scan2insole.formats.stl import read_binary
from scan2insole.profile import load_profile
from scan2insole.realized import ANGLE_TOL_DEG
from scan2insole.verify import verify_mesh
from tests.design_feet import exported, realized, rise, synthetic_analysis


@pytest.fixture(scope="module")
def foot():
    return synthetic_analysis()


def _slope_deg(r: np.ndarray) -> float:
    """Frontal-plane angle of the least-squares plane through (x, y, rise)."""
    a = np.column_stack([np.ones(len(r)), r[:, 0], r[:, 1]])
    coef, *_ = np.linalg.lstsq(a, r[:, 2], rcond=None)
    return float(np.degrees(np.arctan(coef[2])))


def _heel_seat(r: np.ndarray, foot) -> np.ndarray:
    """Vertices over the heel seat, clear of the heel cup's wall (independent of realized/)."""
    an = foot_anatomy(foot)
    hx, hy = an.heel_centre_mm
    half = 0.5 * foot.measurements.heel_width_mm - CUP_FALLOFF_MM
    sel = (np.abs(r[:, 0] - hx) <= 15.0) & (np.abs(r[:, 1] - hy) <= half)
    return r[sel]


@pytest.mark.parametrize(
    ("angle", "kind"),
    [(4.0, "intrinsic"), (-6.0, "intrinsic"), (8.0, "extrinsic"), (-4.0, "extrinsic")],
)
def test_rearfoot_post_angle_is_what_was_asked(foot, angle: float, kind: str) -> None:
    over = {"rearfoot_post.angle_deg": str(angle), "rearfoot_post.kind": f'"{kind}"'}
    value = realized(foot, over)["rearfoot_post_deg"]
    assert value.realized == pytest.approx(angle, abs=ANGLE_TOL_DEG)
    # the same figure from the raw vertices, read with trimesh: the top tilts for an intrinsic
    # post, the bottom (the wedge's ground face) the other way for an extrinsic one
    data, ref = exported(foot, over), exported(foot, {})
    top = _slope_deg(_heel_seat(rise(data, ref, "top"), foot))
    bottom = _slope_deg(_heel_seat(rise(data, ref, "bottom"), foot))
    if kind == "intrinsic":
        assert top == pytest.approx(angle, abs=ANGLE_TOL_DEG)
        assert bottom == pytest.approx(0.0, abs=1e-3)
    else:
        assert top == pytest.approx(0.0, abs=1e-3)
        assert bottom == pytest.approx(-angle, abs=ANGLE_TOL_DEG)


def test_varus_raises_the_medial_heel_and_never_thins_the_insole(foot) -> None:
    data = exported(foot, {"rearfoot_post.angle_deg": "4"})
    ref = exported(foot, {})
    r = _heel_seat(rise(data, ref), foot)
    medial, lateral = r[r[:, 1] > np.median(r[:, 1])], r[r[:, 1] < np.median(r[:, 1])]
    assert medial[:, 2].mean() > lateral[:, 2].mean() + 1.0  # +y is medial on a right insole
    assert rise(data, ref)[:, 2].min() >= -1e-4  # material only added


def test_extrinsic_post_prints_on_its_flat_forefoot(foot) -> None:
    """The wedge lifts the heel's underside off the bed; the rest of the underside stays on it."""
    data = exported(foot, {"rearfoot_post.angle_deg": "8", "rearfoot_post.kind": '"extrinsic"'})
    v, f = read_binary(data, name="insole.stl", max_elements=10**7)
    report = verify_mesh(v, f, min_thickness_mm=1.5, bed_mm=(250, 210), max_height_mm=60)
    checks = {c.name: c for c in report.checks}
    assert report.printable, [c.message for c in report.checks if not c.passed]
    assert v[:, 2].min() == pytest.approx(0.0, abs=1e-5)
    assert checks["flat_bottom"].value >= 0.5
    # the ground face under the heel is lifted up to tan(8 deg) x heel width off the bed
    bottom = rise(data, exported(foot, {}), "bottom")
    expect = np.tan(np.radians(8.0)) * foot.measurements.heel_width_mm
    assert bottom[:, 2].max() == pytest.approx(expect, rel=0.1)


@pytest.mark.parametrize("angle", [4.0, -3.0])
def test_forefoot_post_angle_is_what_was_asked(foot, angle: float) -> None:
    over = {"forefoot_post.angle_deg": str(angle)}
    assert realized(foot, over)["forefoot_post_deg"].realized == pytest.approx(
        angle, abs=ANGLE_TOL_DEG
    )
    r = rise(exported(foot, over), exported(foot, {}))
    x0 = forefoot_start_x(foot_anatomy(foot))
    assert _slope_deg(r[r[:, 0] >= x0 + 5.0]) == pytest.approx(angle, abs=ANGLE_TOL_DEG)
    assert np.abs(r[r[:, 0] < x0 - 20.0, 2]).max() < 1e-4  # nothing behind the post


def test_a_left_insole_is_measured_in_its_own_frame(foot) -> None:
    """The same foot, side left: the insole is mirrored on export and mirrored back to measure."""
    over = {"rearfoot_post.angle_deg": "5"}
    left = realized(foot, over, side="left")
    assert left["rearfoot_post_deg"].realized == pytest.approx(5.0, abs=ANGLE_TOL_DEG)
    right_data, left_data = exported(foot, over), exported(foot, over, side="left")
    rv, lv = (
        read_binary(right_data, name="r", max_elements=10**7)[0],
        read_binary(left_data, name="l", max_elements=10**7)[0],
    )
    np.testing.assert_allclose(
        np.sort(lv[:, 1]), np.sort(-rv[:, 1]), atol=1e-4
    )  # the left insole is the right one mirrored: its medial side is at -y


def test_an_extrinsic_post_too_long_to_print_flat_is_refused(foot) -> None:
    """A wedge under most of a ¾ insole would leave too little of it on the bed."""
    profile = load_profile(
        "neutral",
        overrides={
            "outline.length": '"three_quarter"',
            "rearfoot_post.angle_deg": "6",
            "rearfoot_post.kind": '"extrinsic"',
            "rearfoot_post.length_mm": "150",
        },
    )
    with pytest.raises(DesignError, match=r"extrinsic rearfoot post 150 mm long lifts \d+ % of"):
        design_insole(foot, profile)
    # the same post built into the top prints flat
    intrinsic = replace(profile, rearfoot_post=replace(profile.rearfoot_post, kind="intrinsic"))
    design = design_insole(foot, intrinsic)
    assert design.bottom.z_mm.max() == 0.0


@pytest.mark.parametrize("length", [50.0, 100.0])
def test_rearfoot_post_length(foot, length: float) -> None:
    """Full tilt up to the last 15 mm, nothing past the post's end (from the insole's heel)."""
    over = {"rearfoot_post.angle_deg": "5", "rearfoot_post.length_mm": str(length)}
    r = rise(exported(foot, over), exported(foot, {}))
    heel = r[:, 0].min()
    medial = r[:, 1] > foot_anatomy(foot).heel_centre_mm[1] + 10.0
    inside = medial & (r[:, 0] <= heel + length - POST_FALL_MM - 1.0) & (r[:, 0] >= heel + 5.0)
    past = r[:, 0] >= heel + length + 0.5
    assert r[inside, 2].min() > 0.5
    assert np.abs(r[past, 2]).max() < 1e-3
