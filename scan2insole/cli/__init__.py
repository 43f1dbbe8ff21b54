"""The command line: click commands that translate between the shell and the library.

One module per command; this one holds the group, the shared options and the error contract.

Rejected input (any ``Scan2InsoleError``) becomes one ``scan2insole: error: ...`` line on stderr and
exit code 2; a bug still crashes with a traceback, so the two look different.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
import unicodedata
import warnings
from collections.abc import Callable
from typing import Any

import click

from scan2insole import __version__
from scan2insole.cli import threads  # noqa: F401  (before anything imports numpy)
from scan2insole.errors import ProfileError, Scan2InsoleError

EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    click.echo(f"scan2insole: error: {' '.join(str(message).split())}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def rejecting_bad_input(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a ``Scan2InsoleError`` into the one-line error contract.

    The message is made one printable line: whitespace runs (a file name with a line break)
    become one space, and control, format and surrogate characters (a terminal escape, a
    right-to-left override, undecodable bytes of a file name) are shown as ``\\x..`` escapes, so
    a hostile file name can neither split the line nor drive the terminal. Warnings raised while
    the input is rejected are dropped (the line is the whole answer); after a success or a bug
    they are shown as usual.
    """

    def printable(message: str) -> str:
        text = " ".join(message.split())
        return "".join(
            (f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else ascii(c)[1:-1])
            if unicodedata.category(c).startswith("C")
            else c
            for c in text
        )

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        caught: list[warnings.WarningMessage] = []
        try:
            with warnings.catch_warnings(record=True) as caught:
                return fn(*args, **kwargs)
        except Scan2InsoleError as err:
            caught.clear()  # numpy's grumbles about the input it rejects would break the one line
            _fail(printable(str(err)))
        except MemoryError:
            caught.clear()
            _fail("not enough memory for this scan")
        finally:  # after success or a bug, every warning is still shown
            for w in caught:
                warnings.showwarning(w.message, w.category, w.filename, w.lineno, w.file, w.line)

    return wrapper


MAX_STEM_BYTES = 100
"""Longest output stem in UTF-8 bytes: with ``.report.json`` and the temp-file affixes of an
atomic write it stays far below the 255-byte name limit of common file systems."""
_SCAN_SUFFIXES = (".stl", ".ply", ".obj")
# Windows refuses these as file names whatever their extension (CON.insole.stl included)
_RESERVED_STEMS = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)]
)


def safe_stem(name: str) -> str:
    """An output file stem from an input name.

    The last path part (after ``/`` or ``\\``) without its scan extension; letters and digits
    (any script, NFC), ``.``, ``-`` and ``_`` kept, every other run (spaces, control and shell
    characters, undecodable bytes) one ``_``; no leading or trailing ``.-_``, so never ``..``
    or a hidden file. A stem above ``MAX_STEM_BYTES`` is cut and given 8 hex digits of the
    name's SHA-256 so distinct long names stay distinct; a name with nothing left is ``scan``.
    """
    base = re.split(r"[/\\]", name)[-1]
    if base.lower().endswith(_SCAN_SUFFIXES):
        base = base[:-4]
    stem = re.sub(r"[^\w.-]+", "_", unicodedata.normalize("NFC", base)).strip("._-")
    if len(stem.encode()) > MAX_STEM_BYTES:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cut = stem.encode()[: MAX_STEM_BYTES - 9].decode("utf-8", "ignore")
        stem = f"{cut.rstrip('._-')}-{digest}"
    if stem.lower() in _RESERVED_STEMS:
        stem += "_"
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
    from scan2insole.cli import (
        batch,  # noqa: F401
        make,  # noqa: F401
        measure,  # noqa: F401
        profiles,  # noqa: F401
        verify,  # noqa: F401
    )


_register()
