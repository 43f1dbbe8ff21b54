"""``scan2insole make``: scans in, insoles and reports out."""

from __future__ import annotations

from pathlib import Path

import click

from scan2insole.cli import (
    main,
    parse_overrides,
    profile_option,
    rejecting_bad_input,
    safe_stem,
    set_option,
    side_option,
    units_option,
)


@main.command()
@click.argument("scans", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option(
    "-o",
    "--output",
    "out_dir",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the outputs.",
)
@profile_option
@set_option
@side_option
@units_option
@click.option("--overwrite", is_flag=True, help="Replace existing outputs.")
@rejecting_bad_input
def make(
    scans: tuple[str, ...],
    out_dir: str,
    profile_name: str,
    overrides: tuple[str, ...],
    side: str,
    units: str,
    overwrite: bool,
) -> None:
    """Design an insole for each SCAN (PLY, STL or OBJ; mesh or point cloud).

    Writes <stem>.insole.stl and <stem>.report.json into the output folder.
    """
    from scan2insole.export import json_bytes, stl_bytes, write_atomically
    from scan2insole.pipeline import make as make_one
    from scan2insole.pipeline import report_dict
    from scan2insole.profile import load_profile

    profile = load_profile(profile_name, overrides=parse_overrides(overrides))
    out = Path(out_dir)
    files: dict[Path, bytes] = {}
    for scan in scans:
        result = make_one(
            scan,
            profile,
            side=side,  # type: ignore[arg-type]
            units=None if units == "auto" else units,
        )  # type: ignore[arg-type]
        stem = safe_stem(scan)
        names = {"stl": f"{stem}.insole.stl", "report_json": f"{stem}.report.json"}
        files[out / names["stl"]] = stl_bytes(result.insole)
        files[out / names["report_json"]] = json_bytes(report_dict(result, outputs=names))
        m = result.analysis.measurements
        click.echo(
            f"{scan}: {result.analysis.foot.frame.side} foot "
            f"{m.foot_length_mm:.1f} x {m.ball_width_mm:.1f} mm -> {names['stl']}"
            f"{'' if result.verify.printable else ' (FAILS print checks, see report)'}",
            err=True,
        )
    write_atomically(files, overwrite=overwrite)
