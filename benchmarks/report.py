"""Time the clinical report against ``make``: ``python -m benchmarks.report``.

For a 1 M-point synthetic scan (a point cloud as binary PLY and a mesh as binary STL, built by
``benchmarks.scans``), each run is a fresh process that times, with the wall clock and its own
CPU clock (which other work on the machine does not inflate):

- ``make``: ``pipeline.make(scan, load_profile(PROFILE))``, the whole pipeline in-process;
- ``report``: ``report.report_files(result, stem=...)`` right after it, the first report in the
  process (what ``scan2insole make`` pays: matplotlib's import and font set-up included);
- ``report again``: the same call a second time (what a batch worker pays per scan).

The share is report / (make + report). Medians of ``--repeats`` runs are printed as a markdown
table; the load average before and after says how busy the machine was.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.scans import make_scan

N_POINTS = 1_000_000
KINDS = ("cloud-ply", "mesh-stl")


def _child(path: str, profile: str) -> None:
    from scan2insole.pipeline import make
    from scan2insole.profile import load_profile
    from scan2insole.report import report_files

    clocks = []

    def tick() -> None:
        clocks.append((time.perf_counter(), time.process_time()))

    tick()
    result = make(path, load_profile(profile))
    tick()
    files = report_files(result, stem="bench")
    tick()
    report_files(result, stem="bench")
    tick()
    out = {}
    for name, (a, b) in zip(
        ("make", "report", "report_again"), itertools.pairwise(clocks), strict=True
    ):
        out[f"{name}_wall_s"] = b[0] - a[0]
        out[f"{name}_cpu_s"] = b[1] - a[1]
    out["report_bytes"] = sum(len(v) for v in files.values())
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description="time the HTML report against make")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", default="neutral")
    parser.add_argument("--scans", type=Path, default=Path(tempfile.gettempdir()) / "s2i_bench")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.profile)
        return
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(
        "| scan | make wall / cpu s | report wall / cpu s | report again wall / cpu s "
        "| share of make+report (wall / cpu) | report MB |"
    )
    print("|---|---|---|---|---|---|")
    for kind in KINDS:
        scan = make_scan(args.scans, N_POINTS, kind)
        runs = []
        for _ in range(args.repeats):
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.report",
                    "--child",
                    str(scan.path),
                    "--profile",
                    args.profile,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        share_w = med["report_wall_s"] / (med["make_wall_s"] + med["report_wall_s"])
        share_c = med["report_cpu_s"] / (med["make_cpu_s"] + med["report_cpu_s"])
        print(
            f"| {kind} {scan.n_points} pts | {med['make_wall_s']:.2f} / {med['make_cpu_s']:.2f} "
            f"| {med['report_wall_s']:.2f} / {med['report_cpu_s']:.2f} "
            f"| {med['report_again_wall_s']:.2f} / {med['report_again_cpu_s']:.2f} "
            f"| {100 * share_w:.0f} % / {100 * share_c:.0f} % "
            f"| {med['report_bytes'] / 1e6:.2f} |"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
