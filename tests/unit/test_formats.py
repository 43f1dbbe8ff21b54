"""scan2insole.formats: writers and readers round-trip, every supported variant reads right.

Files are generated in code (no committed binaries). Error messages are tested through
``read_scan_bytes`` in ``test_load.py``.
"""

from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scan2insole.formats import obj, ply, stl
from scan2insole.formats.detect import detect_format
from tests.meshes import LIMIT, SQUARE, SQUARE_FACES, TETRA, TETRA_FACES

coordinates = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)


@st.composite
def meshes(draw: st.DrawFn, *, width: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Small random meshes: distinct vertices, faces of 3 distinct indices.

    ``width=32`` draws float32-exact coordinates, for the float32 formats.
    """
    value = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False, width=width)
    # distinct rows (0.0 == -0.0 counts as equal), since STL merges equal corners
    rows = draw(st.lists(st.tuples(value, value, value), min_size=3, max_size=25, unique=True))
    corner = st.integers(0, len(rows) - 1)
    faces = draw(st.lists(st.lists(corner, min_size=3, max_size=3, unique=True), max_size=30))
    return np.array(rows, dtype=np.float64), np.array(faces, dtype=np.int64).reshape(-1, 3)


clouds = st.integers(1, 40).flatmap(lambda n: hnp.arrays(np.float64, (n, 3), elements=coordinates))


def read_ply(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    return ply.read(data, name="t.ply", max_elements=LIMIT)


def read_obj(data: bytes) -> obj.ObjMesh:
    return obj.read(data, name="t.obj", max_elements=LIMIT)


# --- round trips -------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(mesh=meshes(), binary=st.booleans())
def test_ply_round_trip_keeps_vertices_and_faces_exactly(mesh, binary):
    vertices, faces = mesh
    read_vertices, read_faces = read_ply(ply.write(vertices, faces, binary=binary))
    np.testing.assert_array_equal(read_vertices, vertices)
    np.testing.assert_array_equal(read_faces, faces)


@settings(max_examples=40, deadline=None)
@given(mesh=meshes(), binary=st.booleans())
def test_ply_float32_round_trip_keeps_float32_values(mesh, binary):
    vertices, faces = mesh
    read_vertices, read_faces = read_ply(ply.write(vertices, faces, binary=binary, dtype="float32"))
    stored = vertices.astype(np.float32)
    if binary:
        np.testing.assert_array_equal(read_vertices, stored.astype(np.float64))
    else:  # 9 significant digits: the decimal text rounds back to the same float32
        np.testing.assert_array_equal(read_vertices.astype(np.float32), stored)
    np.testing.assert_array_equal(read_faces, faces)


@settings(max_examples=40, deadline=None)
@given(cloud=clouds, binary=st.booleans())
def test_ply_point_cloud_round_trip(cloud, binary):
    data = ply.write(cloud, None, binary=binary)
    assert b"element face" not in data
    read_vertices, read_faces = read_ply(data)
    np.testing.assert_array_equal(read_vertices, cloud)
    assert read_faces.shape == (0, 3)


@settings(max_examples=60, deadline=None)
@given(mesh=meshes())
def test_obj_round_trip_keeps_vertices_and_faces_exactly(mesh):
    vertices, faces = mesh
    read = read_obj(obj.write(vertices, faces))
    np.testing.assert_array_equal(read.vertices, vertices)
    np.testing.assert_array_equal(read.faces, faces)
    assert read.group_names == ()
    np.testing.assert_array_equal(read.face_groups, np.full(len(faces), -1))


@settings(max_examples=40, deadline=None)
@given(cloud=clouds)
def test_obj_point_cloud_round_trip(cloud):
    read = read_obj(obj.write(cloud))
    np.testing.assert_array_equal(read.vertices, cloud)
    assert read.faces.shape == (0, 3)


@settings(max_examples=60, deadline=None)
@given(mesh=meshes(width=32))
def test_binary_stl_round_trip_keeps_float32_triangles_in_order(mesh):
    vertices, faces = mesh
    if not len(faces):
        return  # an STL without triangles is refused (tested in test_load)
    read_vertices, read_faces = stl.read_binary(
        stl.write_binary(vertices, faces), name="t.stl", max_elements=LIMIT
    )
    np.testing.assert_array_equal(read_vertices[read_faces], vertices[faces])
    # indexed: each distinct corner once, every vertex used
    assert len(read_vertices) == len(np.unique(faces))
    assert len(np.unique(read_vertices, axis=0)) == len(read_vertices)


@settings(max_examples=40, deadline=None)
@given(mesh=meshes())
def test_ascii_stl_round_trip_keeps_float64_triangles_in_order(mesh):
    vertices, faces = mesh
    if not len(faces):
        return
    read_vertices, read_faces = stl.read_ascii(
        stl.write_ascii(vertices, faces), name="t.stl", max_elements=LIMIT
    )
    np.testing.assert_array_equal(read_vertices[read_faces], vertices[faces])


@pytest.mark.parametrize(
    "write",
    [
        lambda v, f: stl.write_binary(v, f),
        lambda v, f: stl.write_ascii(v, f),
        lambda v, f: ply.write(v, f),
        lambda v, f: ply.write(v, f, binary=False),
        lambda v, f: ply.write(v, f, dtype="float32"),
        lambda v, f: obj.write(v, f),
    ],
    ids=["stl-binary", "stl-ascii", "ply-binary", "ply-ascii", "ply-float32", "obj"],
)
def test_writers_are_deterministic_and_do_not_depend_on_array_layout(write):
    rng = np.random.default_rng(7)
    vertices = rng.normal(size=(50, 3))
    faces = rng.integers(0, 50, size=(80, 3))
    first = write(vertices, faces)
    again = write(np.asfortranarray(vertices.copy()), faces.astype(np.int32))
    assert first == again


# --- PLY ---------------------------------------------------------------------------------------


def ply_bytes(fmt: str, header: list[str], body: bytes) -> bytes:
    lines = ["ply", f"format {fmt} 1.0", "comment made by a test", *header, "end_header"]
    return ("\n".join(lines) + "\n").encode() + body


@pytest.mark.parametrize("order", ["<", ">"])
def test_binary_ply_either_byte_order_with_extra_properties_of_every_type(order):
    fmt = "binary_little_endian" if order == "<" else "binary_big_endian"
    vertex = np.zeros(
        4,
        dtype=[
            ("red", "u1"), ("x", order + "f8"), ("alpha", "i1"), ("y", order + "f8"),
            ("q", order + "i2"), ("z", order + "f8"), ("c", order + "u2"), ("n", order + "i4"),
            ("k", order + "u4"), ("w", order + "f4"),
        ],
    )  # fmt: skip
    vertex["x"], vertex["y"], vertex["z"] = TETRA.T
    face = np.zeros(
        4,
        dtype=[("cnt", "u1"), ("idx", order + "u4", (3,)), ("quality", order + "f4"),
               ("tc", "u1"), ("uv", order + "f4", (6,))],
    )  # fmt: skip
    face["cnt"], face["idx"], face["tc"] = 3, TETRA_FACES, 6
    header = [
        "element vertex 4",
        "property uchar red",
        "property double x",
        "property char alpha",
        "property float64 y",
        "property short quality",
        "property double z",
        "property ushort c",
        "property int n",
        "property uint32 k",
        "property float w",
        "element face 4",
        "property list uint8 uint vertex_indices",
        "property float quality",
        "property list uchar float texcoord",
    ]
    vertices, faces = read_ply(ply_bytes(fmt, header, vertex.tobytes() + face.tobytes()))
    np.testing.assert_array_equal(vertices, TETRA)
    np.testing.assert_array_equal(faces, TETRA_FACES)


@pytest.mark.parametrize("count_type", ["uchar", "char", "ushort", "short", "uint", "int"])
@pytest.mark.parametrize("index_type", ["int", "uint", "short", "ushort", "int32", "uint8"])
def test_binary_ply_any_list_count_and_index_types(count_type, index_type):
    count_code, index_code = ply.PLY_TYPES[count_type], ply.PLY_TYPES[index_type]
    face = np.zeros(2, dtype=[("n", "<" + count_code), ("i", "<" + index_code, (3,))])
    face["n"], face["i"] = 3, SQUARE_FACES
    header = [
        "element vertex 4",
        *(f"property float {a}" for a in "xyz"),
        "element face 2",
        f"property list {count_type} {index_type} vertex_index",
    ]
    body = SQUARE.astype("<f4").tobytes() + face.tobytes()
    vertices, faces = read_ply(ply_bytes("binary_little_endian", header, body))
    np.testing.assert_array_equal(vertices, SQUARE)
    np.testing.assert_array_equal(faces, SQUARE_FACES)


PENTAGON_AND_TRIANGLE = (
    np.array([[0.0, 0, 0], [2, 0, 0], [3, 1, 0], [1, 2, 0], [-1, 1, 0], [0, -1, 0]]),
    [[0, 1, 2, 3, 4], [0, 5, 1]],
    np.array([[0, 1, 2], [0, 2, 3], [0, 3, 4], [0, 5, 1]]),
)


def test_binary_ply_mixed_polygons_are_walked_and_fan_triangulated():
    vertices, polygons, triangles = PENTAGON_AND_TRIANGLE
    # face rows of different sizes, with a scalar after the list and an element in between
    body = vertices.astype("<f8").tobytes() + struct.pack("<3B", 1, 2, 3)
    for polygon in polygons:
        body += struct.pack(f"<H{len(polygon)}iB", len(polygon), *polygon, 7)
    header = [
        "element vertex 6",
        *(f"property double {a}" for a in "xyz"),
        "element edge 1",
        "property uchar a",
        "property uchar b",
        "property uchar c",
        "element face 2",
        "property list ushort int vertex_indices",
        "property uchar flags",
    ]
    read_vertices, faces = read_ply(ply_bytes("binary_little_endian", header, body))
    np.testing.assert_array_equal(read_vertices, vertices)
    np.testing.assert_array_equal(faces, triangles)


def test_ascii_ply_mixed_polygons_extra_properties_crlf_and_obj_info():
    vertices, polygons, triangles = PENTAGON_AND_TRIANGLE
    header = [
        "obj_info from a scanner",
        "element vertex 6",
        "property float x",
        "property float y",
        "property float z",
        "property uchar red",
        "property list uchar float extra",
        "element face 2",
        "property uchar tag",
        "property list uchar int vertex_indices",
        "element material 1",
        "property float shine",
    ]
    rows = [f"{x:g} {y:g} {z:g} 255 2 0.5 0.25" for x, y, z in vertices]
    rows += [f"9 {len(p)} " + " ".join(map(str, p)) for p in polygons] + ["0.7"]
    data = ply_bytes("ascii", header, ("\n".join(rows) + "\n").encode()).replace(b"\n", b"\r\n")
    read_vertices, faces = read_ply(data)
    np.testing.assert_array_equal(read_vertices, vertices)
    np.testing.assert_array_equal(faces, triangles)


def test_ascii_ply_quads_uniform_fast_path():
    rows = ["0 0 0", "1 0 0", "1 1 0", "0 1 0", "4 0 1 2 3", "4 3 2 1 0"]
    header = ["element vertex 4", *(f"property float {a}" for a in "xyz"), "element face 2"]
    header.append("property list uchar int vertex_indices")
    vertices, faces = read_ply(ply_bytes("ascii", header, "\n".join(rows).encode()))
    np.testing.assert_array_equal(vertices, SQUARE)
    np.testing.assert_array_equal(faces, [[0, 1, 2], [0, 2, 3], [3, 2, 1], [3, 1, 0]])


def test_ply_vertices_only_is_a_point_cloud_even_with_an_empty_face_element():
    header = ["element vertex 3", *(f"property double {a}" for a in "xyz"), "element face 0"]
    header.append("property list uchar int vertex_indices")
    vertices, faces = read_ply(ply_bytes("binary_little_endian", header, TETRA[:3].tobytes()))
    np.testing.assert_array_equal(vertices, TETRA[:3])
    assert faces.shape == (0, 3) and faces.dtype == np.int64


def test_ply_writer_header_is_fixed_text():
    data = ply.write(SQUARE, SQUARE_FACES, dtype="float32")
    header = data[: data.index(b"end_header\n") + 11].decode().splitlines()
    assert header == [
        "ply",
        "format binary_little_endian 1.0",
        "comment scan2insole",
        "element vertex 4",
        "property float x",
        "property float y",
        "property float z",
        "element face 2",
        "property list uchar int vertex_indices",
        "end_header",
    ]
    assert len(data) == len("\n".join(header)) + 1 + 4 * 12 + 2 * 13


# --- detection ---------------------------------------------------------------------------------


def test_detection_uses_content_not_extension():
    binary_stl = stl.write_binary(TETRA, TETRA_FACES)
    solid_header = b"solid looks like ASCII".ljust(80) + binary_stl[80:]
    assert detect_format(ply.write(TETRA, TETRA_FACES), name="scan.stl") == "ply-binary"
    assert detect_format(ply.write(TETRA, binary=False), name="scan.stl") == "ply-ascii"
    assert detect_format(binary_stl, name="scan.ply") == "stl-binary"
    assert detect_format(solid_header, name="scan.stl") == "stl-binary"
    assert detect_format(stl.write_ascii(TETRA, TETRA_FACES), name="a.obj") == "stl-ascii"
    assert detect_format(obj.write(TETRA, TETRA_FACES), name="scan.stl") == "obj"
    assert detect_format(b"# only\n# comments\nvt 0 0\nv 1 2 3\n", name="x") == "obj"


def test_detection_breaks_ties_with_the_extension():
    truncated = stl.write_binary(TETRA, TETRA_FACES)[:-7]
    assert detect_format(truncated, name="scan.STL") == "stl-binary"
    assert detect_format(b"# nothing but a comment\n", name="scan.obj") == "obj"
