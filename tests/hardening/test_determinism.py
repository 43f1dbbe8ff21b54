"""Determinism across processes (issue 11): the same scans give byte-identical outputs whatever
the hash seed, the thread counts, the working folder and how the paths are spelled."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from scan2insole.cores import THREAD_VARIABLES
from tests.conftest import SAMPLE_SCANS

HANG_S = 300.0  # two scans under load take ~10-20 s; past this the run is stuck


def test_two_processes_write_identical_bytes(tmp_path: Path) -> None:
    # a right and a left scan of "one person" (names differing by the side word), so the run
    # also writes the pair 3MF with both insoles laid out on one bed
    scans = tmp_path / "scans"
    scans.mkdir()
    shutil.copy(SAMPLE_SCANS / "dupontgu_right_foot.stl", scans / "anna_right.stl")
    shutil.copy(SAMPLE_SCANS / "synthetic_left_cloud.ply", scans / "anna_left.ply")
    runs = {
        # absolute paths, from the scans' folder, one thread, one hash seed
        "a": (
            {"PYTHONHASHSEED": "0", **dict.fromkeys(THREAD_VARIABLES, "1")},
            scans,
            [str(scans / "anna_right.stl"), str(scans / "anna_left.ply"), str(tmp_path / "a")],
        ),
        # relative paths spelled differently, from elsewhere, two threads, another hash seed
        "b": (
            {"PYTHONHASHSEED": "4242", **dict.fromkeys(THREAD_VARIABLES, "2")},
            tmp_path,
            ["scans/./anna_right.stl", "scans/../scans/anna_left.ply", "b"],
        ),
    }
    procs = {}
    for key, (env_changes, cwd, (right, left, out)) in runs.items():
        env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES} | env_changes
        procs[key] = subprocess.Popen(
            [sys.executable, "-m", "scan2insole", "make", right, left, "-o", out],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    for key, proc in procs.items():
        _, err = proc.communicate(timeout=HANG_S)
        assert proc.returncode == 0, (key, err.decode())
    a, b = tmp_path / "a", tmp_path / "b"
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert {"anna.pair.3mf", "anna_left.insole.stl", "anna_right.report.json"} <= set(names)
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    # and nothing in them says where they were made (3MF entries are read inflated)
    for name in names:
        data = (a / name).read_bytes()
        if name.endswith(".3mf"):
            with zipfile.ZipFile(a / name) as zf:
                data = b"".join(zf.read(info) for info in zf.infolist())
        assert str(tmp_path).encode() not in data, name
        assert b"scans" not in data, name
