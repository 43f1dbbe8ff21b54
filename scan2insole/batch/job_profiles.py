"""Per-scan profiles: ``profiles.csv`` in the input folder and sidecar TOML files beside scans.

``IN_DIR/profiles.csv`` has a header row and one row a scan::

    scan,profile,set,side,units
    anna/anna_L.stl,pronation,shell.base_thickness_mm=4;outline.margin_mm=2,,
    bob_R,,,right,mm

``scan`` (required) is the scan's path relative to the input folder, with or without its
extension; the other columns are optional and may be empty: ``profile`` a profile name or a TOML
path relative to the input folder, ``set`` ``section.key=value`` overrides separated by ``;``,
``side`` ``auto``/``left``/``right``, ``units`` ``auto``/``mm``/``cm``/``m``/``in``.

A sidecar beside a scan, ``<scan file>.toml`` (``anna_L.stl.toml``) or ``<stem>.toml``
(``anna_L.toml``), holds the same keys: ``profile = "..."`` (a path relative to the sidecar's
folder), a ``[set]`` table (``shell.base_thickness_mm = 4.0``), ``side`` and ``units``.

Each setting comes from the most specific place that gives it: sidecar, then the CSV row, then
the command line; ``set`` tables merge key by key in the same order. A malformed CSV makes the
batch unusable (it concerns every scan); a malformed sidecar fails its own scan only.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from scan2insole.errors import ProfileError

PROFILES_CSV = "profiles.csv"
CSV_COLUMNS = ("scan", "profile", "set", "side", "units")
SIDECAR_KEYS = ("profile", "set", "side", "units")
SIDES = ("auto", "left", "right")
UNITS = ("auto", "mm", "cm", "m", "in")
MAX_CSV_BYTES = 16 * 1024**2  # a row per scan is ~100 bytes; 16 MiB is far beyond any shop


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class JobSettings:
    """How one scan is to be made: which profile, which overrides, forced side and units."""

    profile: str
    """Profile name, or path of a TOML file."""
    overrides: tuple[tuple[str, str], ...] = ()
    """``("section.key", "TOML literal")`` pairs, applied in order after the profile."""
    side: str = "auto"
    units: str = "auto"
    source: str = "command line"
    """Where the settings came from, for the summary (``profiles.csv row 3``, a sidecar name)."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class _Partial:
    """Settings one place gives; None (or empty) where it says nothing."""

    profile: str | None = None
    overrides: tuple[tuple[str, str], ...] = ()
    side: str | None = None
    units: str | None = None
    source: str = ""


def read_profiles_csv(in_dir: Path) -> dict[str, _Partial]:
    """The rows of ``in_dir/profiles.csv`` keyed by their ``scan`` value; empty if absent.

    Raises
    ------
    ProfileError
        When the file is unreadable, has no ``scan`` column, an unknown column, a repeated scan,
        or a value out of its choices.
    """
    path = in_dir / PROFILES_CSV
    if not path.is_file():
        return {}
    try:
        data = path.read_bytes()[: MAX_CSV_BYTES + 1]
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ProfileError(f"{PROFILES_CSV}: cannot be read as UTF-8 text ({err})") from err
    if len(data) > MAX_CSV_BYTES:
        raise ProfileError(f"{PROFILES_CSV}: larger than {MAX_CSV_BYTES} bytes")
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in reader.fieldnames or []]
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    if "scan" not in columns or unknown:
        raise ProfileError(
            f"{PROFILES_CSV}: expected a header of {', '.join(CSV_COLUMNS)} (scan required), "
            f"found {', '.join(columns) or 'no header'}"
        )
    rows: dict[str, _Partial] = {}
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            raise ProfileError(f"{PROFILES_CSV} row {number}: more values than columns")
        row = {k.strip(): (v or "").strip() for k, v in raw.items()}
        scan = row.get("scan", "").removeprefix("./")
        if not scan:
            if any(row.values()):
                raise ProfileError(f"{PROFILES_CSV} row {number}: the scan column is empty")
            continue
        if scan in rows:
            raise ProfileError(f"{PROFILES_CSV} row {number}: scan {scan!r} is listed twice")
        where = f"{PROFILES_CSV} row {number}"
        profile = row.get("profile") or None
        if profile is not None and profile.endswith(".toml"):
            profile = str(in_dir / profile)
        rows[scan] = _Partial(
            profile=profile,
            overrides=_parse_set(row.get("set", ""), where),
            side=_choice(row.get("side") or None, SIDES, f"{where} side"),
            units=_choice(row.get("units") or None, UNITS, f"{where} units"),
            source=where,
        )
    return rows


