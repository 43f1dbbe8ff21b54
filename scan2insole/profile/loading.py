"""Profiles found by name or path, read from TOML, following ``extends``, with overrides last."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from scan2insole.errors import ProfileError
from scan2insole.profile.consistency import check_consistent
from scan2insole.profile.tree import Profile, section_types
from scan2insole.profile.values import apply_section, coerce


def profile_dirs() -> list[Path]:
    """Where named profiles are looked up: the installed package's ``profiles`` folder."""
    return [Path(str(resources.files("scan2insole") / "profiles"))]


def list_profiles() -> list[str]:
    names = set()
    for d in profile_dirs():
        names.update(p.stem for p in d.glob("*.toml"))
    return sorted(names)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        if not path.is_file():  # a pipe or device would block or never end
            raise ProfileError(f"profile {path}: is not a regular file")
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (ValueError, RecursionError) as err:
        # TOMLDecodeError and UnicodeDecodeError are ValueErrors; tomllib also raises a plain
        # ValueError for an integer of over 4300 digits and RecursionError for deep nesting
        what = "too deeply nested" if isinstance(err, RecursionError) else str(err)[:120]
        raise ProfileError(f"profile {path.name}: not valid TOML ({what})") from err
    except OSError as err:
        raise ProfileError(f"{path}: cannot read profile ({err.strerror})") from err


def _resolve(name_or_path: str, seen: tuple[str, ...]) -> tuple[Path, dict[str, Any]]:
    path = Path(name_or_path)
    if path.suffix != ".toml" or not path.exists():
        for d in profile_dirs():
            if (d / f"{name_or_path}.toml").exists():
                path = d / f"{name_or_path}.toml"
                break
        else:
            raise ProfileError(
                f"profile '{name_or_path}' not found; known: {', '.join(list_profiles())}"
            )
    if str(path) in seen:
        raise ProfileError(f"{path.name}: 'extends' loops back to itself")
    return path, _read_toml(path)


def _build(data: dict[str, Any], where: str, base: Profile) -> Profile:
    sections = section_types()
    prof = base
    top: dict[str, Any] = {}
    for key, value in data.items():
        if key == "extends":
            continue
        if key in sections:
            prof = replace(
                prof, **{key: apply_section(getattr(prof, key), value, f"{where} [{key}]")}
            )
        elif key in {"name", "description"}:
            top[key] = coerce(value, str, f"{where} {key}")
        elif key == "seed":
            top[key] = coerce(value, int, f"{where} seed")
        else:
            raise ProfileError(
                f"{where}: unknown key '{key}'; known sections: {', '.join(sections)}"
            )
    return replace(prof, **top)


def load_profile(
    name_or_path: str = "neutral",
    *,
    overrides: dict[str, str] | None = None,
    _seen: tuple[str, ...] = (),
) -> Profile:
    """Load a profile by name (from ``profiles/``) or path, following ``extends``.

    Parameters
    ----------
    name_or_path : ``"pronation"`` or ``"path/to/file.toml"``.
    overrides : ``{"shell.base_thickness_mm": "4"}``; values are TOML literals.
    """
    path, data = _resolve(name_or_path, _seen)
    base = Profile()
    if "extends" in data:
        parent = coerce(data["extends"], str, f"{path.name} extends")
        base = load_profile(parent, _seen=(*_seen, str(path)))
    prof = _build(data, path.name, base)
    if "name" not in data:
        prof = replace(prof, name=path.stem)
    for key, raw in (overrides or {}).items():
        section, _, leaf = key.partition(".")
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw  # a bare word: a string
        except (ValueError, RecursionError) as err:
            raise ProfileError(f"--set {key}: not a value ({str(err)[:80] or 'too deep'})") from err
        prof = _build({section: {leaf: value}} if leaf else {section: value}, "--set", prof)
    if not _seen:  # a parent may be incomplete on its own; the profile asked for must not be
        check_consistent(prof, path.name)
    return prof
