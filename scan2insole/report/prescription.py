"""The prescription table: every profile parameter, what was asked, what the exported insole
really has (the ``realized`` block, measured off the STL), and whether that is within tolerance.

The realized block is read defensively: ``result.realized`` may be absent (older pipelines), a
record with ``values`` (rows with ``name``, ``asked``, ``realized``, ``tolerance``, ``within``;
``scan2insole.realized.Realized``) or the JSON report's mapping ``{name: {"asked": ...,
"realized": ..., "tolerance": ..., "within": ...}}``. Realized names carry their unit
(``rearfoot_post_deg``); each is shown in the row of the profile parameter it measures, and the
figures measured with no parameter of their own (positions, the insole's length) follow the
profile's rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Literal

from scan2insole.report.readout import (
    NOT_AVAILABLE,
    is_number,
    label_of,
    number,
    plain,
    profile_unit,
    unit_of,
)

NOT_MEASURED = "–"
"""The realized cell of a parameter the realized block does not measure (a feature left off,
or a setting with no geometric figure of its own)."""

Status = Literal["within", "outside", "no tolerance", "not measured", "not available"]

NOT_PRESCRIPTION = ("printing",)
"""Profile sections that are print settings, not prescription: shown with the print checks."""

# realized name -> the profile parameter it measures, where the names do not say it themselves
REALIZED_FOR_PARAMETER: Mapping[str, str] = {
    "rearfoot_post_deg": "rearfoot_post.angle_deg",
    "forefoot_post_deg": "forefoot_post.angle_deg",
    "medial_skive_mm": "skive.medial_depth_mm",
    "lateral_skive_mm": "skive.lateral_depth_mm",
    "medial_flange_mm": "flanges.medial_height_mm",
    "lateral_flange_mm": "flanges.lateral_height_mm",
    "morton_extension_mm": "morton.extension_mm",
    "reverse_morton_mm": "morton.reverse_mm",
    "heel_lift_mm": "heel_lift.height_mm",
    "base_thickness_mm": "shell.base_thickness_mm",
    "min_thickness_mm": "shell.min_thickness_mm",
    "top_cover_mm": "shell.top_cover_mm",
}


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class RealizedEntry:
    """One measured-back value, whatever shape the block came in."""

    name: str
    asked: float | None
    realized: float | None
    tolerance: float | None
    within: bool | None
    at_least: bool = False


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class PrescriptionRow:
    """One line of the table, as text."""

    parameter: str
    """``section.key`` of the profile, or the realized name for a figure with no parameter."""
    meaning: str
    asked: str
    realized: str
    tolerance: str
    status: Status


def _get(entry: Any, *names: str) -> Any:
    for name in names:
        if isinstance(entry, Mapping) and name in entry:
            return entry[name]
        if not isinstance(entry, Mapping) and hasattr(entry, name):
            return getattr(entry, name)
    return None


def _entry(name: str, raw: Any) -> RealizedEntry:
    if is_number(raw):
        return RealizedEntry(
            name=name, asked=None, realized=float(raw), tolerance=None, within=None
        )
    asked = _get(raw, "asked")
    value = _get(raw, "realized", "measured", "value")
    tol = _get(raw, "tolerance", "tol")
    within = _get(raw, "within", "within_tolerance", "passed")
    bound = _get(raw, "at_least", "bound")
    return RealizedEntry(
        name=name,
        asked=float(asked) if is_number(asked) else None,
        realized=float(value) if is_number(value) else None,
        tolerance=float(tol) if is_number(tol) else None,
        within=bool(within) if within is not None else None,
        at_least=bound is True or bound == "at_least",
    )


def realized_entries(block: Any) -> tuple[RealizedEntry, ...] | None:
    """The realized block as entries in its own order; None when there is no block."""
    if block is None:
        return None
    rows = _get(block, "values")
    if isinstance(rows, Sequence) and not isinstance(rows, str | bytes):
        return tuple(_entry(str(_get(r, "name", "key")), r) for r in rows)
    if isinstance(block, Mapping):
        return tuple(_entry(str(k), v) for k, v in block.items())
    if isinstance(block, Sequence) and not isinstance(block, str | bytes):
        return tuple(_entry(str(_get(r, "name", "key")), r) for r in block)
    raise TypeError(f"unknown realized block {type(block).__name__}")  # a bug, not bad input


def _parameter_of(name: str, keys: Sequence[str]) -> str | None:
    if name in REALIZED_FOR_PARAMETER:
        return REALIZED_FOR_PARAMETER[name]
    for key in keys:
        section, _, leaf = key.partition(".")
        if name in (key, f"{section}_{leaf}"):
            return key
    return None


def _profile_parameters(profile: Any) -> list[tuple[str, Any, str, str]]:
    """(section.key, value, unit, meaning) of every prescription field, in profile order."""
    out = []
    for section in fields(profile):
        value = getattr(profile, section.name)
        if not is_dataclass(value) or section.name in NOT_PRESCRIPTION:
            continue
        for f in fields(value):
            out.append(
                (
                    f"{section.name}.{f.name}",
                    getattr(value, f.name),
                    f.metadata.get("unit", ""),
                    f.metadata.get("doc", ""),
                )
            )
    return out


def _judge(e: RealizedEntry) -> Status:
    if e.realized is None:
        return "not measured"
    if e.within is not None:
        return "within" if e.within else "outside"
    if e.asked is None or e.tolerance is None:
        return "no tolerance"
    ok = e.realized >= e.asked if e.at_least else abs(e.realized - e.asked) <= e.tolerance
    return "within" if ok else "outside"


def _tolerance_text(e: RealizedEntry, unit: str) -> str:
    if e.at_least:
        return "at least the asked value"
    if e.tolerance is None:
        return "none given"
    return f"± {number(e.tolerance, unit)}"


def _row_from_entry(parameter: str, meaning: str, asked: str, e: RealizedEntry) -> PrescriptionRow:
    unit = unit_of(e.name)
    if e.asked is not None and asked in ("", NOT_AVAILABLE):
        asked = number(e.asked, unit)
    elif e.asked is not None and number(e.asked, unit) not in asked:
        asked = f"{asked} (target {number(e.asked, unit)})"
    return PrescriptionRow(
        parameter=parameter,
        meaning=meaning,
        asked=asked,
        realized=number(e.realized, unit) if e.realized is not None else NOT_AVAILABLE,
        tolerance=_tolerance_text(e, unit),
        status=_judge(e),
    )


def prescription_rows(profile: Any, realized_block: Any) -> list[PrescriptionRow]:
    """Every prescription parameter of ``profile`` with its realized value, then the figures
    the realized block measured that have no parameter of their own."""
    params = _profile_parameters(profile)
    entries = realized_entries(realized_block)
    by_key: dict[str, list[RealizedEntry]] = {}
    extra: list[RealizedEntry] = []
    keys = [k for k, *_ in params]
    for e in entries or ():
        key = _parameter_of(e.name, keys)
        if key is None:
            extra.append(e)
        else:
            by_key.setdefault(key, []).append(e)
    rows = []
    for key, value, unit, meaning in params:
        u = profile_unit(unit)
        asked = number(value, u) if is_number(value) and u else plain(value)
        if key in by_key:
            rows.extend(_row_from_entry(key, meaning, asked, e) for e in by_key[key])
            continue
        rows.append(
            PrescriptionRow(
                parameter=key,
                meaning=meaning,
                asked=asked,
                realized=NOT_AVAILABLE if entries is None else NOT_MEASURED,
                tolerance="",
                status="not available" if entries is None else "not measured",
            )
        )
    rows.extend(
        _row_from_entry(e.name, f"{label_of(e.name)} (measured off the insole)", "", e)
        for e in extra
    )
    return rows
