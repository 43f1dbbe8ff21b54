"""OBJ reading and writing: every face form, negative indices, groups, continuations, point
clouds; and the fan triangulation polygons go through."""

from __future__ import annotations

import numpy as np

from scan2insole.formats import obj
from scan2insole.formats.polygons import fan_triangulate
from tests.meshes import LIMIT, SQUARE, SQUARE_FACES


def read_obj(data: bytes) -> obj.ObjMesh:
    return obj.read(data, name="t.obj", max_elements=LIMIT)


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
