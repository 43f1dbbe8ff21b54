"""A program the test suite needs from a Debian package: find it, or install it once, else say why.

CI runs only the README's test command, so the suite installs what its slicer and browser tests
need itself (``slicer_setup.py``: PrusaSlicer; ``chromium_setup.py``: Chromium). When the program
is not on the PATH, ``apt-get`` exists, the tests run as root or with passwordless sudo and the
caller's ``SCAN2INSOLE_NO_..._INSTALL`` variable is not set, :func:`find_or_install` runs
``apt-get update`` and ``apt-get install -y --no-install-recommends PACKAGE`` under one time
limit. Anywhere else it gives the one-line reason the tests then skip with.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable

APT_UPDATE = ["apt-get", "update"]
INSTALL_TIMEOUT_S = 900.0
"""apt-get update + install: measured ~15 s (PrusaSlicer, 99 MB) to ~40 s (Chromium, ~100 MB) on
a fast mirror; 15 min covers a slow mirror and a wait for another apt run's lock."""


def apt_install(package: str) -> list[str]:
    """The install line for ``package``."""
    return [
        "apt-get",
        "install",
        "-y",
        "--no-install-recommends",
        # another apt run (the other program's set-up, a parallel test session) holds the lock:
        # wait for it instead of failing
        "-o",
        "DPkg::Lock::Timeout=300",
        package,
    ]


def sudo_prefix() -> list[str] | None:
    """``[]`` as root, ``["sudo", "-n"]`` with passwordless sudo, None when neither."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") is None:
        return None
    ok = subprocess.run(["sudo", "-n", "true"], capture_output=True, timeout=30, check=False)
    return ["sudo", "-n"] if ok.returncode == 0 else None


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def find_or_install(
    package: str, *, find: Callable[[], str | None], no_install_env: str
) -> tuple[str | None, str]:
    """Find the program ``find`` looks for, installing ``package`` with apt when it is missing.

    Callers cache the answer (``functools.cache``), so the install is tried once per session.

    Returns
    -------
    (path, reason)
        The executable's path and ``""``, or None and the one-line reason it is missing.
    """
    found = find()
    if found:
        return found, ""
    if os.environ.get(no_install_env):
        return None, f"{package} not installed and {no_install_env} is set"
    if shutil.which("apt-get") is None:
        return None, f"{package} not installed and there is no apt-get to install it"
    prefix = sudo_prefix()
    if prefix is None:
        return None, f"{package} not installed; installing needs root or passwordless sudo"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    deadline = time.monotonic() + INSTALL_TIMEOUT_S
    for cmd in (APT_UPDATE, apt_install(package)):
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
            return None, f"installing {package} took over {INSTALL_TIMEOUT_S:.0f} s"
        if done.returncode != 0:
            # apt prints its error on stderr; stdout is the fallback when stderr is empty
            why = last_line(done.stderr or done.stdout)
            return None, f"`{' '.join(cmd[:2])}` for {package} failed: {why}"
    found = find()
    if not found:
        return None, f"apt-get installed {package} but it is not on the PATH"
    return found, ""
