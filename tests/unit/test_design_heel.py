"""Heel features measured back off the exported STL of a synthetic foot: skives, heel cup, heel
lift and heel-spur relief (issue 6: each within +-0.5 mm of what was asked)."""

from __future__ import annotations

import numpy as np
import pytest

from scan2insole.design.anatomy import foot_anatomy
from scan2insole.design.heel_cup import CUP_FULL_FRAC, SEAT_RADIUS_MM
from scan2insole.formats.stl import read_binary
from scan2insole.mesh_heights import rim_points
from scan2insole.realized import DIAMETER_TOL_MM, HEIGHT_TOL_MM
from tests.design_feet import exported, realized, rise, surface_vertices, synthetic_analysis


@pytest.fixture(scope="module")
def foot():
    return synthetic_analysis()


@pytest.mark.parametrize(("side", "depth"), [("medial", 4.0), ("lateral", 6.0), ("medial", 2.0)])
def test_skive_depth_is_what_was_asked(foot, side: str, depth: float) -> None:
    over = {f"skive.{side}_depth_mm": str(depth)}
    assert realized(foot, over)[f"{side}_skive_mm"].realized == pytest.approx(
        depth, abs=HEIGHT_TOL_MM
    )
    r = rise(exported(foot, over), exported(foot, {}))
    hy = foot_anatomy(foot).heel_centre_mm[1]
    on_side = r[:, 1] > hy if side == "medial" else r[:, 1] < hy
    assert r[on_side, 2].max() == pytest.approx(depth, abs=HEIGHT_TOL_MM)
    assert r[~on_side, 2].max() < 0.05  # the other side of the heel untouched
    assert r[:, 2].min() >= -1e-4  # a skive adds material to the insole


@pytest.mark.parametrize("depth", [22.0, 8.0, 14.0])
def test_heel_cup_depth_is_what_was_asked(foot, depth: float) -> None:
    """Deeper than the foot's own sides raises the rim, shallower trims it."""
    over = {"heel_cup.depth_mm": str(depth)}
    assert realized(foot, over)["heel_cup_depth_mm"].realized == pytest.approx(
        depth, abs=HEIGHT_TOL_MM
    )
    # rim: the wall's top vertices over the rear of the foot; seat: top vertices by the heel centre
    data = exported(foot, over)
    v, f = read_binary(data, name="insole.stl", max_elements=10**7)
    an = foot_anatomy(foot)
    rim = rim_points(v.astype(float), f)
    rim = rim[rim[:, 0] <= an.heel_x_mm + CUP_FULL_FRAC * an.foot_length_mm]
    top = surface_vertices(data)
    seat = top[np.hypot(*(top[:, :2] - an.heel_centre_mm).T) <= SEAT_RADIUS_MM + 1.0]
    assert rim[:, 2].max() - seat[:, 2].mean() == pytest.approx(depth, abs=HEIGHT_TOL_MM)
    assert np.ptp(rim[:, 2]) < 0.05  # one rim height all round the heel


def test_without_a_cup_the_rim_is_the_foots_own(foot) -> None:
    value = realized(foot, {})["heel_cup_depth_mm"]
    assert value.asked is None and value.within is None
    assert 5.0 < value.realized < 25.0  # total contact climbs the heel's sides


@pytest.mark.parametrize(("height", "full"), [(6.0, "false"), (10.0, "true")])
def test_heel_lift_is_what_was_asked(foot, height: float, full: str) -> None:
    over = {"heel_lift.height_mm": str(height), "heel_lift.full_length": full}
    assert realized(foot, over)["heel_lift_mm"].realized == pytest.approx(height, abs=HEIGHT_TOL_MM)
    r = rise(exported(foot, over), exported(foot, {}))
    an = foot_anatomy(foot)
    heel = np.hypot(*(r[:, :2] - an.heel_centre_mm).T) <= 10.0
    toes = r[:, 0] >= an.toe_x_mm - 30.0
    assert np.median(r[heel, 2]) == pytest.approx(height, abs=HEIGHT_TOL_MM)
    # tapered off before the toes, or kept at half height for a full-length lift
    expect_toes = 0.5 * height if full == "true" else 0.0
    assert np.median(r[toes, 2]) == pytest.approx(expect_toes, abs=HEIGHT_TOL_MM)


def test_heel_spur_relief_depth_and_diameter(foot) -> None:
    over = {"heel_spur.depth_mm": "1.5", "heel_spur.diameter_mm": "25"}
    values = realized(foot, over)
    assert values["heel_spur_depth_mm"].realized == pytest.approx(1.5, abs=HEIGHT_TOL_MM)
    assert values["heel_spur_diameter_mm"].realized == pytest.approx(25.0, abs=DIAMETER_TOL_MM)
    r = rise(exported(foot, over), exported(foot, {}))
    deepest = r[np.argmin(r[:, 2])]
    assert -deepest[2] == pytest.approx(1.5, abs=HEIGHT_TOL_MM)
    # centred on the heel: the deepest vertex lies within the flat bottom (radius 12.5 - 3 mm)
    assert np.hypot(*(deepest[:2] - foot_anatomy(foot).heel_centre_mm)) <= 9.5
    assert r[:, 2].max() < 1e-4  # a recess only removes
