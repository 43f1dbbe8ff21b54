"""The command line: click commands that translate between the shell and the library.

Rejected input (any ``Scan2InsoleError``) becomes one ``scan2insole: error: ...`` line on stderr and
exit code 2; a bug still crashes with a traceback, so the two look different.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from scan2insole import __version__
from scan2insole.errors import ProfileError, Scan2InsoleError

EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    click.echo(f"scan2insole: error: {' '.join(str(message).split())}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def rejecting_bad_input(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a ``Scan2InsoleError`` into the one-line error contract."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Scan2InsoleError as err:
            _fail(str(err))
        except MemoryError:
            _fail("not enough memory for this scan")

    return wrapper


def safe_stem(name: str) -> str:
    """An output file stem from an input name: no path parts, no control or shell characters."""
    stem = Path(name).name
    for suffix in (".stl", ".ply", ".obj", ".STL", ".PLY", ".OBJ"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).lstrip(".-_")
    return stem or "scan"


def parse_overrides(items: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ProfileError(f"--set takes section.key=value, got {item!r}")
        out[key.strip()] = value.strip()
    return out


profile_option = click.option(
    "-p",
    "--profile",
    "profile_name",
    default="neutral",
    show_default=True,
    help="Profile name (see `profiles`) or TOML path.",
)
set_option = click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="SECTION.KEY=VALUE",
    help="Override one profile value; repeatable.",
)
side_option = click.option(
    "--side",
    type=click.Choice(["auto", "left", "right"]),
    default="auto",
    show_default=True,
    help="Which foot; auto detects it from the anatomy.",
)
units_option = click.option(
    "--units",
    type=click.Choice(["auto", "mm", "cm", "m", "in"]),
    default="auto",
    show_default=True,
    help="Unit the scan was written in; auto detects it from its size.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scan2insole")
def main() -> None:
    """Turn a 3D foot scan into a watertight, 3D-printable corrective insole."""


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
