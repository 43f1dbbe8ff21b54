"""Shared fixtures: where the real scans are, a CLI runner, and a helper to run the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parents[1]
REAL_SCANS = REPO.parent / "shared" / "real_scans"
SAMPLE_SCANS = REPO / "sample_scans"


def real_scan(relative: str) -> Path:
    """Path of a scan in ../shared/real_scans, or skip the test with the reason."""
    path = REAL_SCANS / relative
    if not path.exists():
        pytest.skip(f"real scan {relative} not present at {REAL_SCANS}")
    return path


@pytest.fixture
def run_cli():
    """Run ``scan2insole ARGS`` in-process; returns click's Result (stdout, stderr separate)."""
    from scan2insole.cli import main

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run
