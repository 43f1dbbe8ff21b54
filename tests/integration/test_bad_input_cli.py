"""The bad-input contract of ``make``: exit 2, one stderr line, no traceback, no file left."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import pytest

from scan2insole.formats import ply, stl

SAMPLE = Path(__file__).resolve().parents[2] / "sample_scans" / "dupontgu_right_foot.stl"


def _sphere(radius_mm: float) -> tuple[np.ndarray, np.ndarray]:
    import trimesh

    s = trimesh.creation.icosphere(subdivisions=4, radius=radius_mm)
    return np.asarray(s.vertices), np.asarray(s.faces)


def _foot_scaled(factor: float) -> bytes:
    data = SAMPLE.read_bytes()
    n = struct.unpack("<I", data[80:84])[0]
    rec = np.frombuffer(
        data[84:], dtype=np.dtype([("n", "<f4", 3), ("v", "<f4", (3, 3)), ("a", "<u2")]), count=n
    ).copy()
    rec["v"] *= factor
    return data[:84] + rec.tobytes()


def _cases(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a word the one-line message must contain)."""
    cases: dict[str, tuple[Path, bytes | None, str]] = {}
    v, f = _sphere(100.0)
    nan_v = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [np.nan, 0, 1]] * 10, dtype=float) * 100
    cube = np.array([[x, y, z] for x in (0, 200) for y in (0, 200) for z in (0, 200)], float)
    raw = {
        "empty.stl": (b"", "empty"),
        "random.ply": (
            bytes(np.random.default_rng(1).integers(0, 256, 5000, dtype=np.uint8)),
            "ply",
        ),
        "truncated.stl": (SAMPLE.read_bytes()[:3000], "STL"),
        "nan.ply": (ply.write(nan_v, None, binary=False), "NaN"),
        "three_metres.stl": (_foot_scaled(11.0), "foot"),  # 3 m long in metres -> no unit fits
        "three_mm.stl": (_foot_scaled(0.011), "foot"),
        "sphere.stl": (stl.write_binary(v, f), "not a foot"),
        "cube.ply": (ply.write(cube, None), "points"),
    }
    for name, (data, word) in raw.items():
        path = tmp / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        cases[name] = (path, word)
    (tmp / "in" / "folder.stl").mkdir()
    cases["folder.stl"] = (tmp / "in" / "folder.stl", "directory")
    return cases


CASE_NAMES = [
    "empty.stl",
    "random.ply",
    "truncated.stl",
    "nan.ply",
    "three_metres.stl",
    "three_mm.stl",
    "sphere.stl",
    "cube.ply",
    "folder.stl",
]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_bad_input_exits_2_with_one_line_and_no_output(run_cli, tmp_path: Path, name: str) -> None:
    path, word = _cases(tmp_path)[name]
    out = tmp_path / "out"
    out.mkdir()
    res = run_cli("make", path, "-o", out)
    assert res.exit_code == 2, (res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("scan2insole: error: ")
    assert word.lower() in lines[0].lower(), lines[0]
    assert "Traceback" not in res.stderr
    assert list(out.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "locked.stl"
    path.write_bytes(SAMPLE.read_bytes())
    path.chmod(0)
    res = run_cli("make", path, "-o", tmp_path / "out")
    assert res.exit_code == 2
    assert "permission" in res.stderr.lower()


def test_a_failing_scan_among_good_ones_leaves_no_output(run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.stl"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    res = run_cli("make", SAMPLE, bad, "-o", out)
    assert res.exit_code == 2
    assert not out.exists() or list(out.iterdir()) == []
