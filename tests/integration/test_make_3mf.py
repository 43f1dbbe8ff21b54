"""``make --format``: 3MF beside the STL, the same bytes every time, a pair file for one person."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pytest

from scan2insole import __version__
from scan2insole.formats import stl, threemf
from scan2insole.load import load_scan
from tests.conftest import SAMPLE_SCANS

SCAN = SAMPLE_SCANS / "dupontgu_right_foot.stl"
STEM = "dupontgu_right_foot"
FLOAT32_MM = 1e-4
"""STL stores float32: a 300 mm coordinate is rounded by up to 1.5e-5 mm."""


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from click.testing import CliRunner

    from scan2insole.cli import main

    outs = []
    for name in ("a", "b"):
        out = tmp_path_factory.mktemp(name)
        res = CliRunner().invoke(main, ["make", str(SCAN), "-o", str(out)])
        assert res.exit_code == 0, res.stderr
        outs.append(out)
    return outs[0], outs[1]


def test_make_twice_gives_identical_stl_and_3mf_bytes(twice: tuple[Path, Path]) -> None:
    a, b = twice
    names = sorted(p.name for p in a.iterdir())
    assert {f"{STEM}.insole.3mf", f"{STEM}.insole.stl", f"{STEM}.report.json"} <= set(names)
    assert f"{STEM}.report.html" in names  # the clinical report, byte-identical too
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_the_3mf_holds_the_stl_triangles_placed_on_the_bed_with_its_metadata(
    twice: tuple[Path, Path],
) -> None:
    out = twice[0]
    model = threemf.read((out / f"{STEM}.insole.3mf").read_bytes(), name="x.3mf")
    report = json.loads((out / f"{STEM}.report.json").read_text())
    assert report["outputs"]["3mf"] == f"{STEM}.insole.3mf"
    assert model.metadata == {
        "Title": f"{STEM} right insole",
        "Application": f"scan2insole {__version__}",
        "Designer": "scan2insole profile 'neutral'",
        "Description": report["profile"]["values"]["description"] or "profile neutral",
        "scan2insole:scan_sha256": hashlib.sha256(SCAN.read_bytes()).hexdigest(),
    }
    (part,) = model.parts
    raw = load_scan(out / f"{STEM}.insole.stl")
    np.testing.assert_allclose(
        part.vertices_mm[part.faces], raw.vertices[raw.faces], atol=FLOAT32_MM
    )
    # placed on the 250 x 210 mm bed by a turn about z, bottom on the plate
    v, _ = part.placed()
    assert v[:, 2].min() == pytest.approx(0.0, abs=1e-9)
    assert (v[:, :2] >= 0).all() and (v[:, :2] <= [250.0, 210.0]).all()
    m = part.build_from_part
    np.testing.assert_allclose(m[:3, :3] @ m[:3, :3].T, np.eye(3), atol=1e-12)
    assert m[2, 2] == 1.0


def test_trimesh_reads_the_3mf_as_the_stl_in_mm(twice: tuple[Path, Path]) -> None:
    trimesh = pytest.importorskip("trimesh")
    pytest.importorskip("networkx", reason="trimesh's 3MF reader needs networkx")
    pytest.importorskip("lxml", reason="trimesh's 3MF reader needs lxml")
    out = twice[0]
    scene = trimesh.load(io.BytesIO((out / f"{STEM}.insole.3mf").read_bytes()), file_type="3mf")
    assert scene.units == "millimeter"
    (geom,) = scene.geometry.values()
    mesh = trimesh.load(out / f"{STEM}.insole.stl", process=False, force="mesh")
    np.testing.assert_allclose(geom.triangles, mesh.triangles, atol=FLOAT32_MM)


@pytest.mark.parametrize(("fmt", "ext"), [("stl", ".stl"), ("3mf", ".3mf")])
def test_format_picks_what_is_written(run_cli, tmp_path: Path, fmt: str, ext: str) -> None:
    res = run_cli("make", SCAN, "-o", tmp_path, "--format", fmt, "--no-report")
    assert res.exit_code == 0, res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{STEM}.insole{ext}",
        f"{STEM}.report.json",
    ]


def test_an_unknown_format_is_refused_before_any_work(run_cli, tmp_path: Path) -> None:
    res = run_cli("make", SCAN, "-o", tmp_path, "--format", "stl,obj")
    assert res.exit_code == 2
    assert "expected a comma-separated list of stl, 3mf, got 'stl,obj'" in res.stderr
    assert not tmp_path.exists() or list(tmp_path.iterdir()) == []


def test_left_and_right_of_one_person_give_one_pair_3mf(run_cli, tmp_path: Path) -> None:
    from scan2insole.synthetic import FootParams, synthetic_scan

    scans = []
    for side in ("left", "right"):
        params = FootParams(
            foot_length_mm=235.0,
            ball_width_mm=90.0,
            heel_width_mm=62.0,
            dorsal_height_50_mm=60.0,
            side=side,
        )
        scan = synthetic_scan(params, rng=np.random.default_rng(5))
        path = tmp_path / f"anna_{side[0].upper()}.stl"
        path.write_bytes(stl.write_binary(scan.vertices, scan.faces))
        scans.append(path)
    out = tmp_path / "out"
    res = run_cli("make", *scans, "-o", out)
    assert res.exit_code == 0, res.stderr
    assert "anna.pair.3mf: left and right insoles laid out" in res.stderr
    assert "on the 250 x 210 mm bed" in res.stderr
    pair = threemf.read((out / "anna.pair.3mf").read_bytes(), name="anna.pair.3mf")
    assert [p.name for p in pair.parts] == ["anna_L left insole", "anna_R right insole"]
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in scans]
    assert pair.metadata["scan2insole:scan_sha256"] == " ".join(digests)
    for part, side in zip(pair.parts, ("L", "R"), strict=True):
        single = threemf.read((out / f"anna_{side}.insole.3mf").read_bytes(), name="s").parts[0]
        np.testing.assert_array_equal(part.vertices_mm, single.vertices_mm)
        report = json.loads((out / f"anna_{side}.report.json").read_text())
        assert report["outputs"]["pair_3mf"] == "anna.pair.3mf"
    res = run_cli("verify", out / "anna.pair.3mf")
    assert res.exit_code == 0, res.stdout
    assert len(res.stdout.splitlines()) == 2  # one "printable" line a part


@pytest.mark.parametrize(
    ("stems", "sides", "pairs"),
    [
        (["left_foot", "right_foot"], ["left", "right"], [("foot", 0, 1)]),
        (["anna_R", "anna_L", "bo_L"], ["right", "left", "left"], [("anna", 1, 0)]),
        (["Right-scan", "left scan"], ["right", "left"], [("scan", 1, 0)]),
        (["a", "b"], ["left", "right"], []),  # nothing says they are one person
        (["x_left", "x_right"], ["left", "left"], []),  # the anatomy says two left feet
        (["left", "right"], ["left", "right"], [("insoles", 0, 1)]),
    ],
)
def test_pairs_are_two_scans_whose_names_differ_only_in_the_side(
    stems: list[str], sides: list[str], pairs: list[tuple[str, int, int]]
) -> None:
    from scan2insole.cli.make import pairs_of_one_person

    assert pairs_of_one_person(stems, sides) == pairs
