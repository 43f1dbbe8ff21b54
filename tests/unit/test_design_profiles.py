"""The shipped correction profiles and the ``profiles`` command."""

from __future__ import annotations

import json

import pytest

from scan2insole.profile import describe_fields, list_profiles, load_profile, profile_dirs

SHIPPED = (
    "diabetic",
    "metatarsalgia",
    "neutral",
    "plantar_fasciitis",
    "pronation",
    "sport",
    "supination",
)


def test_every_shipped_profile_loads_and_says_for_whom() -> None:
    assert set(SHIPPED) <= set(list_profiles())
    for name in SHIPPED:
        profile = load_profile(name)
        assert profile.name == name and profile.description
        text = (profile_dirs()[0] / f"{name}.toml").read_text()
        assert text.startswith(f"# {name}:") and "For:" in text


def test_profiles_carry_their_clinical_intent() -> None:
    pro, sup = load_profile("pronation"), load_profile("supination")
    assert pro.rearfoot_post.angle_deg > 0 and pro.skive.medial_depth_mm > 0
    assert pro.heel_cup.depth_mm >= 18 and pro.arch.extra_height_mm > 0
    assert sup.rearfoot_post.angle_deg < 0 and sup.flanges.lateral_height_mm > 0
    assert sup.arch.fill_mm > 0 and sup.shell.top_cover_mm > 0
    assert load_profile("plantar_fasciitis").heel_spur.depth_mm > 0
    assert load_profile("metatarsalgia").met_pad.height_mm > 0
    dia = load_profile("diabetic")
    assert dia.rearfoot_post.angle_deg == 0 and dia.skive.medial_depth_mm == 0
    assert dia.shell.top_cover_mm > 0


def test_every_field_has_a_unit_range_and_meaning() -> None:
    rows = describe_fields(load_profile("neutral"))
    assert len(rows) >= 35
    for key, value, unit, allowed, doc in rows:
        assert doc and allowed, key
        if isinstance(value, float):
            assert unit or key.endswith("shoe_size"), key
            assert key.rsplit("_", 1)[-1] in {"mm", "deg", "frac", "size"}, key


def test_profiles_lists_them(run_cli) -> None:
    res = run_cli("profiles")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert [line.split()[0] for line in lines] == sorted(SHIPPED)
    assert all(len(line.split(maxsplit=1)) == 2 for line in lines)


def test_profiles_show_prints_resolved_values_with_units(run_cli) -> None:
    res = run_cli("profiles", "show", "pronation", "--set", "skive.medial_depth_mm=2")
    assert res.exit_code == 0, res.stderr
    out = res.stdout
    assert "[rearfoot_post]" in out
    assert "angle_deg" in out and "4.0 deg" in out and "varus +" in out
    assert "medial_depth_mm    = 2.0 mm" in out  # --set applied over the profile
    assert "base_thickness_mm  = 3.0 mm" in out  # inherited from neutral
    res = run_cli("profiles", "show", "sport", "--json")
    data = json.loads(res.stdout)
    assert data["values"]["rearfoot_post.angle_deg"] == {
        "value": 2.0,
        "unit": "deg",
        "allowed": "-10.0-10.0",
        "meaning": data["values"]["rearfoot_post.angle_deg"]["meaning"],
    }


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("profiles", "show", "no_such"), "profile 'no_such' not found; known: diabetic"),
        (("profiles", "show", "pronation", "--set", "heel_cup.depth_mm=45"), "0.0-30.0 mm"),
    ],
)
def test_profiles_show_rejects_bad_input_on_one_line(run_cli, args, match: str) -> None:
    res = run_cli(*args)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("scan2insole: error: ")
    assert match in res.stderr
