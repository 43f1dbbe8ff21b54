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
from scan2insole.formats.polygons import fan_triangulate

LIMIT = 1_000_000

# a unit right triangle and a unit square in z = 0, counter-clockwise seen from +z
SQUARE = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
SQUARE_FACES = np.array([[0, 1, 2], [0, 2, 3]])
TETRA = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
TETRA_FACES = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])

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


# --- STL ---------------------------------------------------------------------------------------


def test_binary_stl_layout_header_count_normals_attribute():
    vertices = np.array([[0.0, 0, 0], [2, 0, 0], [0, 3, 0], [4, 0, 0]])
    faces = np.array([[0, 1, 2], [0, 1, 3]])  # the second is degenerate (collinear)
    data = stl.write_binary(vertices, faces)
    assert len(data) == 84 + 50 * 2
    assert data[:80] == b"scan2insole binary STL" + b" " * 58
    assert struct.unpack_from("<I", data, 80) == (2,)
    records = np.frombuffer(data, dtype=stl.RECORD_DTYPE, offset=84)
    np.testing.assert_array_equal(records["normal"], [[0, 0, 1], [0, 0, 0]])
    np.testing.assert_array_equal(records["corners"][0], vertices[faces[0]])
    np.testing.assert_array_equal(records["attribute"], [0, 0])


def test_ascii_stl_text_holds_normal_and_corners():
    text = stl.write_ascii(SQUARE, SQUARE_FACES).decode()
    lines = text.splitlines()
    assert lines[0] == "solid scan2insole" and lines[-1] == "endsolid scan2insole"
    assert lines[1] == "facet normal 0 0 1"
    assert lines[3:6] == ["    vertex 0 0 0", "    vertex 1 0 0", "    vertex 1 1 0"]
    assert text.count("endfacet") == 2


def test_stl_corners_are_merged_in_order_of_first_appearance():
    corners = np.array(
        [[[5.0, 0, 0], [0, 5, 0], [0, 0, 5]], [[0, 0, 5], [0, 5, 0], [-0.0, 5, 5]]],
        dtype=np.float32,
    )
    data = stl.HEADER_TEXT.ljust(80) + struct.pack("<I", 2)
    for triangle in corners:
        data += struct.pack("<12fH", 0, 0, 0, *triangle.ravel(), 0)
    vertices, faces = stl.read_binary(data, name="t.stl", max_elements=LIMIT)
    np.testing.assert_array_equal(vertices, [[5, 0, 0], [0, 5, 0], [0, 0, 5], [0, 5, 5]])
    np.testing.assert_array_equal(faces, [[0, 1, 2], [2, 1, 3]])
    assert not np.signbit(vertices).any()  # -0.0 folded into 0.0


