"""The report's ``realized`` block: ``make -p pronation`` on the bundled real scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_SCANS


def test_make_reports_what_the_insole_really_has(run_cli, tmp_path: Path) -> None:
    scan = SAMPLE_SCANS / "dupontgu_right_foot.stl"
    res = run_cli("make", scan, "-o", tmp_path, "-p", "pronation", "--set", "heel_cup.depth_mm=20")
    assert res.exit_code == 0, res.stderr
    report = json.loads((tmp_path / "dupontgu_right_foot.report.json").read_text())
    realized = report["realized"]
    assert realized["rearfoot_post_deg"]["asked"] == 4.0
    assert realized["rearfoot_post_deg"]["realized"] == pytest.approx(4.0, abs=0.5)
    assert realized["heel_cup_depth_mm"]["asked"] == 20.0  # --set reaches the realized block
    for name in ("medial_skive_mm", "arch_extra_height_mm", "length_mm", "base_thickness_mm"):
        entry = realized[name]
        assert entry["within"] is True, (name, entry)
        assert entry["error"] == pytest.approx(entry["realized"] - entry["asked"], abs=2e-4)
    assert realized["min_thickness_mm"]["bound"] == "at_least"
    assert all(e["within"] is not False for e in realized.values())


def test_the_report_with_realized_is_byte_identical_twice(run_cli, tmp_path: Path) -> None:
    scan = SAMPLE_SCANS / "dupontgu_right_foot.stl"
    for out in ("a", "b"):
        assert run_cli("make", scan, "-o", tmp_path / out, "-p", "supination").exit_code == 0
    name = "dupontgu_right_foot.report.json"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
