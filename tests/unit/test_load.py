"""scan2insole.load: the RawScan it returns, one test per rejected-input class, the real scans."""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scan2insole import load
from scan2insole.errors import ScanError
from scan2insole.formats import obj, ply, stl
from scan2insole.load import load_scan, read_scan_bytes

REAL_SCANS = Path(__file__).resolve().parents[2].parent / "shared" / "real_scans"

TETRA = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
TETRA_FACES = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])


def rejected(data: bytes, name: str, **limits: int) -> str:
    """The one-line message ``read_scan_bytes`` rejects ``data`` with."""
    with pytest.raises(ScanError) as caught:
        read_scan_bytes(data, name=name, **limits)
    message = str(caught.value)
    assert "\n" not in message
    return message


def ply_text(header: list[str], body: str = "", fmt: str = "ascii") -> bytes:
    return ("\n".join(["ply", f"format {fmt} 1.0", *header, "end_header", ""]) + body).encode()


XYZ_DOUBLE = [f"property double {a}" for a in "xyz"]


# --- what a good file gives --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (stl.write_binary(TETRA, TETRA_FACES), "stl-binary"),
        (stl.write_ascii(TETRA, TETRA_FACES), "stl-ascii"),
        (ply.write(TETRA, TETRA_FACES), "ply-binary"),
        (ply.write(TETRA, TETRA_FACES, binary=False), "ply-ascii"),
        (obj.write(TETRA, TETRA_FACES), "obj"),
    ],
)
def test_every_format_loads_into_the_same_raw_scan(tmp_path, data, fmt):
    path = tmp_path / "left foot.scan.bin"
    path.write_bytes(data)
    scan = load_scan(path)
    assert scan.format == fmt
    assert scan.name == "left foot.scan"
    assert scan.sha256 == hashlib.sha256(data).hexdigest()
    np.testing.assert_array_equal(scan.vertices[scan.faces], TETRA[TETRA_FACES])
    assert scan.vertices.dtype == np.float64 and scan.faces.dtype == np.int64
    assert not scan.is_point_cloud and not scan.vertices.flags.writeable


def test_point_cloud_loads_with_no_faces():
    scan = read_scan_bytes(ply.write(TETRA), name="cloud.ply")
    assert scan.is_point_cloud and scan.faces.shape == (0, 3)
    np.testing.assert_array_equal(scan.vertices, TETRA)


def test_load_accepts_str_and_pathlike(tmp_path):
    path = tmp_path / "t.obj"
    path.write_bytes(obj.write(TETRA, TETRA_FACES))
    assert load_scan(str(path)).sha256 == load_scan(path).sha256


# --- rejected input: one test per class --------------------------------------------------------


def test_binary_stl_claiming_more_triangles_than_the_file_holds():
    data = b"solid but binary".ljust(80) + struct.pack("<I", 1_000_000_000) + bytes(1200)
    assert rejected(data, "right.stl") == (
        "right.stl: binary STL header claims 1000000000 triangles (50.0 GB) "
        "but the file has 1284 bytes"
    )


def test_truncated_binary_stl():
    data = stl.write_binary(TETRA, TETRA_FACES)[:-10]
    assert rejected(data, "t.stl") == (
        "t.stl: binary STL header claims 4 triangles (284 bytes) but the file has 274 bytes"
    )


def test_empty_file():
    assert rejected(b"", "scan.ply") == "scan.ply: file is empty"


def test_obj_face_referring_past_the_last_vertex():
    lines = [f"v {i} {i % 7} {i % 3}" for i in range(900)]
    lines += ["f 1 2 3"] * 11 + ["f 1 2 905"]
    message = rejected("\n".join(lines).encode(), "scan.obj")
    assert message == (
        "scan.obj: OBJ face 12 (line 912) refers to vertex 905 but the file has 900 vertices"
    )


