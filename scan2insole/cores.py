"""How many cores this process may use (the default for batch workers and report drawing), and
the variables that cap the threads of numpy's BLAS."""

from __future__ import annotations

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
"""The environment variables that cap numpy's BLAS / OpenMP threads, read when numpy loads."""


def usable_cores() -> int:
    """The cores this process may run on (taskset, a container's cpuset), not the machine's:
    ``os.cpu_count`` counts every core even where only one may be used."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
