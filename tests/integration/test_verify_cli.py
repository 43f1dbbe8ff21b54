"""``scan2insole verify``: exit 0 printable, 1 with one line per failing check, 2 unreadable."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

from scan2insole.formats import stl, threemf
from tests.conftest import SAMPLE_SCANS
from tests.meshes import slab

CLOUD_PLY = (
    b"ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
    b"property float z\nend_header\n0 0 0\n1 0 0\n0 1 0\n"
)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled scan's insole as STL and 3MF, made once for the module."""
    from click.testing import CliRunner

    from scan2insole.cli import main

    out = tmp_path_factory.mktemp("made")
    res = CliRunner().invoke(
        main, ["make", str(SAMPLE_SCANS / "dupontgu_right_foot.stl"), "-o", str(out)]
    )
    assert res.exit_code == 0, res.stderr
    return out


def _write_stl(path: Path, v: np.ndarray, f: np.ndarray) -> Path:
    path.write_bytes(stl.write_binary(v, f))
    return path


def _thin(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.clip(0.3 + (np.hypot(x - 120.0, y - 40.0) - 6.0) * 0.9, 0.3, 3.0)


def _defect(kind: str) -> tuple[np.ndarray, np.ndarray]:
    if kind == "400mm":
        return slab(400.0, 100.0, 3.0, cell_mm=5.0)
    v, f = slab(200.0, 80.0, _thin if kind == "thin" else 3.0)
    v, f = v.copy(), f.copy()
    if kind == "hole":
        f = np.delete(f, [0, 100 * 40], axis=0)
    elif kind == "flipped":
        f[[0, 500, 1000]] = f[[0, 500, 1000], ::-1]
    elif kind == "crossing":
        k = int(np.argmin(np.hypot(v[:, 0] - 100, v[:, 1] - 40) + 1000 * (v[:, 2] == 0)))
        v[k, 2] = -2.0
    return v, f


@pytest.mark.parametrize(
    ("kind", "line"),
    [
        ("hole", "watertight: 4 open edges (holes) and 0 edges shared by more than two faces"),
        ("flipped", "winding: 9 edges run the same way in both their faces (flipped faces)"),
        ("crossing", "self_intersection: "),
        ("thin", "min_thickness: thinnest 0.30 mm at x "),
        ("400mm", "bed_fit: part 400 x 100 mm does not fit at any turn on a 250 x 210 mm bed"),
    ],
)
def test_each_defect_fails_with_its_own_line(run_cli, tmp_path: Path, kind: str, line: str) -> None:
    path = _write_stl(tmp_path / f"{kind}.stl", *_defect(kind))
    res = run_cli("verify", path)
    assert res.exit_code == 1, res.output
    lines = res.stdout.splitlines()
    mine = [x for x in lines if x.startswith(f"{path}: {line}")]
    assert len(mine) == 1, lines
    assert res.stderr == ""
    if kind in ("hole", "flipped", "thin", "400mm"):
        assert len(lines) == 1, lines  # that defect and nothing else
    if kind == "crossing":
        # the vertex dragged through the bottom also lifts the bed contact: that is reported too
        assert "triangles cross another triangle of the part, first near x" in lines[0]


def test_the_profile_sets_the_limits(run_cli, tmp_path: Path) -> None:
    path = _write_stl(tmp_path / "long.stl", *slab(400.0, 100.0, 3.0, cell_mm=5.0))
    assert run_cli("verify", path).exit_code == 1
    res = run_cli("verify", path, "--set", "printing.bed_x_mm=420")
    assert res.exit_code == 0, res.stdout
    assert (
        res.stdout
        == f"{path}: printable: 400.0 x 100.0 x 3.0 mm as placed, 120.0 cm³, thinnest 3.00 mm\n"
    )


@pytest.mark.parametrize(
    "name", ["dupontgu_right_foot.insole.stl", "dupontgu_right_foot.insole.3mf"]
)
def test_our_insoles_are_printable(run_cli, made: Path, name: str) -> None:
    res = run_cli("verify", made / name, "--json")
    assert res.exit_code == 0, res.stdout
    doc = json.loads(res.stdout)
    assert doc["printable"] is True
    assert doc["unit"] == "millimeter"
    (part,) = doc["parts"]
    assert all(c["passed"] for c in part["checks"])
    report = json.loads((made / "dupontgu_right_foot.report.json").read_text())
    # the same checks as make's report, on the file as written
    assert [c["name"] for c in part["checks"]] == [c["name"] for c in report["print_checks"]]
    assert part["figures"]["volume_mm3"] == pytest.approx(report["insole"]["volume_mm3"], rel=1e-4)
    assert part["figures"]["height_mm"] == pytest.approx(report["insole"]["height_mm"], abs=1e-3)
    assert part["figures"]["min_thickness_mm"] >= 1.5


def _rewrite_in(unit: str, src: Path, dst: Path) -> Path:
    """The same 3MF with its coordinates written in ``unit`` and the model saying so."""
    model = threemf.read(src.read_bytes(), name=src.name)
    scale = threemf.MM_PER_UNIT[unit]
    parts = []
    for p in model.parts:
        m = p.build_from_part.copy()
        m[:3, 3] /= scale
        parts.append(
            threemf.Part(
                name=p.name, vertices_mm=p.vertices_mm / scale, faces=p.faces, build_from_part=m
            )
        )
    data = threemf.write(parts, metadata=model.metadata)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == threemf.MODEL_PATH:
                body = body.replace(b'unit="millimeter"', f'unit="{unit}"'.encode())
            zout.writestr(info, body)
    dst.write_bytes(buf.getvalue())
    return dst


@pytest.mark.parametrize("unit", ["inch", "micron"])
def test_a_3mf_in_inches_or_microns_is_read_at_its_real_size(
    run_cli, made: Path, tmp_path: Path, unit: str
) -> None:
    src = made / "dupontgu_right_foot.insole.3mf"
    path = _rewrite_in(unit, src, tmp_path / f"{unit}.3mf")
    assert f'unit="{unit}"'.encode() in zipfile.ZipFile(path).read(threemf.MODEL_PATH)
    mm = json.loads(run_cli("verify", src, "--json").stdout)["parts"][0]["figures"]
    res = run_cli("verify", path, "--json")
    assert res.exit_code == 0, res.stdout
    doc = json.loads(res.stdout)
    assert doc["unit"] == unit
    got = doc["parts"][0]["figures"]
    for key in ("length_mm", "width_mm", "height_mm", "min_thickness_mm"):
        assert got[key] == pytest.approx(mm[key], abs=1e-3), key
    assert got["volume_mm3"] == pytest.approx(mm["volume_mm3"], rel=1e-6)


def test_a_plate_of_two_parts_is_checked_as_a_plate(run_cli, tmp_path: Path) -> None:
    v, f = slab(200.0, 80.0, 3.0, cell_mm=4.0)

    def part(name: str, y_mm: float) -> threemf.Part:
        m = np.eye(4)
        m[:3, 3] = [25.0, y_mm, 0.0]
        return threemf.Part(name=name, vertices_mm=v, faces=f, build_from_part=m)

    apart = tmp_path / "apart.3mf"
    apart.write_bytes(threemf.write([part("a", 20.0), part("b", 110.0)], metadata={}))
    res = run_cli("verify", apart)
    assert res.exit_code == 0, res.stdout
    assert res.stdout.splitlines()[1].startswith(
        f"{apart}: b: printable: 200.0 x 80.0 x 3.0 mm as placed"
    )
    overlapping = tmp_path / "overlap.3mf"
    overlapping.write_bytes(threemf.write([part("a", 20.0), part("b", 90.0)], metadata={}))
    res = run_cli("verify", overlapping)
    assert res.exit_code == 1
    (line,) = res.stdout.splitlines()
    m = re.fullmatch(
        rf"{re.escape(str(overlapping))}: plate_overlap: parts overlap on the plate: "
        r"a and b \((\d+) mm²\)",
        line,
    )
    assert m, line
    assert 2000 <= int(m.group(1)) <= 2000 + 2 * (200 + 10)  # 200 x 10 mm, give or take a cell


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("missing.stl", None, "no such file"),
        ("empty.stl", b"", "file is empty"),
        ("text.3mf", b"PK\x03\x04 and then nonsense", "not a 3MF file (not a zip archive)"),
        ("cloud.ply", CLOUD_PLY, "holds points but no triangles"),
    ],
)
def test_unreadable_files_exit_2_with_one_line(
    run_cli, tmp_path: Path, name: str, content: bytes | None, says: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    res = run_cli("verify", path)
    assert res.exit_code == 2
    assert res.stdout == ""
    (line,) = res.stderr.splitlines()
    assert line.startswith("scan2insole: error: ")
    assert says in line


def test_a_zip_bomb_exits_2(run_cli, tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("3D/3dmodel.model", b"<model>" + b" " * 100_000_000 + b"</model>")
    path = tmp_path / "bomb.3mf"
    path.write_bytes(buf.getvalue())
    res = run_cli("verify", path)
    assert res.exit_code == 2
    assert "a zip bomb?" in res.stderr