@pytest.mark.parametrize(
    ("face", "expected"),
    [
        ("f 0 1 2", "OBJ face 1 (line 4) refers to vertex 0, but OBJ counts vertices from 1"),
        ("f -4 1 2", "OBJ face 1 (line 4) refers to vertex -4, but only 3 vertices come before it"),
        ("f 1 2", "OBJ face 1 (line 4) has 2 corners, expected at least 3"),
        ("f 1 2 x", "OBJ line 4 holds a value that is not an integer: '1 2 x'"),
        ("f 1.5 2 3", "OBJ line 4 holds a value that is not an integer: '1.5 2 3'"),
        ("f", "OBJ line 4: 'f' has no values"),
    ],
)
def test_obj_bad_faces(face, expected):
    data = f"v 0 0 0\nv 1 0 0\nv 0 1 0\n{face}\n".encode()
    assert rejected(data, "t.obj") == f"t.obj: {expected}"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("v 1 2", "OBJ line 2: vertex has 2 values, expected x y z"),
        ("v 1 2 three", "OBJ line 2 holds a value that is not a number: '1 2 three'"),
        ("hello world", "OBJ line 2 is not an OBJ statement: 'hello world'"),
        ("v1 2 3", "OBJ line 2 is not an OBJ statement: 'v1 2 3'"),
    ],
)
def test_obj_garbage_lines(line, expected):
    data = f"v 0 0 0\n{line}\nv 1 0 0\nv 0 1 0\n".encode()
    assert rejected(data, "t.obj") == f"t.obj: {expected}"


@pytest.mark.parametrize(
    "data",
    [
        b"hello, this is a text file\nwith two lines\n",
        bytes(range(256)) * 3,
        b"\x00\x01\x02",
        b"   \n\t\n",
    ],
    ids=["text", "binary", "short-binary", "blank"],
)
def test_content_of_no_known_format(data):
    assert rejected(data, "x.ply") == (
        "x.ply: not a mesh or point cloud (no PLY, STL or OBJ content found)"
    )


def test_ply_type_that_is_not_a_ply_type():
    data = ply_text(["element vertex 1", "property float128 x"], "0\n")
    assert rejected(data, "x.ply") == "x.ply: vertex property type 'float128' is not a PLY type"


V3 = ["element vertex 3", *XYZ_DOUBLE]  # header of three vertices ...
TRIANGLE = "0 0 0 1 0 0 0 1 0 "  # ... and their values
FACE = ["element face 1", "property list uchar int vertex_indices"]


@pytest.mark.parametrize(
    ("header", "body", "expected"),
    [
        (
            V3,
            "0 0 0\n1 0 0\n",
            "ASCII PLY header claims 3 vertices (at least 9 values) but only 6 values are left",
        ),
        (V3, TRIANGLE + "5", "ASCII PLY has 1 values after the last element the header declares"),
        (
            V3,
            "0 0 0\n1 0 zero\n0 1 0\n",
            "ASCII PLY line 9 holds a value that is not a number: '1 0 zero'",
        ),
        (V3[:-1], "", "PLY vertex element has no 'z' property"),
        (FACE, "", "PLY has no vertex element"),
        (
            [*V3, "element face 1", "property list float int vertex_indices"],
            "",
            "face property 'vertex_indices' has list count type 'float', expected an integer type",
        ),
        (
            [*V3, "element face 1", "property uchar flags"],
            TRIANGLE + "1",
            "PLY face element has no 'vertex_indices' (or 'vertex_index') list property",
        ),
        (
            V3 + FACE,
            TRIANGLE + "3 0 1 3",
            "PLY face 0 refers to vertex 3 but the file has 3 vertices",
        ),
        (V3 + FACE, TRIANGLE + "2 0 1", "PLY face 0 has 2 corners, expected at least 3"),
        (
            V3 + FACE,
            TRIANGLE + "3 0 1 1.5",
            "PLY face 0 refers to vertex 1.5 but the file has 3 vertices",
        ),
        (V3 + FACE, TRIANGLE + "-3 0 1 2", "ASCII PLY list count -3 is not a whole number >= 0"),
        (
            ["element vertex three"],
            "",
            "PLY header line 3: expected 'element <name> <count>', found 'element vertex three'",
        ),
        (["property double x"], "", "PLY header line 3: property before any element"),
        (
            ["elephant 3"],
            "",
            "PLY header line 3: expected format, element, property, comment or end_header, "
            "found 'elephant 3'",
        ),
    ],
)
def test_malformed_ascii_ply(header, body, expected):
    assert rejected(ply_text(header, body), "t.ply") == f"t.ply: {expected}"


