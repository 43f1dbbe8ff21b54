"""Chromium for the test suite: find it, or install Debian's package once per session, else skip.

The report test renders the HTML report with headless Chromium and judges the screenshot. CI runs
only the README's test command, so the suite installs the browser itself, as it does the slicer
(both through ``apt_setup.py``): when no ``chromium`` is on the PATH and the tests run as root or
with passwordless sudo, :func:`ensure_chromium` runs ``apt-get update`` and ``apt-get install -y
--no-install-recommends chromium`` once per session under a time limit. Anywhere else the
Chromium tests skip with a one-line reason. ``SCAN2INSOLE_NO_CHROMIUM_INSTALL=1`` turns the
install off.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.apt_setup import find_or_install, last_line

PACKAGE = "chromium"
NAMES = ("chromium", "chromium-browser")  # Debian's program, and Ubuntu's older one
SCREENSHOT_TIMEOUT_S = 120.0
"""One headless screenshot of a ~1 MB page takes ~2-5 s; two minutes means it hung."""
NO_INSTALL_ENV = "SCAN2INSOLE_NO_CHROMIUM_INSTALL"
FLAGS = (
    "--headless",
    "--no-sandbox",  # as root Chromium refuses to start with its sandbox
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def _found() -> str | None:
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


@functools.cache
def ensure_chromium() -> tuple[str | None, str]:
    """Find or install Chromium, once per session: (path, "") or (None, one-line reason)."""
    return find_or_install(PACKAGE, find=_found, no_install_env=NO_INSTALL_ENV)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the Chromium executable; installs it once per session or skips the test."""
    path, reason = ensure_chromium()
    if path is None:
        pytest.skip(reason)
    return path


def screenshot(browser: str, page: Path, png: Path, *, window: tuple[int, int]) -> None:
    """Render ``page`` headless into ``png`` at ``window`` (width, height) CSS pixels."""
    with tempfile.TemporaryDirectory() as profile_dir:
        cmd = [
            browser,
            *FLAGS,
            f"--user-data-dir={profile_dir}",
            f"--screenshot={png}",
            f"--window-size={window[0]},{window[1]}",
            page.resolve().as_uri(),
        ]
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=SCREENSHOT_TIMEOUT_S, check=False
        )
    assert done.returncode == 0 and png.exists(), f"chromium: {last_line(done.stderr)}"
