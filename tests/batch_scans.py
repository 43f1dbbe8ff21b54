"""Synthetic foot scans written to files, and ``scan2insole batch`` run as a real subprocess
(its workers are processes), for the batch tests."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from scan2insole.formats import ply, stl
from scan2insole.synthetic import Artefacts, scaled_foot_params, synthetic_scan

REPO = Path(__file__).resolve().parents[1]
BATCH_LIMIT_S = 120.0
"""Waiting for a batch must end even if the batch does not."""
BATCH_FILES = ("summary.csv", "summary.json", ".scan2insole-batch.lock")
"""The batch's own files in its output folder."""


def foot(
    side: str, *, length_mm: float = 265.0, seed: int = 0, mesh_resolution_mm: float = 6.0
) -> tuple[np.ndarray, np.ndarray]:
    """(vertices, faces) of a synthetic foot scan, turned and moved, with 0.05 mm noise."""
    params = scaled_foot_params(length_mm, side=side)
    scan = synthetic_scan(
        params,
        Artefacts(
            rotate=True, translate_mm=40.0, noise_mm=0.05, mesh_resolution_mm=mesh_resolution_mm
        ),
        rng=np.random.default_rng(seed),
    )
    return scan.vertices, scan.faces


def write_stl(path: Path, side: str, **kw: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stl.write_binary(*foot(side, **kw)))


def write_ply(path: Path, side: str, **kw: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ply.write(*foot(side, **kw), dtype="float32"))


def batch_command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "scan2insole", "batch", *map(str, args)]


def run_batch(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        batch_command(*args),
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=BATCH_LIMIT_S,
        check=False,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text())


def rows(out: Path) -> dict[str, dict]:
    return {row["input"]: row for row in summary(out)["scans"]}


def files(out: Path) -> list[str]:
    """Every file under ``out``, relative, sorted."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
