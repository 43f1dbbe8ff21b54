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
    """The insole's outline over the ground: its length and how far it stands off the foot."""

    length: Literal["full", "sulcus", "three_quarter"] = param(
        "full",
        unit="",
        doc="full (to the toes), sulcus (ends behind the toes) or three_quarter (ends proximal "
        "to the metatarsal heads) (V, CLINICAL 3.6)",
    )
    margin_mm: float = param(
        1.5, unit="mm", lo=-5.0, hi=10.0, doc="outline = foot footprint offset outward by this (E)"
    )
    shoe_size_system: Literal["none", "eu", "uk", "us_men", "us_women", "mondopoint"] = param(
        "none",
        unit="",
        doc="none (outline from the foot) or the size system of shoe_size: eu, uk, us_men, "
        "us_women, mondopoint (CLINICAL 5)",
    )
    shoe_size: float = param(
        0.0,
        unit="",
        lo=0.0,
        hi=400.0,
        doc="shoe size; a full-length outline is stretched ahead of the ball to the last length "
        "it implies (EU x 2/3 cm; UK (n + 25)/3 in; US men (n + 24)/3 in; US women "
        "(n + 23)/3 in; Mondopoint foot length + 15 mm)",
    )
    sulcus_offset_mm: float = param(
        20.0,
        unit="mm",
        lo=5.0,
        hi=40.0,
        doc="sulcus length: the distal edge lies this far distal of the metatarsal-head line (E)",
    )
    frame_margin_mm: float = param(
        5.0,
        unit="mm",
        lo=0.0,
        hi=15.0,
        doc="three_quarter length: the distal edge lies this far proximal of the "
        "metatarsal-head line (E, CLINICAL 3.6 suggests 3-8 mm)",
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
    top_cover_mm: float = param(
        0.0,
        unit="mm",
        lo=0.0,
        hi=6.0,
        doc="uniform layer over the whole top, e.g. printed softer for cushioning (U: 1.6-3.2 mm)",
    )


@dataclass(**_RECORD)
class RearfootPostParams:
    """Rearfoot post: a frontal-plane tilt of the heel seat (CLINICAL 3.2)."""

    angle_deg: float = param(
        0.0,
        unit="deg",
        lo=-10.0,
        hi=10.0,
        doc="heel seat tilt about +x; varus + (medial side higher), valgus - (V: 4 deg standard)",
    )
    kind: Literal["intrinsic", "extrinsic"] = param(
        "intrinsic",
        unit="",
        doc="intrinsic: the tilt is built into the top; extrinsic: a wedge under the heel, the "
        "shell top left as it is",
    )
    length_mm: float = param(
        70.0,
        unit="mm",
        lo=30.0,
        hi=150.0,
        doc="the post runs from the insole's heel end this far forward (last 15 mm a fall-off)",
    )


@dataclass(**_RECORD)
class ForefootPostParams:
    """Forefoot post: a frontal-plane tilt of the forefoot, built into the top (CLINICAL 3.2)."""

    angle_deg: float = param(
        0.0,
        unit="deg",
        lo=-10.0,
        hi=10.0,
        doc="forefoot tilt about +x from the metatarsal heads forward; varus + (thickest under "
        "the 1st MTH), valgus -",
    )


@dataclass(**_RECORD)
class SkiveParams:
    """Heel skives: varus (medial) or valgus (lateral) wedges inside the heel seat (Kirby)."""

    medial_depth_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=8.0, doc="medial heel skive depth (V: 2, 4, 6 mm; 8 extreme)"
    )
    lateral_depth_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=8.0, doc="lateral heel skive depth, for supinators (V)"
    )


@dataclass(**_RECORD)
class HeelCupParams:
    """The heel cup: how high the rim stands above the heel seat."""

    depth_mm: float = param(
        0.0,
        unit="mm",
        lo=0.0,
        hi=30.0,
        doc="rim height above the heel seat at the heel centre; 0 leaves the rim as the foot "
        "shapes it (V: shallow 6-10, standard 12-14, deep 18-30 mm)",
    )


@dataclass(**_RECORD)
class FlangeParams:
    """Flanges: the shell's medial or lateral wall raised along the midfoot."""

    medial_height_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=20.0, doc="medial rim raised by this along the arch (V)"
    )
    lateral_height_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=20.0, doc="lateral rim raised by this along the midfoot (V)"
    )


