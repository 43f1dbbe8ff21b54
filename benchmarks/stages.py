"""Time each stage of ``make`` on one scan, in this process, and print the times as JSON.

Run as ``python -m benchmarks.stages SCAN OUT_DIR``. The stage functions are timed where
``scan2insole.pipeline`` calls them (each name in its namespace is wrapped by a timer), so what
is timed is exactly what ``make`` runs, whatever the pipeline becomes; the outputs are then
written as ``make`` writes its STL and JSON report. Stage names follow docs/DESIGN.md; ``orient``
(mirroring a left insole back) is counted in export, and time in no wrapped call is ``other``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

STAGES = {
    "load_scan": "load",
    "clean_scan": "clean",
    "frame_foot": "frame",
    "analyse_foot": "analyse",
    "design_insole": "design",
    "build_solid": "solid",
    "verify_mesh": "verify",
    "orient": "export",
}
STAGE_ORDER = ("load", "clean", "frame", "analyse", "design", "solid", "verify", "export")


def _timed(fn: Callable[..., Any], stage: str, times: dict[str, float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            times[stage] += time.perf_counter() - start

    return wrapper


def main(scan: str, out_dir: str) -> dict[str, float]:
    start = time.perf_counter()
    from scan2insole import pipeline
    from scan2insole.export import json_bytes, stl_bytes, write_atomically
    from scan2insole.profile import load_profile

    times: dict[str, float] = defaultdict(float)
    times["import"] = time.perf_counter() - start
    for name, stage in STAGES.items():
        if hasattr(pipeline, name):
            setattr(pipeline, name, _timed(getattr(pipeline, name), stage, times))
    profile = load_profile("neutral")
    begin = time.perf_counter()
    result = pipeline.make(scan, profile)
    t = time.perf_counter()
    stem = Path(scan).stem
    names = {"stl": f"{stem}.insole.stl", "report_json": f"{stem}.report.json"}
    out = Path(out_dir)
    write_atomically(
        {
            out / names["stl"]: stl_bytes(result.insole),
            out / names["report_json"]: json_bytes(pipeline.report_dict(result, outputs=names)),
        },
        overwrite=True,
    )
    end = time.perf_counter()
    times["export"] += end - t
    times["other"] = (end - begin) - sum(times[s] for s in STAGE_ORDER)
    times["pipeline"] = end - begin
    return dict(times)


if __name__ == "__main__":
    json.dump(main(*sys.argv[1:3]), sys.stdout)
