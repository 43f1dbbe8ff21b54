"""Render a scan's clinical report and photograph it with headless Chromium, to look at it.

The command the issue asks for (run from the repository root)::

    .venv/bin/python docs/render_report.py \\
        /work/shared/real_scans/dupontgu_my-feet/right_foot.stl -p pronation -o /tmp/report

It runs ``make`` on the scan with the profile (``neutral`` when the profile does not exist, and
says so), writes ``<stem>.report.html`` and its pictures ``<stem>.report_<name>.png`` into the
output folder, then has Chromium render the page into ``<stem>.report.screenshot.png``
(``--window-size``, default 1400 x 4000 CSS pixels, the top of the page: the scan and the
footprint; give a larger height, e.g. 1400,9000, to photograph the whole page).

Chromium is Debian's package::

    apt-get update && DEBIAN_FRONTEND=noninteractive \\
        apt-get install -y --no-install-recommends chromium

and runs headless with no network, no GPU and no sandbox (needed as root)::

    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \\
        --disable-background-networking --disable-component-update --disable-sync \\
        --user-data-dir=$(mktemp -d) --screenshot=out.png --window-size=1400,4000 \\
        file:///tmp/report/right_foot.report.html
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scan2insole.cli import safe_stem
from scan2insole.pipeline import make
from scan2insole.profile import list_profiles, load_profile
from scan2insole.report import report_files

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
TIMEOUT_S = 120.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scan", type=Path)
    parser.add_argument("-p", "--profile", default="pronation")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--window-size", default="1400,4000", help="WIDTH,HEIGHT in CSS px")
    args = parser.parse_args(argv)

    profile = args.profile
    if profile not in list_profiles():
        print(f"profile {profile!r} does not exist yet: using 'neutral'", file=sys.stderr)
        profile = "neutral"
    t0 = time.perf_counter()
    result = make(args.scan, load_profile(profile))
    t1 = time.perf_counter()
    stem = safe_stem(args.scan.name)
    files = report_files(result, stem=stem)
    t2 = time.perf_counter()
    args.output.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.output / name).write_bytes(data)
    print(f"make {t1 - t0:.2f} s, report {t2 - t1:.2f} s; {len(files)} files in {args.output}")

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium is not installed: no screenshot (see this script's docstring)")
        return 1
    page = (args.output / f"{stem}.report.html").resolve()
    shot = (args.output / f"{stem}.report.screenshot.png").resolve()
    with tempfile.TemporaryDirectory() as profile_dir:
        cmd = [
            browser,
            *FLAGS,
            f"--user-data-dir={profile_dir}",
            f"--screenshot={shot}",
            f"--window-size={args.window_size}",
            page.as_uri(),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    if done.returncode != 0 or not shot.exists():
        print(f"chromium failed ({done.returncode}): {done.stderr.strip()[-300:]}")
        return 1
    print(f"screenshot: {shot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
