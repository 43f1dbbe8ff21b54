"""3MF: deterministic bytes, exact round trip (ours and trimesh's reader), units, hostile files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import numpy as np
import pytest

from scan2insole.errors import ScanError
from scan2insole.formats import threemf
from scan2insole.formats.threemf import MM_PER_UNIT, Part


def _box(size_mm: tuple[float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    """A closed box, corner at the origin, faces counter-clockwise seen from outside."""
    x, y, z = size_mm
    v = np.array(
        [[0, 0, 0], [x, 0, 0], [x, y, 0], [0, y, 0], [0, 0, z], [x, 0, z], [x, y, z], [0, y, z]],
        dtype=np.float64,
    )
    f = np.array([[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4],
                  [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7]])  # fmt: skip
    return v, f


def _turn(deg: float, shift: tuple[float, float, float]) -> np.ndarray:
    a = np.radians(deg)
    m = np.eye(4)
    m[:2, :2] = [[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]
    m[:3, 3] = shift
    return m


def _parts() -> list[Part]:
    rng = np.random.default_rng(7)
    v1, f1 = _box((280.0, 100.0, 12.0))
    v1 = v1 + rng.normal(scale=0.01, size=v1.shape)  # coordinates with every digit used
    v2, f2 = _box((50.0, 40.0, 3.0))
    left = _turn(33.0, (125, 105, 0))
    right = _turn(-90.0, (20, 30, 0))
    return [
        Part(name="left insole", vertices_mm=v1, faces=f1, build_from_part=left),
        Part(name="right <&> insole", vertices_mm=v2, faces=f2, build_from_part=right),
    ]


META = {
    "Title": "test insoles",
    "Application": "scan2insole 0.0.test",
    "Designer": "profile 'neutral'",
    "Description": "total contact",
    "scan2insole:scan_sha256": "ab" * 32,
}


def test_round_trip_gives_back_the_same_floats_faces_placements_and_metadata() -> None:
    parts = _parts()
    model = threemf.read(threemf.write(parts, metadata=META), name="t.3mf")
    assert model.unit == "millimeter"
    assert model.metadata == META
    assert [p.name for p in model.parts] == ["left insole", "right <&> insole"]
    for got, want in zip(model.parts, parts, strict=True):
        np.testing.assert_array_equal(got.vertices_mm, want.vertices_mm)  # bit for bit
        np.testing.assert_array_equal(got.faces, want.faces)
        np.testing.assert_allclose(got.build_from_part, want.build_from_part, atol=1e-12)


def test_same_parts_give_the_same_bytes_with_fixed_dates_order_and_no_uuid() -> None:
    a = threemf.write(_parts(), metadata=META)
    b = threemf.write(_parts(), metadata=META)
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == [
            "[Content_Types].xml",
            "_rels/.rels",
            "3D/3dmodel.model",
        ]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
        model = zf.read("3D/3dmodel.model")
    assert b'unit="millimeter"' in model
    assert b"uuid" not in model.lower()


def test_trimesh_reads_back_the_same_triangles_in_mm() -> None:
    trimesh = pytest.importorskip("trimesh")
    pytest.importorskip("networkx", reason="trimesh's 3MF reader needs networkx")
    pytest.importorskip("lxml", reason="trimesh's 3MF reader needs lxml")
    parts = _parts()
    scene = trimesh.load(io.BytesIO(threemf.write(parts, metadata=META)), file_type="3mf")
    assert scene.units == "millimeter"
    geoms = [scene.geometry[p.name] for p in parts]
    for geom, part in zip(geoms, parts, strict=True):
        np.testing.assert_allclose(geom.triangles, part.vertices_mm[part.faces], atol=1e-9)
    placed = {n: scene.graph[n][0] for n in scene.graph.nodes_geometry}
    for part in parts:
        (node,) = [n for n in placed if scene.graph[n][1] == part.name]
        np.testing.assert_allclose(placed[node], part.build_from_part, atol=1e-9)


@pytest.mark.parametrize("unit", list(MM_PER_UNIT))
def test_every_declared_unit_is_read_in_millimetres(unit: str) -> None:
    parts = _parts()
    scale = MM_PER_UNIT[unit]
    in_unit = []
    for p in parts:
        m = p.build_from_part.copy()
        m[:3, 3] /= scale
        in_unit.append(
            Part(name=p.name, vertices_mm=p.vertices_mm / scale, faces=p.faces, build_from_part=m)
        )
    data = _patch_model(
        threemf.write(in_unit, metadata=META),
        lambda x: x.replace(b'unit="millimeter"', f'unit="{unit}"'.encode()),
    )
    model = threemf.read(data, name="t.3mf")
    assert model.unit == unit
    for got, want in zip(model.parts, parts, strict=True):
        np.testing.assert_allclose(got.vertices_mm, want.vertices_mm, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(got.placed()[0], want.placed()[0], rtol=1e-12, atol=1e-9)
    extent = np.ptp(model.parts[0].vertices_mm, axis=0)
    assert extent[0] == pytest.approx(280.0, abs=0.1)


def test_a_mirroring_placement_reverses_the_faces_so_they_still_face_out() -> None:
    v, f = _box((10.0, 10.0, 10.0))
    m = np.diag([1.0, -1.0, 1.0, 1.0])
    placed_v, placed_f = Part(name="b", vertices_mm=v, faces=f, build_from_part=m).placed()
    tri = placed_v[placed_f]
    volume = np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6
    assert volume == pytest.approx(1000.0)


def test_components_are_flattened_with_their_transforms() -> None:
    v, f = _box((10.0, 20.0, 5.0))
    verts = "".join(f'<vertex x="{x}" y="{y}" z="{z}"/>' for x, y, z in v.tolist())
    tris = "".join(f'<triangle v1="{a}" v2="{b}" v3="{c}"/>' for a, b, c in f.tolist())
    model = (
        f'<?xml version="1.0" encoding="UTF-8"?><model unit="centimeter" xmlns="{threemf.CORE_NS}">'
        f'<resources><object id="1" type="model"><mesh><vertices>{verts}</vertices>'
        f"<triangles>{tris}</triangles></mesh></object>"
        '<object id="2" type="model" name="two boxes"><components>'
        '<component objectid="1"/><component objectid="1" transform="1 0 0 0 1 0 0 0 1 100 0 0"/>'
        '</components></object></resources><build><item objectid="2"/></build></model>'
    )
    (part,) = threemf.read(_zip({"3D/3dmodel.model": model.encode()}), name="c.3mf").parts
    assert part.name == "two boxes"
    assert len(part.faces) == 24
    np.testing.assert_allclose(part.vertices_mm.min(axis=0), [0, 0, 0])
    np.testing.assert_allclose(part.vertices_mm.max(axis=0), [1100.0, 200.0, 50.0])


# ------------------------------------------------------------------------------ hostile files


def _zip(entries: dict[str, bytes], *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compress) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _patch_model(data: bytes, edit: Callable[[bytes], bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    entries["3D/3dmodel.model"] = edit(entries["3D/3dmodel.model"])
    return _zip(entries)


def _one_line_error(data: bytes, match: str) -> str:
    with pytest.raises(ScanError, match=match) as err:
        threemf.read(data, name="bad.3mf")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("bad.3mf: ")
    return message


def test_a_zip_bomb_entry_is_refused_before_it_is_inflated() -> None:
    bomb = _zip({"3D/3dmodel.model": b"<model>" + b" " * 50_000_000 + b"</model>"})
    assert len(bomb) < 200_000
    _one_line_error(bomb, r"inflates \d+ times, above the limit of 200 \(a zip bomb\?\)")


def test_an_entry_above_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    good = threemf.write(_parts(), metadata=META)
    monkeypatch.setattr(threemf, "MAX_ENTRY_BYTES", 1000)
    _one_line_error(good, r"'3D/3dmodel.model' inflates to .* above the limit of 1.0 kB")


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda x: x[: len(x) // 2], r"is not valid XML \(.*line 2"),
        (
            lambda x: b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><model>&a;</model>',
            r"declares a DTD",
        ),
        (lambda x: x.replace(b'unit="millimeter"', b'unit="furlong"'), r"unit 'furlong' is not"),
        (lambda x: x.replace(b'v3="5"', b'v3="99"', 1), r"triangle index outside its 8 vertices"),
        (lambda x: x.replace(b'<item objectid="2"', b'<item objectid="7"'), r"object 7, which"),
        (lambda x: x.replace(b'x="', b'x="nan" q="', 1), r"vertices holds NaN"),
        (lambda x: x.replace(b'y="', b'y="oops', 1), r"missing or non-numeric"),
        (
            lambda x: x[: x.index(b"<build>")] + b"<build></build></model>",
            r"no build items \(nothing to print\)",
        ),
    ],
    ids=["truncated", "dtd", "unit", "index", "object", "nan", "text", "no-build"],
)
def test_broken_models_are_refused_with_one_line(
    edit: Callable[[bytes], bytes], match: str
) -> None:
    _one_line_error(_patch_model(threemf.write(_parts(), metadata=META), edit), match)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"PK\x03\x04 not really a zip", r"not a 3MF file \(not a zip archive\)"),
        (b"solid x\nendsolid x\n", r"not a 3MF file"),
        (_zip({"hello.txt": b"hi"}), r"3MF has no '3D/3dmodel.model' entry"),
    ],
)
def test_non_3mf_files_are_refused_with_one_line(data: bytes, match: str) -> None:
    _one_line_error(data, match)