def test_ply_header_problems():
    assert rejected(b"ply\nformat ascii 1.0\nelement vertex 3\n", "t.ply") == (
        "t.ply: PLY header has no end_header line"
    )
    assert rejected(b"ply\nformat binary_middle_endian 1.0\nend_header\n", "t.ply") == (
        "t.ply: PLY format line 'format binary_middle_endian 1.0' is not "
        "'format ascii|binary_little_endian|binary_big_endian 1.0'"
    )
    assert rejected(b"ply\ncomment caf\xe9\nend_header\n", "t.ply") == (
        "t.ply: PLY header is not ASCII text"
    )


def test_truncated_binary_ply():
    data = ply.write(TETRA, TETRA_FACES)
    faces_at = data.index(b"end_header\n") + 11 + 4 * 3 * 8
    assert rejected(data[: faces_at + 2], "t.ply") == (
        f"t.ply: binary PLY header claims 4 faces (at least 4 bytes from byte {faces_at}) "
        f"but the file has {faces_at + 2} bytes"
    )
    assert rejected(data[:-30], "t.ply") == (
        "t.ply: binary PLY face 1 runs past the end of the file (the header claims 4 faces)"
    )
    assert rejected(data[:-5], "t.ply") == (
        "t.ply: binary PLY face 3 runs past the end of the file (the header claims 4 faces)"
    )
    assert rejected(data + b"\x01\x02", "t.ply") == (
        "t.ply: binary PLY has 2 bytes after the last element the header declares"
    )


def test_binary_ply_face_referring_past_the_last_vertex():
    data = ply.write(TETRA, TETRA_FACES)
    broken = data[:-4] + struct.pack("<i", 7)
    assert rejected(broken, "t.ply") == (
        "t.ply: PLY face 3 refers to vertex 7 but the file has 4 vertices"
    )


FACET_START = "solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            FACET_START + "vertex 1 0 0\nendloop\n",
            "ASCII STL line 6: expected 'vertex', found 'endloop'",
        ),
        (FACET_START + "vertex 1 0 0\n", "ASCII STL ends inside the facet starting at line 2"),
        (
            FACET_START + "vertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nhello\n",
            "ASCII STL line 9: expected 'facet', found 'hello'",
        ),
        (
            FACET_START + "vertex 1 0 oops\nvertex 0 1 0\nendloop\nendfacet\n",
            "ASCII STL line 5: expected a number, found 'oops'",
        ),
        ("solid x\nendsolid x\n", "ASCII STL holds 0 facets, expected at least 1"),
    ],
)
def test_malformed_ascii_stl(text, expected):
    assert rejected(text.encode(), "t.stl") == f"t.stl: {expected}"


def test_stl_without_proper_triangles():
    header = stl.HEADER_TEXT.ljust(80)
    assert rejected(header + struct.pack("<I", 0), "t.stl") == (
        "t.stl: binary STL holds 0 triangles, expected at least 1"
    )
    flat = stl.write_binary(np.zeros((3, 3)), [[0, 1, 2]])
    assert rejected(flat, "t.stl") == (
        "t.stl: all 1 triangles of the binary STL repeat a corner, "
        "expected at least one proper triangle"
    )


