"""PrusaSlicer for the test suite: install it once per session where we may, else skip.

The slicer tests ask a real slicer (PrusaSlicer, Debian's ``prusa-slicer``, headless) for its
verdict on our files. CI runs only the README's test command, so the suite installs the slicer
itself: when ``prusa-slicer`` is not on the PATH and the tests run as root or with passwordless
sudo, :func:`ensure_prusa_slicer` runs the Debian install line (see ../shared/SLICERS.md) once per
session under a time limit (``apt_setup.py``, shared with Chromium's set-up). Anywhere else (no
apt-get, no root, no network, the install fails or times out) the slicer tests skip with a
one-line reason. ``SCAN2INSOLE_NO_SLICER_INSTALL=1`` turns the install off (the tests then run
only where the slicer already is).

:func:`slice_file` runs the two commands the tests judge by (``--info`` and ``--export-gcode``) and
returns what they printed, parsed.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tests.apt_setup import find_or_install, last_line

SLICER = "prusa-slicer"  # the program and its Debian package
SLICE_TIMEOUT_S = 300.0
"""Time allowed for one ``--info`` or ``--export-gcode`` run: a 100k-triangle insole slices in
~5 s, so 5 min means it hung."""
NO_INSTALL_ENV = "SCAN2INSOLE_NO_SLICER_INSTALL"
REPAIR_KEYS = (
    "open_edges",
    "edges_fixed",
    "facets_removed",
    "facets_added",
    "facets_reversed",
    "degenerate_facets",
    "backwards_edges",
)
"""``--info`` keys PrusaSlicer prints only when it had to repair the mesh (SLICERS.md)."""


@functools.cache
def ensure_prusa_slicer() -> tuple[str | None, str]:
    """Find or install PrusaSlicer, once per session.

    Returns
    -------
    (path, reason)
        The executable's path and ``""``, or None and the one-line reason the slicer is missing.
    """
    return find_or_install(SLICER, find=lambda: shutil.which(SLICER), no_install_env=NO_INSTALL_ENV)


def require_prusa_slicer() -> str:
    """Path of the PrusaSlicer executable, installed once per session, or skip the test.

    Test modules wrap it in a session-scoped fixture (the install then happens in the first
    slicer test's set-up, and never twice: :func:`ensure_prusa_slicer` remembers its answer).
    """
    path, reason = ensure_prusa_slicer()
    if path is None:
        pytest.skip(reason)
    return path


def bed_ini(path: Path, *, bed_mm: tuple[float, float], layer_height_mm: float) -> Path:
    """Write the small printer ini the slicer tests load (its built-in bed is 200 x 200 mm).

    No skirt: PrusaSlicer's default skirt loops 6 mm outside the part, which runs off a bed that a
    turned 280 mm insole nearly fills; the part itself is what the tests judge.
    """
    x, y = bed_mm
    path.write_text(
        f"bed_shape = 0x0,{x:g}x0,{x:g}x{y:g},0x{y:g}\n"
        f"layer_height = {layer_height_mm:g}\n"
        f"first_layer_height = {layer_height_mm:g}\n"
        "gcode_comments = 1\n"
        "fill_density = 20%\n"
        "skirts = 0\n"
    )
    return path


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class SliceResult:
    """What PrusaSlicer said about one file."""

    info: list[dict[str, str]]
    """One ``key = value`` dict per object ``--info`` listed, in file order."""
    info_text: str
    n_layers: int
    """``;LAYER_CHANGE`` lines in the G-code."""
    filament_mm: float
    """``; filament used [mm]``."""
    max_z_mm: float
    """Highest ``;Z:`` layer comment: the top of the print."""
    extrusion_xy_mm: np.ndarray
    """(n, 2) float64 end points of extruding moves, bed coordinates."""
    warnings: list[str]
    """``print warning`` lines (e.g. empty layers of a floating part)."""
    slice_s: float
    """Wall-clock seconds of the ``--export-gcode`` run."""
    gcode_command: list[str]


_INFO_LINE = re.compile(r"^([a-z_]+) = (.*)$")
_EXTRUDE = re.compile(r"^G1 X(-?[\d.]+) Y(-?[\d.]+) E[\d.]+", re.MULTILINE)


def run_slicer(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=SLICE_TIMEOUT_S, check=False)


def parse_info(text: str) -> list[dict[str, str]]:
    """Split ``--info`` output into one dict per object (each starts with ``[name]``)."""
    objects: list[dict[str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            objects.append({"name": line[1:-1]})
        elif (m := _INFO_LINE.match(line)) and objects:
            objects[-1][m.group(1)] = m.group(2).strip()
    return objects


def slice_file(
    slicer: str,
    model: Path,
    *,
    ini: Path,
    extra: tuple[str, ...] = (),
) -> SliceResult:
    """``--info`` then ``--export-gcode`` on ``model``; fails the test if either command fails."""
    info = run_slicer([slicer, "--info", str(model)])
    assert info.returncode == 0, f"--info exit {info.returncode}: {last_line(info.stderr)}"
    gcode = model.with_suffix(model.suffix + ".gcode")
    cmd = [slicer, "--load", str(ini), *extra, "--export-gcode", "-o", str(gcode), str(model)]
    t0 = time.perf_counter()
    done = run_slicer(cmd)
    slice_s = time.perf_counter() - t0
    assert done.returncode == 0, f"slicing exit {done.returncode}: {last_line(done.stderr)}"
    text = gcode.read_text()
    filament = re.search(r"^; filament used \[mm\] = ([\d.]+)", text, re.MULTILINE)
    zs = [float(z) for z in re.findall(r"^;Z:([\d.]+)", text, re.MULTILINE)]
    xy = np.array(_EXTRUDE.findall(text), dtype=np.float64).reshape(-1, 2)
    warnings = [
        line for line in (done.stdout + done.stderr).splitlines() if "print warning" in line.lower()
    ]
    return SliceResult(
        info=parse_info(info.stdout),
        info_text=info.stdout,
        n_layers=text.count(";LAYER_CHANGE"),
        filament_mm=float(filament.group(1)) if filament else 0.0,
        max_z_mm=max(zs, default=0.0),
        extrusion_xy_mm=xy,
        warnings=warnings,
        slice_s=slice_s,
        gcode_command=cmd,
    )
