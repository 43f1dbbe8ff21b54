"""The CLI caps numpy's BLAS threads before numpy loads, and keeps a cap the user set."""

from __future__ import annotations

import os
import subprocess
import sys

from scan2insole.cores import THREAD_VARIABLES

PROBE = (
    "import sys; import scan2insole, scan2insole.errors; "
    "assert 'numpy' not in sys.modules, 'numpy loaded before the thread caps'; "
    "import scan2insole.cli, os; print(os.environ['OPENBLAS_NUM_THREADS'])"
)


def _probe(**env: str) -> str:
    base = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env={**base, **env}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_cli_sets_one_blas_thread_before_numpy_loads() -> None:
    assert _probe() == "1"


def test_a_users_thread_count_is_kept() -> None:
    assert _probe(OPENBLAS_NUM_THREADS="2") == "2"