def csv_row_for(rows: Mapping[str, _Partial], rel: PurePosixPath) -> _Partial | None:
    """The CSV row naming the scan ``rel``, by relative path with or without extension."""
    return rows.get(rel.as_posix()) or rows.get(rel.with_suffix("").as_posix())


def unmatched_rows(rows: Mapping[str, _Partial], rels: list[PurePosixPath]) -> list[str]:
    """CSV ``scan`` values that name no scan found (most likely a typo)."""
    names = {r.as_posix() for r in rels} | {r.with_suffix("").as_posix() for r in rels}
    return sorted(k for k in rows if k not in names)


def sidecar_path(scan: Path) -> Path | None:
    """The sidecar TOML of ``scan``; ``ProfileError`` when both spellings exist."""
    candidates = [p for p in (Path(f"{scan}.toml"), scan.with_suffix(".toml")) if p.is_file()]
    if len(candidates) == 2 and candidates[0] != candidates[1]:
        raise ProfileError(
            f"{scan.name}: expected one sidecar, found both {candidates[0].name} and "
            f"{candidates[1].name}"
        )
    return candidates[0] if candidates else None


def read_sidecar(path: Path) -> _Partial:
    """The settings a sidecar TOML gives; ``ProfileError`` naming the file when it is bad."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise ProfileError(f"{path.name}: not valid TOML ({err})") from err
    except OSError as err:
        raise ProfileError(f"{path.name}: cannot be read ({err.strerror})") from err
    unknown = sorted(set(data) - set(SIDECAR_KEYS))
    if unknown:
        raise ProfileError(
            f"{path.name}: unknown key {unknown[0]!r}; known: {', '.join(SIDECAR_KEYS)}"
        )
    profile = data.get("profile")
    if profile is not None and not isinstance(profile, str):
        raise ProfileError(f"{path.name}: profile must be a string, got {profile!r}")
    if profile is not None and profile.endswith(".toml"):
        profile = str(path.parent / profile)
    table = data.get("set", {})
    if not isinstance(table, dict):
        raise ProfileError(f"{path.name}: set must be a table of section.key = value")
    overrides = tuple((key, _toml_literal(value)) for key, value in _flatten(table))
    return _Partial(
        profile=profile,
        overrides=overrides,
        side=_choice(_str_or_none(data.get("side"), path.name), SIDES, f"{path.name} side"),
        units=_choice(_str_or_none(data.get("units"), path.name), UNITS, f"{path.name} units"),
        source=path.name,
    )


def settings_for(
    scan: Path,
    rel: PurePosixPath,
    *,
    default_profile: str,
    csv_rows: Mapping[str, _Partial],
) -> JobSettings:
    """The settings of one scan: sidecar over CSV row over the command line.

    Raises
    ------
    ProfileError
        When its sidecar is malformed or ambiguous.
    """
    layers = [_Partial(profile=default_profile, source="command line")]
    row = csv_row_for(csv_rows, rel)
    if row is not None:
        layers.append(row)
    car = sidecar_path(scan)
    if car is not None:
        layers.append(read_sidecar(car))
    profile, side, units = default_profile, "auto", "auto"
    overrides: dict[str, str] = {}
    for layer in layers:
        profile = layer.profile or profile
        side = layer.side or side
        units = layer.units or units
        overrides.update(layer.overrides)
    return JobSettings(
        profile=profile,
        overrides=tuple(overrides.items()),
        side=side,
        units=units,
        source=" + ".join(layer.source for layer in layers[1:]) or "command line",
    )


def _parse_set(text: str, where: str) -> tuple[tuple[str, str], ...]:
    out = []
    for item in (part.strip() for part in text.split(";")):
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ProfileError(f"{where}: set takes section.key=value, got {item!r}")
        out.append((key.strip(), value.strip()))
    return tuple(out)


def _choice(value: str | None, choices: tuple[str, ...], where: str) -> str | None:
    if value is not None and value not in choices:
        raise ProfileError(f"{where} is {value!r}; allowed: {', '.join(choices)}")
    return value


def _str_or_none(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ProfileError(f"{where}: expected a string, got {value!r}")
    return value


def _flatten(table: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``{"shell": {"k": 1}}`` and ``{"shell.k": 1}`` both as ``[("shell.k", 1)]``."""
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.extend(_flatten(value, f"{name}."))
        else:
            out.append((name, value))
    return out


def _toml_literal(value: Any) -> str:
    """A TOML value written back as the literal text ``load_profile`` overrides take."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    raise ProfileError(f"override value {value!r} must be a number, true/false or a string")
