"""The command line: click commands that translate between the shell and the library.

One module per command; this one holds the group, the shared options and the error contract.

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


def _register() -> None:
    # imported for their @main.command side effect; each module holds one command
    from scan2insole.cli import make  # noqa: F401


_register()
