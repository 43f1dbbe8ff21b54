"""Every shipped profile on both dupontgu feet (real scans): a watertight insole that passes the
print checks, and every parameter measured back off the exported STL within its tolerance.

The default run covers every profile on the right foot and the two that differ most (pronation,
supination) on the left; the rest of the left foot is marked slow (``pytest -m slow``).
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from scan2insole.analyse import analyse_foot
from scan2insole.clean import clean_scan
from scan2insole.formats.stl import read_binary
from scan2insole.frame import frame_foot
from scan2insole.load import load_scan
from scan2insole.profile import list_profiles, load_profile
from scan2insole.realized import exported_stl, measure_realized
from scan2insole.records import FootAnalysis
from scan2insole.verify import verify_mesh
from tests.conftest import real_scan

PROFILES = (
    "diabetic",
    "metatarsalgia",
    "neutral",
    "plantar_fasciitis",
    "pronation",
    "sport",
    "supination",
)
LEFT_FAST = ("pronation", "supination")


@lru_cache(maxsize=2)
def _analysis(name: str) -> FootAnalysis:
    return analyse_foot(frame_foot(clean_scan(load_scan(real_scan(f"dupontgu_my-feet/{name}")))))


def _cases():
    for profile in PROFILES:
        yield pytest.param("right_foot.stl", profile, id=f"right-{profile}")
        marks = () if profile in LEFT_FAST else (pytest.mark.slow,)
        yield pytest.param("left_foot.stl", profile, marks=marks, id=f"left-{profile}")


def test_every_shipped_profile_is_tested() -> None:
    assert set(PROFILES) == set(list_profiles())


@pytest.mark.parametrize(("scan", "name"), list(_cases()))
def test_shipped_profile_on_a_real_foot(scan: str, name: str) -> None:
    foot = _analysis(scan)
    side = foot.foot.frame.side
    assert side == scan.split("_")[0]
    profile = load_profile(name)
    data = exported_stl(foot, profile, side=side)
    vertices, faces = read_binary(data, name="insole.stl", max_elements=10**7)
    report = verify_mesh(
        vertices,
        faces,
        min_thickness_mm=profile.shell.min_thickness_mm,
        bed_mm=(profile.printing.bed_x_mm, profile.printing.bed_y_mm),
        max_height_mm=profile.printing.max_height_mm,
    )
    assert report.printable, [c.message for c in report.checks if not c.passed]
    values = measure_realized(foot, profile, data, side=side).values
    off = [f"{v.name}: asked {v.asked}, realized {v.realized}" for v in values if v.within is False]
    assert not off, off
    measured = {v.name for v in values if v.asked is not None}
    assert {"length_mm", "min_thickness_mm", "base_thickness_mm"} <= measured
    # every feature the profile switches on is measured
    expect = {
        "rearfoot_post_deg": profile.rearfoot_post.angle_deg != 0,
        "medial_skive_mm": profile.skive.medial_depth_mm > 0,
        "lateral_skive_mm": profile.skive.lateral_depth_mm > 0,
        "heel_cup_depth_mm": profile.heel_cup.depth_mm > 0,
        "lateral_flange_mm": profile.flanges.lateral_height_mm > 0,
        "arch_extra_height_mm": profile.arch.extra_height_mm > 0,
        "arch_fill_mm": profile.arch.fill_mm > 0,
        "met_pad_height_mm": profile.met_pad.height_mm > 0,
        "heel_lift_mm": profile.heel_lift.height_mm > 0,
        "heel_spur_depth_mm": profile.heel_spur.depth_mm > 0,
        "top_cover_mm": profile.shell.top_cover_mm > 0,
    }
    assert {k for k, on in expect.items() if on} <= measured