@dataclass(**_RECORD)
class ArchParams:
    """Medial longitudinal arch support, relative to total contact."""

    fill_mm: float = param(
        0.0,
        unit="mm",
        lo=0.0,
        hi=6.4,
        doc="cast fill: the arch support lowered by this at its apex, never below the contact "
        "level (V: minimal 1.6, standard 3.2, maximum 6.4 mm)",
    )
    extra_height_mm: float = param(
        0.0,
        unit="mm",
        lo=0.0,
        hi=6.0,
        doc="the arch support raised above the foot by this at its apex (V: +-6 mm in research)",
    )
    apex_frac: float = param(
        0.42,
        unit="frac",
        lo=0.3,
        hi=0.6,
        doc="apex position along the foot, fraction of foot length from the heel (E: navicular)",
    )


@dataclass(**_RECORD)
class MetPadParams:
    """Metatarsal pad: a teardrop dome just proximal to the metatarsal heads."""

    height_mm: float = param(0.0, unit="mm", lo=0.0, hi=8.0, doc="apex height (U: 3-6 mm)")
    apex_offset_mm: float = param(
        8.0,
        unit="mm",
        lo=0.0,
        hi=20.0,
        doc="apex this far proximal of the metatarsal-head line, under the 2nd MTH (V: 6-11 mm)",
    )
    width_mm: float = param(
        18.0,
        unit="mm",
        lo=8.0,
        hi=30.0,
        doc="pad width across its apex at half its height (E; the base is 2.2 x wider)",
    )


@dataclass(**_RECORD)
class MetBarParams:
    """Metatarsal bar: a transverse raise behind the metatarsal heads."""

    height_mm: float = param(0.0, unit="mm", lo=0.0, hi=8.0, doc="bar height (V shape, S57)")
    offset_mm: float = param(
        5.0,
        unit="mm",
        lo=0.0,
        hi=20.0,
        doc="distal edge (where the bar is half its height) this far proximal of the "
        "metatarsal-head line",
    )


@dataclass(**_RECORD)
class CuboidParams:
    """Cuboid pad: a dome under the cuboid (lateral column support)."""

    height_mm: float = param(0.0, unit="mm", lo=0.0, hi=8.0, doc="apex height (V, no values)")
    diameter_mm: float = param(
        15.0, unit="mm", lo=8.0, hi=30.0, doc="pad diameter at half its height (E)"
    )


@dataclass(**_RECORD)
class MortonParams:
    """Morton's extension (under the 1st ray) and reverse Morton's (under the 2nd-5th MTHs)."""

    extension_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=6.0, doc="Morton's extension height (V: 1/8 in = 3.2 mm)"
    )
    reverse_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=6.0, doc="reverse Morton's extension height (V)"
    )


@dataclass(**_RECORD)
class HeelLiftParams:
    """Heel lift: the heel raised, tapering off toward the metatarsal heads."""

    height_mm: float = param(
        0.0, unit="mm", lo=0.0, hi=15.0, doc="raise under the heel (V: in-shoe up to 6.4 mm)"
    )
    full_length: bool = param(
        False,
        unit="",
        doc="taper to half height at the metatarsal heads and keep it to the toes (V, S53)",
    )


@dataclass(**_RECORD)
class HeelSpurParams:
    """Heel spur relief: a smooth recess under the heel centre (E: no standard dimensions)."""

    depth_mm: float = param(0.0, unit="mm", lo=0.0, hi=8.0, doc="recess depth (E)")
    diameter_mm: float = param(
        25.0, unit="mm", lo=12.0, hi=45.0, doc="recess diameter at half its depth (E)"
    )


@dataclass(**_RECORD)
class FirstRayParams:
    """First-ray cut-out: the top lowered under the 1st metatarsal head."""

    depth_mm: float = param(0.0, unit="mm", lo=0.0, hi=6.0, doc="recess depth (E)")


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
    rearfoot_post: RearfootPostParams = field(default_factory=RearfootPostParams)
    forefoot_post: ForefootPostParams = field(default_factory=ForefootPostParams)
    skive: SkiveParams = field(default_factory=SkiveParams)
    heel_cup: HeelCupParams = field(default_factory=HeelCupParams)
    flanges: FlangeParams = field(default_factory=FlangeParams)
    arch: ArchParams = field(default_factory=ArchParams)
    met_pad: MetPadParams = field(default_factory=MetPadParams)
    met_bar: MetBarParams = field(default_factory=MetBarParams)
    cuboid: CuboidParams = field(default_factory=CuboidParams)
    morton: MortonParams = field(default_factory=MortonParams)
    heel_lift: HeelLiftParams = field(default_factory=HeelLiftParams)
    heel_spur: HeelSpurParams = field(default_factory=HeelSpurParams)
    first_ray: FirstRayParams = field(default_factory=FirstRayParams)
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
        try:
            as_float = float(value)
        except OverflowError as err:  # an integer too large for a float (hundreds of digits)
            raise ProfileError(
                f"{where} = {str(value)[:12]}... ({len(str(value))} digits) is outside the "
                "allowed range"
            ) from err
        if not math.isfinite(as_float):
            raise ProfileError(f"{where} must be a finite number, got {value!r}")
        return as_float
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