def test_stl_drops_faces_that_merging_makes_degenerate_and_their_lone_vertices():
    # the second triangle repeats a corner; its third corner (9, 9, 9) appears nowhere else
    text = stl.write_ascii(
        np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [9, 9, 9], [0, 0, 1]]),
        np.array([[0, 1, 2], [0, 0, 3], [0, 1, 4]]),
    )
    vertices, faces = stl.read_ascii(text, name="t.stl", max_elements=LIMIT)
    np.testing.assert_array_equal(vertices, [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    np.testing.assert_array_equal(faces, [[0, 1, 2], [0, 1, 3]])


def test_stl_merge_matches_numpy_unique_on_a_large_shared_mesh():
    rng = np.random.default_rng(3)
    pool = rng.normal(size=(2000, 3)).astype(np.float32)
    faces = np.array([rng.choice(2000, size=3, replace=False) for _ in range(5000)])
    vertices, read_faces = stl.read_binary(
        stl.write_binary(pool, faces), name="t.stl", max_elements=LIMIT
    )
    np.testing.assert_array_equal(vertices[read_faces], pool[faces])
    assert len(vertices) == len(np.unique(faces))


def test_ascii_stl_variants_uppercase_crlf_several_solids_and_numbered_names():
    facet = (
        "FACET NORMAL 0 0 1\r\n OUTER LOOP\r\n  VERTEX {0} 0 0\r\n  VERTEX 0 {0} 0\r\n"
        "  VERTEX 0 0 {0}\r\n ENDLOOP\r\nENDFACET\r\n"
    )
    text = (
        "SOLID part 1 of 2\r\n" + facet.format("1") + "ENDSOLID part 1 of 2\r\n"
        "  solid 2\r\n" + facet.format("+.25E1") + "endsolid 2\r\n"
        "solid\n" + facet.format("2.5e-0").lower() + "endsolid\n"
    ).encode()
    assert detect_format(text, name="x.bin") == "stl-ascii"
    vertices, faces = stl.read_ascii(text, name="t.stl", max_elements=LIMIT)
    np.testing.assert_array_equal(vertices[faces][0], np.eye(3))
    np.testing.assert_array_equal(vertices[faces][1], np.eye(3) * 2.5)
    np.testing.assert_array_equal(faces[2], faces[1])  # same corners: the same vertices


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


# --- OBJ ---------------------------------------------------------------------------------------


def test_obj_every_face_form_negative_indices_and_polygons():
    text = b"""# a comment
mtllib foot.mtl
v 0 0 0
v 1 0 0
v 1 1 0
v 0 1 0
vt 0 0
vt 1 0
vn 0 0 1
usemtl skin
s 1
f 1 2 3
f 1/1 3/2 4/1
f 1//1 2//1 4//1
f 1/1/1 2/2/1 3/1/1 4/2/1
f -4 -3 -2 -1
l 1 2
"""
    mesh = read_obj(text)
    np.testing.assert_array_equal(mesh.vertices, SQUARE)
    np.testing.assert_array_equal(
        mesh.faces,
        [[0, 1, 2], [0, 2, 3], [0, 1, 3], [0, 1, 2], [0, 2, 3], [0, 1, 2], [0, 2, 3]],
    )


def test_obj_negative_indices_count_back_from_the_face_line():
    text = b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf -3 -2 -1\nv 0 0 1\nf -4 -3 -1\n"
    np.testing.assert_array_equal(read_obj(text).faces, [[0, 1, 2], [0, 1, 3]])


def test_obj_groups_are_kept_per_triangle():
    text = b"""v 0 0 0
v 1 0 0
v 1 1 0
v 0 1 0
f 1 2 3
g body
f 1 2 3 4
o helper tights
f 1 3 4
g
f 2 3 4
   g body
f 4 3 2
"""
    mesh = read_obj(text)
    assert mesh.group_names == ("body", "helper tights", "default")
    np.testing.assert_array_equal(mesh.face_groups, [-1, 0, 0, 1, 2, 0])
    assert not mesh.faces.flags.writeable and not mesh.face_groups.flags.writeable


def test_obj_colours_w_leading_blanks_crlf_continuations_and_a_bom():
    text = (
        b"\xef\xbb\xbf  # exported\r\n"
        b"v 0 0 0 1 0.5 0.25\r\n"
        b"\tv 1 0 0 0.5 0.5 0.5\r\n"
        b"v 1 1 0 1.0 # w given\r\n"
        b"v 0 1 \\\r\n 0\r\n"
        b"f 1 2 \\\n 3 4"
    )
    mesh = read_obj(text)
    np.testing.assert_array_equal(mesh.vertices, SQUARE)
    np.testing.assert_array_equal(mesh.faces, SQUARE_FACES)


def test_obj_with_only_vertices_is_a_point_cloud():
    mesh = read_obj(b"v 1 2 3\nv 4 5 6\nvn 0 0 1\nv 7 8 9\n")
    np.testing.assert_array_equal(mesh.vertices, [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert mesh.faces.shape == (0, 3) and mesh.face_groups.shape == (0,)


def test_obj_writer_text():
    assert obj.write(SQUARE[:3], SQUARE_FACES[:1]) == (
        b"# scan2insole\nv 0 0 0\nv 1 0 0\nv 1 1 0\nf 1 2 3\n"
    )


def test_fan_triangulation_keeps_winding_and_source_polygon():
    faces, polygon = fan_triangulate(np.array([7, 8, 9, 1, 2, 3, 4, 5, 6]), np.array([3, 6]))
    np.testing.assert_array_equal(faces, [[7, 8, 9], [1, 2, 3], [1, 3, 4], [1, 4, 5], [1, 5, 6]])
    np.testing.assert_array_equal(polygon, [0, 1, 1, 1, 1])


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


@pytest.mark.parametrize("collide", ["never", "partly", "always"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_stl_corner_merge_is_exact(monkeypatch, collide: str, dtype) -> None:
    """Corners merge by their bits, first-seen order, also when the hash collides (the exact
    sort of the colliding groups), and -0.0 merges with 0.0."""
    if collide == "always":  # every key equal: only the exact row comparison tells rows apart
        monkeypatch.setattr(stl, "_HASH_MULTIPLIERS", (np.uint64(0),) * 3)
    if collide == "partly":  # the key sees x only: rows sharing an x collide, others do not
        monkeypatch.setattr(
            stl, "_HASH_MULTIPLIERS", (np.uint64(0x9E3779B97F4A7C15),) + (np.uint64(0),) * 2
        )
    rng = np.random.default_rng(7)
    distinct = rng.normal(size=(500, 3)).astype(dtype)
    distinct[250:, 0] = distinct[rng.integers(0, 250, 250), 0]  # half share an x with another
    distinct[0] = (0.0, 1.0, 2.0)
    rows = distinct[rng.integers(0, 500, 3000)]
    rows[::97] = (-0.0, 1.0, 2.0)
    unique, inverse = stl._merge_rows(rows)
    assert np.array_equal(unique[inverse], rows.astype(np.float64))
    assert len(np.unique(unique, axis=0)) == len(unique)  # no row twice
    first = [tuple(r) for r in rows.astype(np.float64)]
    order = list(dict.fromkeys(first))  # first-seen order of distinct rows (-0.0 == 0.0)
    assert [tuple(r) for r in unique] == order
