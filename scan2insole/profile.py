"""Correction profiles: TOML files validated into a tree of frozen dataclasses.

A profile file holds tables named after the sections below (``[outline]``, ``[shell]``, ...), each
key a field of that section. Every field declares its unit, allowed range and a one-line meaning
in its metadata; loading rejects unknown keys, wrong types, NaN and out-of-range values with a
``ProfileError`` naming the file, the key and the allowed range. ``extends = "name"`` starts from
another profile; ``overrides`` (the CLI's ``--set section.key=value``) apply last.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from scan2insole.errors import ProfileError

_RECORD = {"frozen": True, "slots": True, "kw_only": True, "eq": False}


def param(
    default: Any, *, unit: str, lo: float | None = None, hi: float | None = None, doc: str
) -> Any:
    """A profile field with its unit, allowed range [lo, hi] and one-line meaning."""
    return field(default=default, metadata={"unit": unit, "lo": lo, "hi": hi, "doc": doc})


@dataclass(**_RECORD)
class OutlineParams:
    """The insole's outline over the ground."""

    margin_mm: float = param(
        1.5, unit="mm", lo=-5.0, hi=10.0, doc="outline = foot footprint offset outward by this (E)"
    )


@dataclass(**_RECORD)
class ShellParams:
    """Thicknesses of the insole body."""

    base_thickness_mm: float = param(
        3.0, unit="mm", lo=1.0, hi=15.0, doc="thickness under the weight-bearing contact areas"
    )
    min_thickness_mm: float = param(
        1.5,
        unit="mm",
        lo=0.8,
        hi=10.0,
        doc="thinnest the printed part may be anywhere (print check)",
    )


@dataclass(**_RECORD)
class PrintParams:
    """The machine the insole is printed on."""

    bed_x_mm: float = param(250.0, unit="mm", lo=50.0, hi=1000.0, doc="build plate length")
    bed_y_mm: float = param(210.0, unit="mm", lo=50.0, hi=1000.0, doc="build plate width")
    max_height_mm: float = param(
        60.0, unit="mm", lo=5.0, hi=500.0, doc="tallest insole the print checks accept"
    )


@dataclass(**_RECORD)
class Profile:
    """A whole correction profile."""

    name: str = "neutral"
    description: str = ""
    seed: int = 0
    outline: OutlineParams = field(default_factory=OutlineParams)
    shell: ShellParams = field(default_factory=ShellParams)
    printing: PrintParams = field(default_factory=PrintParams)

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (for the JSON report), sections in declaration order."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = (
                {g.name: getattr(v, g.name) for g in fields(v)}
                if hasattr(v, "__dataclass_fields__")
                else v
            )
        return out

    def sha256(self) -> str:
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()


_TOP_LEVEL = {"name", "description", "seed", "extends"}


def section_types() -> dict[str, type]:
    hints = get_type_hints(Profile)
    return {f.name: hints[f.name] for f in fields(Profile) if f.name not in _TOP_LEVEL}


def profile_dirs() -> list[Path]:
    """Where named profiles are looked up: the installed package's ``profiles`` folder."""
    return [Path(str(resources.files("scan2insole") / "profiles"))]


def list_profiles() -> list[str]:
    names = set()
    for d in profile_dirs():
        names.update(p.stem for p in d.glob("*.toml"))
    return sorted(names)


def _coerce(value: Any, typ: Any, where: str) -> Any:
    if get_origin(typ) is Literal:
        if value not in get_args(typ):
            raise ProfileError(
                f"{where} is {value!r}; allowed: {', '.join(map(str, get_args(typ)))}"
            )
        return value
    if typ is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ProfileError(f"{where} must be a number, got {type(value).__name__} {value!r}")
        if not math.isfinite(value):
            raise ProfileError(f"{where} must be a finite number, got {value!r}")
        return float(value)
    if typ is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProfileError(f"{where} must be an integer, got {value!r}")
        return value
    if typ is bool:
        if not isinstance(value, bool):
            raise ProfileError(f"{where} must be true or false, got {value!r}")
        return value
    if typ is str:
        if not isinstance(value, str):
            raise ProfileError(f"{where} must be a string, got {value!r}")
        return value
    raise TypeError(f"unsupported profile field type {typ}")  # a bug, not input


def _apply_section(section: Any, values: dict[str, Any], where: str) -> Any:
    if not isinstance(values, dict):
        raise ProfileError(f"{where} must be a table, got {values!r}")
    hints = get_type_hints(type(section))
    known = {f.name: f for f in fields(section)}
    changes = {}
    for key, value in values.items():
        if key not in known:
            raise ProfileError(f"{where}: unknown key '{key}'; known: {', '.join(known)}")
        f = known[key]
        v = _coerce(value, hints[key], f"{where}.{key}")
        lo, hi, unit = f.metadata.get("lo"), f.metadata.get("hi"), f.metadata.get("unit", "")
        if isinstance(v, float | int) and not isinstance(v, bool):
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                raise ProfileError(
                    f"{where}.{key} = {v} {unit} is outside the allowed range {lo}-{hi} {unit}"
                )
        changes[key] = v
    return replace(section, **changes)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise ProfileError(f"{path.name}: not valid TOML ({err})") from err
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
                prof, **{key: _apply_section(getattr(prof, key), value, f"{where} [{key}]")}
            )
        elif key in {"name", "description"}:
            top[key] = _coerce(value, str, f"{where} {key}")
        elif key == "seed":
            top[key] = _coerce(value, int, f"{where} seed")
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
        parent = _coerce(data["extends"], str, f"{path.name} extends")
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
        prof = _build({section: {leaf: value}} if leaf else {section: value}, "--set", prof)
    return prof


def describe(profile: Profile) -> list[tuple[str, Any, str, str]]:
    """Rows (key, value, unit, meaning) of every field, for ``profiles show``."""
    rows = []
    for name, _typ in section_types().items():
        section = getattr(profile, name)
        for f in fields(section):
            rows.append(
                (
                    f"{name}.{f.name}",
                    getattr(section, f.name),
                    f.metadata.get("unit", ""),
                    f.metadata.get("doc", ""),
                )
            )
    return rows
