"""Midfoot features measured back off the exported STL of a synthetic foot: flanges, arch
support (extra height, cast fill, apex) and the cuboid pad."""

from __future__ import annotations

import numpy as np
import pytest

from scan2insole.design.anatomy import foot_anatomy, lateral_y, medial_y
from scan2insole.design.arch import arch_apex
from scan2insole.design.cuboid import cuboid_centre
from scan2insole.design.falloff import DOME_HALF_R
from scan2insole.design.flanges import flange_core_x
from scan2insole.formats.stl import read_binary
from scan2insole.mesh_heights import rim_points
from scan2insole.profile import ArchParams
from scan2insole.realized import (
    ARCH_APEX_TOL_MM,
    DIAMETER_TOL_MM,
    HEIGHT_TOL_MM,
    POSITION_TOL_MM,
)
from tests.design_feet import exported, realized, rise, synthetic_analysis


@pytest.fixture(scope="module")
def foot():
    return synthetic_analysis()


def _rim(data: bytes) -> np.ndarray:
    v, f = read_binary(data, name="insole.stl", max_elements=10**7)
    return rim_points(v.astype(float), f)


def test_flange_heights(foot) -> None:
    over = {"flanges.medial_height_mm": "8", "flanges.lateral_height_mm": "5"}
    values = realized(foot, over)
    assert values["medial_flange_mm"].realized == pytest.approx(8.0, abs=HEIGHT_TOL_MM)
    assert values["lateral_flange_mm"].realized == pytest.approx(5.0, abs=HEIGHT_TOL_MM)
    # the rim's rise, vertex by vertex, over each side's core
    rim, ref = _rim(exported(foot, over)), _rim(exported(foot, {}))
    an = foot_anatomy(foot)
    up = rim[:, 2] - ref[:, 2]
    mid = 0.5 * (medial_y(an, rim[:, 0]) + lateral_y(an, rim[:, 0]))
    for medial, h in ((True, 8.0), (False, 5.0)):
        lo, hi = flange_core_x(an, medial=medial)
        core = (rim[:, 0] >= lo) & (rim[:, 0] <= hi) & ((rim[:, 1] >= mid) == medial)
        assert np.median(up[core]) == pytest.approx(h, abs=HEIGHT_TOL_MM)
    assert np.abs(up[rim[:, 0] < an.heel_x_mm + 0.15 * an.foot_length_mm]).max() < 1e-3


@pytest.mark.parametrize(("key", "amount"), [("extra_height_mm", 4.0), ("fill_mm", 3.2)])
def test_arch_support_height_and_apex(foot, key: str, amount: float) -> None:
    over = {f"arch.{key}": str(amount), "arch.apex_frac": "0.45"}
    values = realized(foot, over)
    label = "arch_extra_height_mm" if key == "extra_height_mm" else "arch_fill_mm"
    assert values[label].realized == pytest.approx(amount, abs=HEIGHT_TOL_MM)
    apex = values["arch_apex_x_mm"]
    assert apex.realized == pytest.approx(apex.asked, abs=ARCH_APEX_TOL_MM)
    an = foot_anatomy(foot)
    assert apex.asked == pytest.approx(an.heel_x_mm + 0.45 * an.foot_length_mm)
    r = rise(exported(foot, over), exported(foot, {}))
    sign = 1.0 if key == "extra_height_mm" else -1.0
    peak = r[np.argmax(sign * r[:, 2])]
    assert sign * peak[2] == pytest.approx(amount, abs=HEIGHT_TOL_MM)
    planned = arch_apex(an, ArchParams(apex_frac=0.45))
    assert np.hypot(*(peak[:2] - planned)) <= 3.0  # a vertex of the 2.5 mm lattice


@pytest.mark.parametrize("diameter", [15.0, 24.0])
def test_cuboid_pad_height_diameter_and_centre(foot, diameter: float) -> None:
    over = {"cuboid.height_mm": "4", "cuboid.diameter_mm": str(diameter)}
    values = realized(foot, over)
    assert values["cuboid_height_mm"].realized == pytest.approx(4.0, abs=HEIGHT_TOL_MM)
    assert values["cuboid_diameter_mm"].realized == pytest.approx(diameter, abs=DIAMETER_TOL_MM)
    for axis in "xy":
        v = values[f"cuboid_centre_{axis}_mm"]
        assert v.realized == pytest.approx(v.asked, abs=POSITION_TOL_MM)
    r = rise(exported(foot, over), exported(foot, {}))
    pad = r[r[:, 2] > 1e-3]
    centre = cuboid_centre(foot_anatomy(foot))
    base_radius = 0.5 * diameter / DOME_HALF_R
    assert np.hypot(*(pad[:, :2] - centre).T).max() <= base_radius + 1e-6
    assert pad[:, 1].mean() < foot_anatomy(foot).heel_centre_mm[1]  # lateral
