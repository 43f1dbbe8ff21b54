"""``scan2insole measure``: a scan in, its measurements, landmarks and foot type out."""

from __future__ import annotations

import math
from typing import Any

import click

from scan2insole.cli import main, rejecting_bad_input, side_option, units_option

# Rows of the table: JSON key, label, unit, decimals.
_ROWS = (
    ("foot_length_mm", "foot length", "mm", 1),
    ("ball_width_mm", "ball width", "mm", 1),
    ("heel_width_mm", "heel width", "mm", 1),
    ("arch_length_mm", "arch length (heel to 1st MTH)", "mm", 1),
    ("dorsal_height_50_mm", "dorsal height at 50 %", "mm", 1),
    ("arch_height_index", "arch height index", "", 3),
    ("medial_arch_height_mm", "medial arch height", "mm", 1),
    ("arch_index", "arch index (Cavanagh & Rodgers)", "", 3),
    ("chippaux_smirak_index", "Chippaux-Smirak index", "%", 1),
    ("staheli_index", "Staheli index", "", 2),
)


def _num(value: float | None, decimals: int) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:.{decimals}f}"


def _table(data: dict[str, Any]) -> str:
    lines = [
        f"{data['name']}: {data['side']} foot, scan in {data['units_detected']}",
        "",
        f"{'measurement':34s} {'value':>9s}  {'+/-':>7s}",
    ]
    for key, label, unit, dec in _ROWS:
        value = _num(data[key], dec)
        err = _num(data["uncertainty"].get(key), dec)
        lines.append(f"{label:34s} {value:>9s}  {err:>7s} {unit}")
    sens = ", ".join(
        f"{h.removesuffix('_mm')} mm: {_num(v, 3)}"
        for h, v in data["arch_index_by_contact_height"].items()
    )
    lines += [
        f"{'arch index by contact height':34s} {sens}",
        "",
        f"foot type: {data['foot_type'] or 'unknown'} ({data['foot_type_reason']})",
        f"suggested profile: {data['suggested_profile']}",
        "",
        "landmarks (design frame, mm: x heel to toe, y medial, z up):",
    ]
    for name, point in data["landmarks"].items():
        where = "-" if point is None else "  ".join(f"{v:7.1f}" for v in point)
        lines.append(f"  {name:22s} {where}")
    q = data["quality"]
    lines += ["", f"quality: {q['score']:.2f}"]
    lines += [f"  - {r}" for r in q["reasons"]]
    return "\n".join(lines)


@main.command()
@click.argument("scan", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@side_option
@units_option
@rejecting_bad_input
def measure(scan: str, as_json: bool, side: str, units: str) -> None:
    """Measure the foot in SCAN (PLY, STL or OBJ; mesh or point cloud).

    Prints foot length and breadths, arch measures, footprint indices, the foot type and the
    profile it suggests, landmarks, and an uncertainty for each measurement (definitions and
    sources: docs/measurements.md).
    """
    from scan2insole.analyse.report import measure_dict
    from scan2insole.export import json_bytes
    from scan2insole.load import load_scan
    from scan2insole.pipeline import measure as measure_scan

    analysis = measure_scan(
        load_scan(scan),
        side=side,  # type: ignore[arg-type]
        units=None if units == "auto" else units,  # type: ignore[arg-type]
    )
    data = measure_dict(analysis)
    if as_json:
        click.echo(json_bytes(data).decode(), nl=False)
    else:
        click.echo(_table(data))
