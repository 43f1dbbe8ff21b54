"""``scan2insole verify``: is this insole file printable? The same checks ``make`` reports.

Exit 0 printable, 1 a check fails (each failing check on its own stdout line, with its figure),
2 the file cannot be read (one ``scan2insole: error:`` line on stderr).
"""

from __future__ import annotations

import sys

import click

from scan2insole.cli import main, parse_overrides, profile_option, rejecting_bad_input, set_option
from scan2insole.records import Check

EXIT_NOT_PRINTABLE = 1


def _check_dict(c: Check) -> dict[str, object]:
    return {
        "name": c.name,
        "passed": c.passed,
        "value": c.value,
        "limit": c.limit,
        "message": c.message,
    }


@main.command()
@click.argument("file", type=click.Path(dir_okay=True))
@profile_option
@set_option
@click.option("--json", "as_json", is_flag=True, help="Print every check and figure as JSON.")
@rejecting_bad_input
def verify(file: str, profile_name: str, overrides: tuple[str, ...], as_json: bool) -> None:
    """Check that FILE (STL or 3MF; PLY and OBJ meshes too) is printable.

    Limits come from the profile: shell.min_thickness_mm, printing.bed_x_mm / bed_y_mm and
    printing.max_height_mm (change them with --set). STL is read as millimetres; a 3MF in its
    declared unit. Exit 0 printable, 1 a check fails, 2 unreadable.
    """
    from scan2insole.export import json_bytes
    from scan2insole.profile import load_profile
    from scan2insole.verify.file import verify_file

    profile = load_profile(profile_name, overrides=parse_overrides(overrides))
    verdict = verify_file(
        file,
        min_thickness_mm=profile.shell.min_thickness_mm,
        bed_mm=(profile.printing.bed_x_mm, profile.printing.bed_y_mm),
        max_height_mm=profile.printing.max_height_mm,
    )
    several = len(verdict.parts) > 1
    if as_json:
        doc = {
            "file": click.format_filename(file),
            "format": verdict.format,
            "unit": verdict.unit,
            "profile": profile.name,
            "printable": verdict.printable,
            "parts": [
                {
                    "name": name,
                    "printable": report.printable,
                    "figures": dict(report.figures),
                    "checks": [_check_dict(c) for c in report.checks],
                }
                for name, report in verdict.parts
            ],
            "plate": [_check_dict(c) for c in verdict.plate],
        }
        click.echo(json_bytes(doc).decode(), nl=False)
    else:
        shown = click.format_filename(file)
        for name, report in verdict.parts:
            prefix = f"{shown}: {name}: " if several else f"{shown}: "
            for c in report.checks:
                if not c.passed:
                    click.echo(f"{prefix}{c.name}: {c.message}")
        for c in verdict.plate:
            if not c.passed:
                click.echo(f"{shown}: {c.name}: {c.message}")
        if verdict.printable:
            for name, report in verdict.parts:
                f = report.figures
                prefix = f"{shown}: {name}: " if several else f"{shown}: "
                click.echo(
                    f"{prefix}printable: {f['length_mm']:.1f} x {f['width_mm']:.1f} x "
                    f"{f['height_mm']:.1f} mm as placed, {f['volume_mm3'] / 1000:.1f} cm³, "
                    f"thinnest {f['min_thickness_mm']:.2f} mm"
                )
    if not verdict.printable:
        sys.exit(EXIT_NOT_PRINTABLE)