# Shoe sizes a foot can have in each system (E: children's to the largest adult sizes); a size
# outside its system's range is a typo or the wrong system.
SHOE_SIZE_RANGES = {
    "eu": (15.0, 55.0),
    "uk": (0.0, 16.0),
    "us_men": (1.0, 17.0),
    "us_women": (2.0, 18.0),
    "mondopoint": (100.0, 350.0),
}


def check_consistent(profile: Profile, where: str) -> None:
    """Reject value combinations no foot can meet (each field alone is already in range).

    The recesses (heel spur relief, first-ray cut-out) take material out of the shell; what is
    left under them must still be ``min_thickness_mm``. Nothing else in the design lowers the top
    below the base shell, so these checks are what makes every accepted profile buildable.
    """
    sh = profile.shell
    body = sh.base_thickness_mm + sh.top_cover_mm
    if sh.min_thickness_mm > body:
        raise ProfileError(
            f"{where}: shell.min_thickness_mm = {sh.min_thickness_mm} mm is above the base "
            f"thickness {sh.base_thickness_mm} mm + top cover {sh.top_cover_mm} mm"
        )
    under_heel = body + profile.heel_lift.height_mm - profile.heel_spur.depth_mm
    if under_heel < sh.min_thickness_mm:
        raise ProfileError(
            f"{where}: heel_spur.depth_mm = {profile.heel_spur.depth_mm} mm leaves "
            f"{under_heel:.1f} mm under the heel; the minimum thickness is "
            f"{sh.min_thickness_mm} mm (base + top cover + heel lift - depth)"
        )
    under_mth1 = body - profile.first_ray.depth_mm
    if under_mth1 < sh.min_thickness_mm:
        raise ProfileError(
            f"{where}: first_ray.depth_mm = {profile.first_ray.depth_mm} mm leaves "
            f"{under_mth1:.1f} mm under the 1st metatarsal head; the minimum thickness is "
            f"{sh.min_thickness_mm} mm (base + top cover - depth)"
        )
    system = profile.outline.shoe_size_system
    if system != "none":
        lo, hi = SHOE_SIZE_RANGES[system]
        size = profile.outline.shoe_size
        if not lo <= size <= hi:
            raise ProfileError(
                f"{where}: outline.shoe_size = {size} is outside the {system} sizes {lo}-{hi}"
            )


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
        except (ValueError, RecursionError) as err:
            raise ProfileError(f"--set {key}: not a value ({str(err)[:80] or 'too deep'})") from err
        prof = _build({section: {leaf: value}} if leaf else {section: value}, "--set", prof)
    if not _seen:  # a parent may be incomplete on its own; the profile asked for must not be
        check_consistent(prof, path.name)
    return prof


def describe(profile: Profile) -> list[tuple[str, Any, str, str]]:
    """Rows (key, value, unit, meaning) of every field, for ``profiles show``."""
    return [(key, value, unit, doc) for key, value, unit, _allowed, doc in describe_fields(profile)]


def describe_fields(profile: Profile) -> list[tuple[str, Any, str, str, str]]:
    """Rows (key, value, unit, allowed values, meaning) of every field, sections in order.

    ``allowed`` is ``"lo-hi"`` for numbers, the choices joined by ``|`` for closed choices and
    ``"true|false"`` for switches.
    """
    rows = []
    for name, typ in section_types().items():
        section = getattr(profile, name)
        hints = get_type_hints(typ)
        for f in fields(section):
            hint = hints[f.name]
            if get_origin(hint) is Literal:
                allowed = "|".join(map(str, get_args(hint)))
            elif hint is bool:
                allowed = "true|false"
            else:
                lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
                allowed = "" if lo is None and hi is None else f"{lo}-{hi}"
            rows.append(
                (
                    f"{name}.{f.name}",
                    getattr(section, f.name),
                    f.metadata.get("unit", ""),
                    allowed,
                    f.metadata.get("doc", ""),
                )
            )
    return rows
