"""``scan2insole batch`` writes what ``make`` writes: per scan STL, 3MF, JSON and the clinical
report with its pictures; per left/right pair the pair 3MF and the pair report; byte for byte.

The inputs: one person's left and right foot in a folder (a pair, one job) and one single scan,
coarse synthetic meshes to keep the reports' drawing the main cost. The batch runs as a real
subprocess (its workers are processes) while ``make`` runs in this process on the same scans.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from scan2insole.formats import stl, threemf
from scan2insole.output_files import scan_output_names
from scan2insole.report.foot import PICTURES
from tests.batch_scans import (
    BATCH_FILES,
    BATCH_LIMIT_S,
    REPO,
    batch_command,
    run_batch,
    summary,
    write_ply,
    write_stl,
)

# ~12 k vertices a foot: a make costs ~1.5 s and a report ~1.3 s on one core
MESH_RESOLUTION_MM = 4.0
FLOAT32_MM = 1e-4  # STL stores float32: a 300 mm coordinate is rounded by up to 1.5e-5 mm
SCANS = {"p/left_foot.stl": "left_foot", "p/right_foot.stl": "right_foot", "single.ply": "single"}
PAIR = "p/foot"  # folder/person: the pair's files are p/foot.pair.*


def _write_scans(src: Path) -> None:
    kw = {"mesh_resolution_mm": MESH_RESOLUTION_MM}
    write_stl(src / "p" / "left_foot.stl", "left", length_mm=250.0, seed=1, **kw)
    write_stl(src / "p" / "right_foot.stl", "right", length_mm=250.0, seed=2, **kw)
    write_ply(src / "single.ply", "right", length_mm=270.0, seed=3, **kw)


def _files(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` but the batch's own (summary, lock), by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in BATCH_FILES
    }


def _expected_names(*, report: bool) -> set[str]:
    """What make writes for these scans, in the batch's folders."""
    names = set()
    for rel, stem in SCANS.items():
        folder = "p/" if rel.startswith("p/") else ""
        names |= {folder + n for n in scan_output_names(stem, report=report).values()}
        if report:
            names |= {f"{folder}{stem}.report_{name}.png" for name in PICTURES}
    names.add(f"{PAIR}.pair.3mf")
    if report:
        names.add(f"{PAIR}.pair.report.html")
        names |= {
            f"{PAIR}.pair.report_{k}.png"
            for k in (
                "pair",
                *(f"{side}_{name}" for side in ("left", "right") for name in PICTURES),
            )
        }
    return names


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(input folder, batch output, make output): the batch runs while make runs here (the
    batch's second worker is idle once the single scan is done, so the two share the cores)."""
    from scan2insole.cli import main

    root = tmp_path_factory.mktemp("batch_outputs")
    src, out, mk = root / "in", root / "out", root / "make"
    _write_scans(src)
    batch = subprocess.Popen(
        batch_command(src, "-o", out, "-j", "2"),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        res = CliRunner().invoke(main, ["make", *(str(src / rel) for rel in SCANS), "-o", str(mk)])
        assert res.exit_code == 0, res.stderr
    finally:
        stdout, stderr = batch.communicate(timeout=BATCH_LIMIT_S)
    assert batch.returncode == 0, stderr
    assert stdout == ""
    return src, out, mk


def test_batch_writes_every_file_make_writes_byte_for_byte(
    made: tuple[Path, Path, Path],
) -> None:
    _, out, mk = made
    files = _files(out)
    assert set(files) == _expected_names(report=True)
    # make writes into one folder; the batch keeps the input's (p/...)
    from_make = {p.name: p.read_bytes() for p in mk.iterdir()}
    assert sorted(Path(name).name for name in files) == sorted(from_make)
    for name, data in files.items():
        assert data == from_make[Path(name).name], name

    # the summary lists every file, with its hash, under the scan it belongs to (the pair's
    # files under both of its scans), so that --resume checks them all
    made_summary = summary(out)
    rows = {row["input"]: row for row in made_summary["scans"]}
    assert sorted(rows) == sorted(SCANS)
    listed = {o["path"]: o["sha256"] for row in rows.values() for o in row["outputs"]}
    assert listed == {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    pair_files = sorted(n for n in files if n.startswith(f"{PAIR}.pair"))
    for rel in ("p/left_foot.stl", "p/right_foot.stl"):
        own = [o["path"] for o in rows[rel]["outputs"] if not o["kind"].startswith("pair_")]
        assert all(p.startswith(f"p/{SCANS[rel]}.") for p in own)
        theirs = sorted(o["path"] for o in rows[rel]["outputs"] if o["kind"].startswith("pair_"))
        assert theirs == pair_files
    assert made_summary["pairs"] == [
        {
            "pair": PAIR,
            "scans": ["p/left_foot.stl", "p/right_foot.stl"],
            "status": "ok",
            "outputs": [o["path"] for o in rows["p/left_foot.stl"]["outputs"][-len(pair_files) :]],
            "note": "",
        }
    ]
    # the JSON of a foot of the pair names the pair 3MF; the single scan's names none
    for rel, stem in SCANS.items():
        folder = "p/" if rel.startswith("p/") else ""
        report = json.loads(files[f"{folder}{stem}.report.json"])
        pair_key = "foot" if folder else None
        assert report["outputs"] == scan_output_names(stem, pair_key=pair_key)
        assert report["input"]["sha256"] == rows[rel]["input_sha256"]

    # the pair 3MF: both insoles, left then right, the meshes of their STLs, both scans' hashes
    model = threemf.read(files[f"{PAIR}.pair.3mf"], name="pair")
    assert [p.name for p in model.parts] == ["left_foot left insole", "right_foot right insole"]
    for part, stem in zip(model.parts, ("left_foot", "right_foot"), strict=True):
        v, f = stl.read_binary(files[f"p/{stem}.insole.stl"], name=stem, max_elements=10**7)
        assert part.faces.shape == f.shape
        np.testing.assert_allclose(part.vertices_mm[part.faces], v[f], atol=FLOAT32_MM)
    assert model.metadata["scan2insole:scan_sha256"] == " ".join(
        rows[rel]["input_sha256"] for rel in ("p/left_foot.stl", "p/right_foot.stl")
    )
    left_x, right_x = (p.vertices_mm[:, 0].max() - p.vertices_mm[:, 0].min() for p in model.parts)
    assert left_x == pytest.approx(right_x, abs=5.0)  # two 250 mm feet: insoles alike in length


def test_no_report_drops_the_html_and_pictures_and_keeps_the_json(
    made: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    src, out, _ = made
    res = run_batch(src, "-o", tmp_path, "-j", "2", "--no-report")
    assert res.returncode == 0, res.stderr
    files = _files(tmp_path)
    assert set(files) == _expected_names(report=False)
    assert not [n for n in files if n.endswith((".html", ".png"))]
    with_report = _files(out)
    for name, data in files.items():
        if name.endswith(".json"):  # the same report, its outputs block without the HTML
            a, b = json.loads(data), json.loads(with_report[name])
            assert a.pop("outputs") == {
                k: v for k, v in b.pop("outputs").items() if k != "report_html"
            }
            assert a == b
        else:
            assert data == with_report[name], name
    assert summary(tmp_path)["pairs"][0]["outputs"] == [f"{PAIR}.pair.3mf"]


def test_resume_after_a_picture_is_lost_redoes_exactly_that_scan(
    made: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    src, out, _ = made
    work = tmp_path / "out"
    shutil.copytree(out, work)
    lost = work / "single.report_heel_section.png"
    good = lost.read_bytes()
    lost.unlink()
    untouched = {work / name: os.stat(work / name).st_ino for name in _files(work)}
    res = run_batch(src, "-o", work, "--resume", "-j", "2")
    assert res.returncode == 0, res.stderr
    rows = {row["input"]: row for row in summary(work)["scans"]}
    assert {k: r["reused"] for k, r in rows.items()} == {
        "p/left_foot.stl": True,
        "p/right_foot.stl": True,
        "single.ply": False,
    }
    assert lost.read_bytes() == good
    assert _files(work) == _files(out)
    # the pair's files and the reused scans' were not rewritten (an atomic write renames a new
    # file, with a new inode, into place)
    for path, inode in untouched.items():
        if not path.name.startswith("single."):
            assert os.stat(path).st_ino == inode, path