def test_header_claims_above_max_elements_are_refused_before_reading():
    # a claim of 10^12 rows would need terabytes if anything were allocated from it
    huge = ply_text(["element vertex 1000000000000", *XYZ_DOUBLE], fmt="binary_little_endian")
    assert rejected(huge, "t.ply") == (
        "t.ply: PLY header claims 1000000000000 vertices, above the limit of 20000000"
    )
    small = ply_text(["element vertex 3000", *XYZ_DOUBLE], fmt="binary_little_endian")
    assert rejected(small, "t.ply") == (
        f"t.ply: binary PLY header claims 3000 vertices (at least 72.0 kB from byte {len(small)}) "
        f"but the file has {len(small)} bytes"
    )
    assert rejected(ply.write(TETRA, TETRA_FACES), "t.ply", max_elements=3) == (
        "t.ply: PLY header claims 4 vertices, above the limit of 3"
    )
    assert rejected(stl.write_binary(TETRA, TETRA_FACES), "t.stl", max_elements=3) == (
        "t.stl: binary STL holds 4 triangles, above the limit of 3"
    )
    assert rejected(stl.write_ascii(TETRA, TETRA_FACES), "t.stl", max_elements=3) == (
        "t.stl: ASCII STL holds 4 facets, above the limit of 3"
    )
    assert rejected(obj.write(TETRA, TETRA_FACES), "t.obj", max_elements=3) == (
        "t.obj: OBJ holds 4 vertices, above the limit of 3"
    )


@pytest.mark.parametrize(
    ("write", "name"),
    [
        (lambda v: ply.write(v, TETRA_FACES), "t.ply"),
        (lambda v: ply.write(v, binary=False), "t.ply"),
        (lambda v: obj.write(v), "t.obj"),
        (lambda v: stl.write_binary(v, TETRA_FACES), "t.stl"),
        (lambda v: stl.write_ascii(v, TETRA_FACES).replace(b"inf", b"INF"), "t.stl"),
    ],
    ids=["ply-binary", "ply-ascii", "obj", "stl-binary", "stl-ascii"],
)
def test_nan_or_infinite_coordinates_are_rejected_not_dropped(write, name):
    vertices = TETRA.copy()
    vertices[1, 2] = np.nan
    vertices[3, 0] = -np.inf
    assert rejected(write(vertices), name) == (
        f"{name}: 2 vertices have NaN or infinite coordinates (of 4), expected finite numbers"
    )


def test_fewer_than_three_vertices():
    assert rejected(b"v 0 0 0\nv 1 1 1\n", "t.obj") == (
        "t.obj: holds 2 vertices, expected at least 3 for a mesh or point cloud"
    )
    assert rejected(b"# exported by nothing\n", "t.obj") == (
        "t.obj: holds 0 vertices, expected at least 3 for a mesh or point cloud"
    )


def test_file_system_problems(tmp_path, monkeypatch):
    folder = tmp_path / "x"
    folder.mkdir()
    with pytest.raises(ScanError, match=r"^.*x: is a directory$"):
        load_scan(folder)
    with pytest.raises(ScanError, match=r"^.*nope\.stl: no such file$"):
        load_scan(tmp_path / "nope.stl")
    big = tmp_path / "big.stl"
    big.write_bytes(stl.write_binary(TETRA, TETRA_FACES))
    with pytest.raises(
        ScanError, match=r"big\.stl: file is 284 bytes, above the limit of 100 bytes$"
    ):
        load_scan(big, max_file_bytes=100)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(load, "open", refuse, raising=False)
    with pytest.raises(ScanError, match=r"big\.stl: permission denied$"):
        load_scan(big)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(obj.write(TETRA))
    path.chmod(0)
    with pytest.raises(ScanError, match=r"x: permission denied$"):
        load_scan(path)


