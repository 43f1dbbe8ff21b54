"""STL reading and writing: binary and ASCII layout, corner merging (exact, also when the hash
collides), degenerate faces, ASCII variants."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from scan2insole.formats import stl
from scan2insole.formats.detect import detect_format
from tests.unit.test_formats import LIMIT, SQUARE, SQUARE_FACES


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
