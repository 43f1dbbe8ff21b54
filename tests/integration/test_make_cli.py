"""``scan2insole make`` end to end: real and bundled scans in, watertight insoles out."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest
import trimesh

from tests.conftest import SAMPLE_SCANS, real_scan

# Issue 3's first tolerance: the insole's footprint is within 5 mm of the foot's length and width.
FOOTPRINT_TOL_MM = 5.0


def _load_stl(path: Path) -> trimesh.Trimesh:
    mesh = trimesh.load(path, process=False, force="mesh")
    mesh.merge_vertices()
    return mesh


def _check_insole(out: Path, stem: str, side: str) -> dict:
    stl = out / f"{stem}.insole.stl"
    report = json.loads((out / f"{stem}.report.json").read_text())
    mesh = _load_stl(stl)
    assert mesh.is_watertight
    assert mesh.is_winding_consistent
    assert mesh.volume > 0
    assert mesh.bounds[0][2] == pytest.approx(0.0, abs=1e-4)  # bottom on the bed
    m = report["measurements"]
    length, width = mesh.extents[0], mesh.extents[1]
    assert abs(length - m["foot_length_mm"]) <= FOOTPRINT_TOL_MM
    assert abs(width - m["ball_width_mm"]) <= FOOTPRINT_TOL_MM
    assert report["frame"]["side"] == side
    assert report["printable"], [c for c in report["print_checks"] if not c["passed"]]
    # a right insole has its medial (arch) side at +y, a left one at -y: the arch fill is
    # the tallest part of the top surface in the midfoot
    mid = mesh.vertices[
        (mesh.vertices[:, 0] > 0.35 * length) & (mesh.vertices[:, 0] < 0.6 * length)
    ]
    top = mid[mid[:, 2] > 2.0]
    arch_y = top[np.argmax(top[:, 2]), 1] - 0.5 * (mesh.bounds[0][1] + mesh.bounds[1][1])
    assert (arch_y > 0) == (side == "right")
    return report


def test_make_on_the_bundled_real_scan(run_cli, tmp_path: Path) -> None:
    res = run_cli("make", SAMPLE_SCANS / "dupontgu_right_foot.stl", "-o", tmp_path)
    assert res.exit_code == 0, res.stderr
    report = _check_insole(tmp_path, "dupontgu_right_foot", "right")
    digest = hashlib.sha256((SAMPLE_SCANS / "dupontgu_right_foot.stl").read_bytes()).hexdigest()
    assert report["input"]["sha256"] == digest
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "dupontgu_right_foot.insole.stl" in names
    assert "dupontgu_right_foot.report.json" in names
    # predictable names only: every output starts with the scan's stem, no temp files left
    assert all(n.startswith("dupontgu_right_foot.") for n in names), names
    # outputs get the mode a plain open() gives (not mkstemp's private 0600)
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "dupontgu_right_foot.insole.stl").stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize(
    ("name", "side"),
    [("left_foot.stl", "left"), ("right_foot.stl", "right"), ("left_foot.obj", "left")],
)
def test_make_on_dupontgu_feet(run_cli, tmp_path: Path, name: str, side: str) -> None:
    scan = real_scan(f"dupontgu_my-feet/{name}")
    res = run_cli("make", scan, "-o", tmp_path)
    assert res.exit_code == 0, res.stderr
    _check_insole(tmp_path, Path(name).stem, side)


def test_left_insole_is_the_mirror_of_the_left_foot_forced_right(run_cli, tmp_path: Path) -> None:
    scan = real_scan("dupontgu_my-feet/left_foot.stl")
    assert run_cli("make", scan, "-o", tmp_path / "l").exit_code == 0
    assert run_cli("make", scan, "-o", tmp_path / "r", "--side", "right").exit_code == 0
    left = _load_stl(tmp_path / "l" / "left_foot.insole.stl")
    right = _load_stl(tmp_path / "r" / "left_foot.insole.stl")
    # forcing the wrong side designs the arch on the wrong edge: the two are not mirror images,
    # but the auto one mirrored has its arch where a right insole has it
    assert np.ptp(left.vertices[:, 0]) == pytest.approx(np.ptp(right.vertices[:, 0]), abs=2.0)


def test_make_twice_gives_identical_bytes(run_cli, tmp_path: Path) -> None:
    scan = SAMPLE_SCANS / "dupontgu_right_foot.stl"
    assert run_cli("make", scan, "-o", tmp_path / "a").exit_code == 0
    assert run_cli("make", scan, "-o", tmp_path / "b").exit_code == 0
    for name in ("dupontgu_right_foot.insole.stl", "dupontgu_right_foot.report.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_existing_output_is_not_overwritten_without_the_flag(run_cli, tmp_path: Path) -> None:
    scan = SAMPLE_SCANS / "dupontgu_right_foot.stl"
    assert run_cli("make", scan, "-o", tmp_path).exit_code == 0
    stl = tmp_path / "dupontgu_right_foot.insole.stl"
    stl.write_bytes(b"keep me")
    res = run_cli("make", scan, "-o", tmp_path)
    assert res.exit_code == 2
    assert "--overwrite" in res.stderr
    assert stl.read_bytes() == b"keep me"
    assert run_cli("make", scan, "-o", tmp_path, "--overwrite").exit_code == 0
    assert stl.read_bytes() != b"keep me"
