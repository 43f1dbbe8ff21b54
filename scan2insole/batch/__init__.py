"""Batch: a folder of scans in, insoles out; fast, resumable, nothing lost.

Modules, in the order a batch uses them: ``discover`` (scans by content), ``pairs`` (left/right
pairs), ``job_profiles`` (``profiles.csv`` and sidecar TOML), ``outputs`` (predictable output
names), ``resume`` (what an earlier run proved done), ``plan`` (rows and jobs: a pair is one
job), ``lock`` (one batch per output folder), ``job``, ``worker`` and ``making`` (one job in a
worker process, writing the files ``make`` writes), ``pool`` (processes, time limits, crashes),
``summary`` (``summary.csv`` and ``summary.json``), ``run`` (all of it in order).

``run_batch`` is imported on first use: a worker process imports this package to reach its entry
point, and must be able to set its thread count before numpy is loaded (see ``worker``).
"""

from typing import Any

__all__ = ["DEFAULT_TIMEOUT_S", "BatchReport", "run_batch"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from scan2insole.batch import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