def test_a_bug_is_not_a_scan_error():
    # a wrong argument type is the caller's bug: it must crash, not read as "bad scan"
    with pytest.raises(TypeError):
        read_scan_bytes("v 0 0 0", name="t.obj")  # type: ignore[arg-type]


CORPUS = {
    "t.stl": stl.write_binary(TETRA, TETRA_FACES),
    "a.stl": stl.write_ascii(TETRA, TETRA_FACES),
    "b.ply": ply.write(TETRA, TETRA_FACES),
    "a.ply": ply.write(TETRA, TETRA_FACES, binary=False),
    "t.obj": obj.write(TETRA, TETRA_FACES).replace(b"f 1 2 3", b"f 1/1 -3/2/3 4//1"),
}


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(CORPUS)),
    cut=st.integers(0, 400),
    edits=st.lists(st.tuples(st.integers(0, 399), st.integers(0, 255)), max_size=4),
)
def test_damaged_files_give_a_scan_or_a_scan_error_never_another_exception(name, cut, edits):
    data = bytearray(CORPUS[name][:cut])
    for at, value in edits:
        if at < len(data):
            data[at] = value
    try:
        scan = read_scan_bytes(bytes(data), name=name)
    except ScanError as err:
        assert "\n" not in str(err) and str(err).startswith(f"{name}: ")
    else:
        assert np.isfinite(scan.vertices).all() and len(scan.vertices) >= 3
        assert scan.faces.size == 0 or scan.faces.max() < len(scan.vertices)


# --- real scans --------------------------------------------------------------------------------

REAL = [
    ("dupontgu_my-feet/left_foot.obj", "obj", 6388, 12772),
    ("dupontgu_my-feet/right_foot.obj", "obj", 6380, 12756),
    ("dupontgu_my-feet/left_foot.stl", "stl-binary", 6388, 12772),
    ("dupontgu_my-feet/right_foot.stl", "stl-binary", 6380, 12756),
    ("ollieboyne_focus_find-template/template.obj", "obj", 44395, 88786),
    ("makehuman_base-mesh_NOT-A-SCAN/base.obj", "obj", 19158, 36972),
]


def real(relative: str) -> Path:
    path = REAL_SCANS / relative
    if not path.is_file():
        pytest.skip(f"real scan {relative} is not in {REAL_SCANS}")
    return path


@pytest.mark.parametrize(("relative", "fmt", "n_vertices", "n_faces"), REAL)
def test_real_scans_load_with_known_counts(relative, fmt, n_vertices, n_faces):
    scan = load_scan(real(relative))
    assert (scan.format, len(scan.vertices), len(scan.faces)) == (fmt, n_vertices, n_faces)
    assert scan.faces.max() == n_vertices - 1 and np.isfinite(scan.vertices).all()


@pytest.mark.parametrize("side", ["left", "right"])
def test_real_stl_is_the_triangulated_obj(side):
    # the author converted each OBJ to STL: same triangles in the same order, float32-rounded
    from_obj = load_scan(real(f"dupontgu_my-feet/{side}_foot.obj"))
    from_stl = load_scan(real(f"dupontgu_my-feet/{side}_foot.stl"))
    triangles = from_obj.vertices[from_obj.faces]
    np.testing.assert_allclose(from_stl.vertices[from_stl.faces], triangles, rtol=0, atol=1e-7)
    # metres: a foot is about 0.27 m long
    assert 0.2 < np.ptp(from_obj.vertices, axis=0).max() < 0.35


def test_makehuman_groups_are_available():
    mesh = obj.read(
        real("makehuman_base-mesh_NOT-A-SCAN/base.obj").read_bytes(),
        name="base.obj",
        max_elements=load.MAX_ELEMENTS,
    )
    assert len(mesh.group_names) == 139  # 172 g lines, some names repeated
    assert mesh.group_names[:2] == ("body", "helper-tights")
    body = mesh.faces[mesh.face_groups == mesh.group_names.index("body")]
    assert len(body) == 26756  # 13378 quads
