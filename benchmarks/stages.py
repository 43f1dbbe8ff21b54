"""Time each stage of ``make`` on one scan, in this process, and print the times as JSON.

Run as ``python -m benchmarks.stages SCAN OUT_DIR``. It runs the real ``scan2insole make`` command
in this process, with each stage function wrapped by a timer where its caller looks it up, so what
is timed is exactly what ``make`` runs. Stage names follow docs/DESIGN.md: ``kind`` (foot, foam
or plantar) is counted in clean; verify includes the realized parameters measured back off the
STL; export is the insole's STL, 3MF, JSON report and the atomic write; report is the HTML/PNG
clinical report. Time in no wrapped call is ``other``; start-up is ``import``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

# (module, function name) -> stage; each is patched in the module its caller reads it from
STAGES = {
    ("scan2insole.pipeline", "load_scan"): "load",
    ("scan2insole.intake", "detect_kind"): "clean",
    ("scan2insole.intake", "clean_scan"): "clean",
    ("scan2insole.intake", "frame_foot"): "frame",
    ("scan2insole.pipeline", "analyse_foot"): "analyse",
    ("scan2insole.pipeline", "design_insole"): "design",
    ("scan2insole.pipeline", "build_solid"): "solid",
    ("scan2insole.pipeline", "verify_mesh"): "verify",
    ("scan2insole.pipeline", "measure_realized"): "verify",
    ("scan2insole.pipeline", "orient"): "export",
    ("scan2insole.export", "stl_bytes"): "export",
    ("scan2insole.export", "threemf_bytes"): "export",
    ("scan2insole.export", "json_bytes"): "export",
    ("scan2insole.export", "write_atomically"): "export",
    ("scan2insole.report", "report_files"): "report",
}
STAGE_ORDER = (
    "load",
    "clean",
    "frame",
    "analyse",
    "design",
    "solid",
    "verify",
    "export",
    "report",
)


_depth: dict[str, int] = defaultdict(int)


def _timed(fn: Callable[..., Any], stage: str, times: dict[str, float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _depth[stage] += 1  # a wrapped call inside another of the same stage counts once
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _depth[stage] -= 1
            if _depth[stage] == 0:
                times[stage] += time.perf_counter() - start

    return wrapper


def main(scan: str, out_dir: str) -> dict[str, float]:
    start = time.perf_counter()
    import importlib

    from scan2insole.cli import main as cli

    times: dict[str, float] = defaultdict(float)
    for (module_name, name), stage in STAGES.items():
        module = importlib.import_module(module_name)
        setattr(module, name, _timed(getattr(module, name), stage, times))
    times["import"] = time.perf_counter() - start  # the modules make imports as it runs, too
    begin = time.perf_counter()
    cli(["make", scan, "-o", out_dir, "--overwrite"], standalone_mode=False)
    end = time.perf_counter()
    times["other"] = (end - begin) - sum(times[s] for s in STAGE_ORDER)
    times["pipeline"] = end - begin
    return dict(times)


if __name__ == "__main__":
    json.dump(main(*sys.argv[1:3]), sys.stdout)
