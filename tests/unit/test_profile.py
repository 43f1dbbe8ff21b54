from pathlib import Path

import pytest

from scan2insole.errors import ProfileError
from scan2insole.profile import describe, list_profiles, load_profile


def test_neutral_is_shipped_and_loads() -> None:
    assert "neutral" in list_profiles()
    p = load_profile("neutral")
    assert p.name == "neutral"
    assert p.shell.base_thickness_mm == 3.0
    assert any(row[0] == "shell.base_thickness_mm" and row[2] == "mm" for row in describe(p))


def test_set_overrides_a_value() -> None:
    p = load_profile("neutral", overrides={"shell.base_thickness_mm": "4.5"})
    assert p.shell.base_thickness_mm == 4.5


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "custom.toml"
    path.write_text(text)
    return str(path)


def test_extends_takes_the_parents_values(tmp_path: Path) -> None:
    p = load_profile(_write(tmp_path, 'extends = "neutral"\n[outline]\nmargin_mm = 3.0\n'))
    assert p.outline.margin_mm == 3.0
    assert p.shell.base_thickness_mm == 3.0
    assert p.name == "custom"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[shell]\nthickness = 3\n", r"custom.toml \[shell\]: unknown key 'thickness'"),
        ("[shell]\nbase_thickness_mm = 'thick'\n", "must be a number"),
        ("[shell]\nbase_thickness_mm = nan\n", "finite"),
        ("[shell]\nbase_thickness_mm = 1e9\n", r"outside the allowed range 1.0-15.0 mm"),
        ("[shell\n", "not valid TOML"),
        ("colour = 'red'\n", "unknown key 'colour'"),
    ],
)
def test_bad_profiles_name_file_key_and_range(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(ProfileError, match=match):
        load_profile(_write(tmp_path, text))


def test_unknown_profile_name_lists_the_known_ones() -> None:
    with pytest.raises(ProfileError, match=r"known: .*neutral"):
        load_profile("no_such_profile")


def test_extends_loop_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "loop.toml"
    path.write_text(f'extends = "{path}"\n')
    with pytest.raises(ProfileError, match="loops back"):
        load_profile(str(path))
