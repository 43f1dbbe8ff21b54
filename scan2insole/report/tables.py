"""The report's tables as text rows: measurements, landmarks, scan quality, print checks and
provenance. Every number is written with its unit; a missing or NaN value reads
``not available``. Rows carry a status class for the page: ``bad`` rows are shown red."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

import numpy as np

from scan2insole.report.readout import (
    NOT_AVAILABLE,
    field_number,
    is_number,
    label_of,
    number,
    plain,
    unit_of,
)

# the measurements' names in words (fields not listed here are named from their field name)
MEASUREMENT_LABELS: Mapping[str, str] = {
    "foot_length_mm": "foot length (pternion to longest toe, along the axis)",
    "ball_width_mm": "ball width (greatest breadth across the axis)",
    "heel_width_mm": "heel width (rear 20 % of the length, below 40 mm)",
    "arch_length_mm": "arch length (pternion to 1st metatarsal head)",
    "dorsal_height_50_mm": "dorsal height at 50 % of the foot length",
    "arch_height_index": "arch height index (dorsal height / arch length)",
    "medial_arch_height_mm": "medial arch height (plantar, 25 % of the ball width in)",
    "arch_index": "arch index (Cavanagh & Rodgers, 2 mm contact)",
    "chippaux_smirak_index_pct": "Chippaux–Smirak index",
    "staheli_index": "Staheli index",
    "contact_area_mm2": "contact area (2 mm, no toes)",
}
_TEXT_FIELDS = ("foot_type", "foot_type_reason", "suggested_profile")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Table:
    """A table to show: a header and rows of text cells, each row with a status class."""

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], str], ...]
    """(cells, class) per row; class is ``""``, ``ok``, ``bad`` or ``na``."""


def _na(text: str) -> str:
    return "na" if text == NOT_AVAILABLE else ""


def measurement_names(measurements: Any) -> list[str]:
    """Names of the numeric measurements of the record, in its field order."""
    names = []
    for f in fields(measurements):
        value = getattr(measurements, f.name)
        if f.name in _TEXT_FIELDS or isinstance(value, bool | str | tuple | Mapping):
            continue
        if value is None or is_number(value) or (isinstance(value, float) and np.isnan(value)):
            names.append(f.name)
    return names


def measurements_table(measurements: Any) -> Table:
    """Every numeric measurement with its unit and its uncertainty (about a 95 % bound)."""
    uncertainty = getattr(measurements, "uncertainty", None) or {}
    rows = []
    for name in measurement_names(measurements):
        value = field_number(name, getattr(measurements, name))
        u = uncertainty.get(name)
        unc = f"± {number(u, unit_of(name))}" if is_number(u) else ""
        rows.append(((MEASUREMENT_LABELS.get(name, label_of(name)), value, unc), _na(value)))
    kind = getattr(measurements, "foot_type", None)
    reason = getattr(measurements, "foot_type_reason", "") or ""
    rows.append((("foot type", kind or NOT_AVAILABLE, reason), "" if kind else "na"))
    suggested = getattr(measurements, "suggested_profile", None)
    if suggested is not None:
        rows.append((("suggested profile", str(suggested), "from the foot type"), ""))
    return Table(header=("measurement", "value", "uncertainty / note"), rows=tuple(rows))


def sensitivity_table(measurements: Any) -> Table | None:
    """The arch index at each contact height (CLINICAL §2.1 asks for 1, 2 and 3 mm)."""
    pairs = getattr(measurements, "arch_index_by_contact_mm", None) or ()
    if not pairs:
        return None
    rows = tuple(((number(h, "mm"), number(ai)), _na(number(ai))) for h, ai in pairs)
    return Table(header=("contact height", "arch index"), rows=rows)


def plausibility_notes(measurements: Any) -> tuple[str, ...]:
    return tuple(getattr(measurements, "plausibility", ()) or ())


def landmarks_table(landmarks: Any) -> Table | None:
    """Every landmark as x, y, z in mm (design frame), or None when the record has none."""
    if landmarks is None or not is_dataclass(landmarks):
        return None
    from scan2insole.report.drawing import LANDMARK_STYLE

    names = {field: label for field, label, _, _ in LANDMARK_STYLE}
    rows = []
    for f in fields(landmarks):
        p = np.asarray(getattr(landmarks, f.name), dtype=np.float64).reshape(-1)
        cells = tuple(number(v, "mm") for v in p[:3]) if p.size >= 3 else (NOT_AVAILABLE,) * 3
        label = names.get(f.name, label_of(f.name))
        rows.append(((label, *cells), "na" if NOT_AVAILABLE in cells else ""))
    return Table(header=("landmark", "x", "y", "z"), rows=tuple(rows))


def quality_table(foot: Any) -> Table:
    """Scan quality, the unit and side decisions, each with its reason."""
    q = foot.quality
    u = foot.units
    fr = foot.frame
    score = getattr(q, "score_frac", None)
    rows: list[tuple[tuple[str, ...], str]] = [
        (("quality score", number(score, decimals=2), "1.00 = clean and complete"), ""),
    ]
    for reason in getattr(q, "reasons", ()) or ():
        rows.append((("reason", str(reason), ""), "warn"))
    detected = "detected" if u.detected else "given by the user"
    rows += [
        (("points in the scan", plain(q.n_points_in), f"{plain(q.n_points_dropped)} dropped"), ""),
        (("unit", f"{u.unit} ({plain(u.mm_per_unit)} mm per unit)", f"{detected}: {u.reason}"), ""),
        (
            (
                "side",
                fr.side,
                f"{'detected' if fr.side_detected else 'given by the user'}, "
                f"confidence {number(fr.side_confidence_frac, decimals=2)}: {fr.side_reason}",
            ),
            "",
        ),
        (
            (
                "floor removed",
                plain(q.floor_removed),
                f"band {field_number('floor_band_mm', getattr(q, 'floor_band_mm', None))}",
            ),
            "",
        ),
        (("leg cut", plain(q.leg_cut), ""), ""),
        (
            ("scan noise", field_number("noise_mm", q.noise_mm), "RMS distance from a local plane"),
            "",
        ),
        (
            (
                "plantar holes filled",
                field_number("hole_area_mm2", getattr(q, "hole_area_mm2", None)),
                "",
            ),
            "",
        ),
    ]
    return Table(header=("item", "value", "reason"), rows=tuple(rows))


def _figure(value: object) -> str:
    """A check's figure (its unit is in the check's message): whole numbers without decimals."""
    if not is_number(value):
        return NOT_AVAILABLE if value is None else plain(value)
    v = float(value)
    return f"{v:.0f}" if v.is_integer() or abs(v) >= 1000 else f"{v:.2f}"


def checks_table(verify: Any) -> Table:
    """Every print check: passed or not, the figure, the limit and the reason; red where not."""
    rows = []
    for c in verify.checks:
        rows.append(
            (
                (
                    c.name,
                    "passed" if c.passed else "FAILED",
                    _figure(c.value),
                    _figure(c.limit),
                    c.message,
                ),
                "ok" if c.passed else "bad",
            )
        )
    return Table(header=("check", "result", "value", "limit", "reason"), rows=tuple(rows))


def mesh_figures_table(verify: Any) -> Table:
    """The figures the print checks measured off the mesh, with their units."""
    figures = getattr(verify, "figures", None) or {}
    rows = []
    for k, v in figures.items():
        text = field_number(k, v) if unit_of(k) else _figure(v)
        rows.append(((label_of(k), text), _na(text)))
    return Table(header=("measured off the insole mesh", "value"), rows=tuple(rows))


def provenance_table(result: Any) -> Table:
    """Version, profile and input identity: what a reader needs to reproduce the insole."""
    from scan2insole import __version__

    raw = result.raw
    profile = result.profile
    sha = profile.sha256() if callable(getattr(profile, "sha256", None)) else NOT_AVAILABLE
    rows = (
        (("scan2insole version", __version__), ""),
        (("profile", f"{profile.name}: {getattr(profile, 'description', '')}"), ""),
        (("profile sha256", sha), ""),
        (("input", f"{raw.name} ({raw.format})"), ""),
        (("input sha256", raw.sha256), ""),
        (
            (
                "input size",
                f"{len(raw.vertices)} vertices, {len(raw.faces)} faces"
                + (" (point cloud)" if raw.is_point_cloud else ""),
            ),
            "",
        ),
    )
    return Table(header=("item", "value"), rows=rows)


def printer_table(profile: Any) -> Table | None:
    """The printer the checks were run against (the profile's ``printing`` section)."""
    printing = getattr(profile, "printing", None)
    if printing is None or not is_dataclass(printing):
        return None
    rows = tuple(
        ((label_of(f.name), field_number(f.name, getattr(printing, f.name))), "")
        for f in fields(printing)
    )
    return Table(header=("printer setting", "value"), rows=rows)
