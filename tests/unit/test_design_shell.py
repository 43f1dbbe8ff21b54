"""The shell and the outline: thicknesses, top cover, length (full, sulcus, ¾, shoe sizes), and
the errors a profile or a foot can raise."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from scan2insole.design import design_insole
from scan2insole.design.anatomy import foot_anatomy
from scan2insole.design.outline import shoe_last_length_mm
from scan2insole.errors import DesignError, ProfileError
from scan2insole.formats.stl import read_binary
from scan2insole.profile import HeelSpurParams, Profile, ShellParams, load_profile
from scan2insole.realized import HEIGHT_TOL_MM, LENGTH_TOL_MM
from tests.design_feet import exported, realized, rise, synthetic_analysis


@pytest.fixture(scope="module")
def foot():
    return synthetic_analysis()


def test_base_thickness_and_top_cover(foot) -> None:
    over = {"shell.base_thickness_mm": "4.5", "shell.top_cover_mm": "2"}
    values = realized(foot, over)
    assert values["base_thickness_mm"].realized == pytest.approx(4.5, abs=HEIGHT_TOL_MM)
    assert values["top_cover_mm"].realized == pytest.approx(2.0, abs=HEIGHT_TOL_MM)
    assert values["min_thickness_mm"].realized == pytest.approx(6.5, abs=HEIGHT_TOL_MM)
    r = rise(exported(foot, over), exported(foot, {}))
    np.testing.assert_allclose(r[:, 2], 3.5, atol=1e-3)  # 1.5 more base and 2 of cover


def test_full_length_is_the_footprint_plus_two_margins(foot) -> None:
    for margin in (1.5, 4.0):
        value = realized(foot, {"outline.margin_mm": str(margin)})["length_mm"]
        assert value.asked == pytest.approx(foot.measurements.foot_length_mm + 2 * margin, abs=1.0)
        assert value.realized == pytest.approx(value.asked, abs=LENGTH_TOL_MM)


@pytest.mark.parametrize(
    ("system", "size", "last_mm"),
    [
        ("eu", 42.0, 280.0),
        ("uk", 8.0, 279.4),
        ("us_men", 9.0, 279.4),
        ("us_women", 10.5, 283.63),
        ("mondopoint", 265.0, 280.0),
    ],
)
def test_shoe_size_sets_the_outline_length(foot, system: str, size: float, last_mm: float) -> None:
    assert shoe_last_length_mm(system, size) == pytest.approx(last_mm, abs=0.01)
    over = {"outline.shoe_size_system": f'"{system}"', "outline.shoe_size": str(size)}
    value = realized(foot, over)["length_mm"]
    assert value.asked == pytest.approx(last_mm, abs=0.01)
    assert value.realized == pytest.approx(last_mm, abs=LENGTH_TOL_MM)


def test_shoe_size_formulas_match_the_clinical_worked_example() -> None:
    """CLINICAL.md §5: FL 270 mm -> EU 42.8, UK 8.9; last = FL + 1.5 cm (EU), FL + 2/3 in (UK)."""
    assert shoe_last_length_mm("eu", 42.75) == pytest.approx(270.0 + 15.0, abs=0.1)
    assert shoe_last_length_mm("uk", 3 * 270.0 / 25.4 - 23) == pytest.approx(270 + 25.4 * 2 / 3)
    assert shoe_last_length_mm("us_men", 9.9) - shoe_last_length_mm("uk", 8.9) == pytest.approx(0)


@pytest.mark.parametrize(
    ("length", "shift_mm"),
    [("three_quarter", -5.0), ("sulcus", 20.0), ("three_quarter", -8.0), ("sulcus", 30.0)],
)
def test_cut_lengths_end_at_the_metatarsal_head_line(foot, length: str, shift_mm: float) -> None:
    key = "sulcus_offset_mm" if length == "sulcus" else "frame_margin_mm"
    over = {"outline.length": f'"{length}"', f"outline.{key}": str(abs(shift_mm))}
    value = realized(foot, over)["length_mm"]
    assert value.realized == pytest.approx(value.asked, abs=LENGTH_TOL_MM)
    v = read_binary(exported(foot, over), name="insole.stl", max_elements=10**7)[0]
    an = foot_anatomy(foot)
    for head in (an.mth1_mm, an.mth5_mm):
        near = np.abs(v[:, 1] - head[1]) <= 3.0
        # the distal edge passes the head shifted by the profile's margin (rounded corners)
        assert v[near, 0].max() == pytest.approx(head[0] + shift_mm, abs=LENGTH_TOL_MM)
    if length == "three_quarter":  # CLINICAL §3.6: the frame ends proximal to every head
        assert all(
            v[np.abs(v[:, 1] - h[1]) <= 3.0, 0].max() < h[0] for h in (an.mth1_mm, an.mth5_mm)
        )


def test_a_shoe_size_that_cannot_hold_the_foot_is_a_design_error(foot) -> None:
    profile = load_profile(
        "neutral", overrides={"outline.shoe_size_system": '"eu"', "outline.shoe_size": "36"}
    )
    with pytest.raises(DesignError, match=r"shoe size eu 36 is 240 mm long; .* needs 26\d-31\d mm"):
        design_insole(foot, profile)


@pytest.mark.parametrize(
    ("over", "match"),
    [
        ({"shell.min_thickness_mm": "4"}, r"min_thickness_mm = 4.0 mm is above the base"),
        ({"heel_spur.depth_mm": "2"}, r"heel_spur.depth_mm = 2.0 mm leaves 1.0 mm under the heel"),
        ({"first_ray.depth_mm": "2.5"}, r"first_ray.depth_mm = 2.5 mm leaves 0.5 mm"),
        ({"outline.shoe_size_system": '"uk"', "outline.shoe_size": "40"}, r"outside the uk sizes"),
    ],
)
def test_profiles_no_foot_can_meet_are_rejected_on_load(over: dict, match: str) -> None:
    with pytest.raises(ProfileError, match=match):
        load_profile("neutral", overrides=over)


def test_a_recess_deeper_than_the_shell_is_a_design_error(foot) -> None:
    """A profile built in code skips the loader's check; the design still refuses it."""
    profile = replace(Profile(), heel_spur=HeelSpurParams(depth_mm=2.5, diameter_mm=25.0))
    with pytest.raises(
        DesignError,
        match=r"0.50 mm thick at .* \(thinned by heel_spur\); the minimum thickness is 1.5 mm",
    ):
        design_insole(foot, profile)
    thicker = replace(profile, shell=ShellParams(base_thickness_mm=4.0))
    design = design_insole(foot, thicker)
    assert (design.top.z_mm - design.bottom.z_mm).min() >= 1.5 - 1e-9
