"""Chromium for the test suite: find it, or install Debian's package once per session, else skip.

The report test renders the HTML report with headless Chromium and judges the screenshot. CI runs
only the README's test command, so the suite installs the browser itself, like the slicer
(``slicer_setup.py``): when no ``chromium`` is on the PATH and the tests run as root or with
passwordless sudo, :func:`ensure_chromium` runs ``apt-get update`` and ``apt-get install -y
--no-install-recommends chromium`` once per session under a time limit. Anywhere else the
Chromium tests skip with a one-line reason. ``SCAN2INSOLE_NO_CHROMIUM_INSTALL=1`` turns the
install off.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

NAMES = ("chromium", "chromium-browser")
APT_UPDATE = ["apt-get", "update"]
APT_INSTALL = [
    "apt-get",
    "install",
    "-y",
    "--no-install-recommends",
    "-o",
    "DPkg::Lock::Timeout=300",  # wait for another apt run (the slicer's set-up) to finish
    "chromium",
]
INSTALL_TIMEOUT_S = 900.0
"""apt-get update + install: ~100 MB of packages, measured ~40 s here; 15 min covers a slow
mirror and a wait for another apt run's lock."""
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


def _sudo_prefix() -> list[str] | None:
    """``[]`` as root, ``["sudo", "-n"]`` with passwordless sudo, None when neither."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") is None:
        return None
    ok = subprocess.run(["sudo", "-n", "true"], capture_output=True, timeout=30, check=False)
    return ["sudo", "-n"] if ok.returncode == 0 else None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _found() -> str | None:
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


@functools.cache
def ensure_chromium() -> tuple[str | None, str]:
    """Find or install Chromium, once per session: (path, "") or (None, one-line reason)."""
    found = _found()
    if found:
        return found, ""
    if os.environ.get(NO_INSTALL_ENV):
        return None, f"chromium not installed and {NO_INSTALL_ENV} is set"
    if shutil.which("apt-get") is None:
        return None, "chromium not installed and there is no apt-get to install it"
    prefix = _sudo_prefix()
    if prefix is None:
        return None, "chromium not installed; installing needs root or passwordless sudo"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    deadline = time.monotonic() + INSTALL_TIMEOUT_S
    for cmd in (APT_UPDATE, APT_INSTALL):
        try:
            done = subprocess.run(
                [*prefix, *cmd],
                capture_output=True,
                text=True,
                env=env,
                timeout=max(deadline - time.monotonic(), 1.0),
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None, f"installing chromium took over {INSTALL_TIMEOUT_S:.0f} s"
        if done.returncode != 0:
            return None, f"`{' '.join(cmd[:2])}` for chromium failed: {_last_line(done.stderr)}"
    found = _found()
    return (found, "") if found else (None, "apt-get installed chromium but it is not on PATH")


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
    assert done.returncode == 0 and png.exists(), f"chromium: {_last_line(done.stderr)}"
