"""submesh keeps the faces whose three vertices are kept, renumbered onto the kept points."""

from __future__ import annotations

import numpy as np

from scan2insole.submesh import submesh

# a strip of four triangles over six points, and a loose seventh point
POINTS = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0], [0, 1, 0], [1, 1, 0], [2, 1, 0], [9, 9, 9.0]])
FACES = np.array([[0, 1, 4], [0, 4, 3], [1, 2, 5], [1, 5, 4]])


def test_cutting_a_vertex_drops_its_faces_and_renumbers() -> None:
    keep = np.ones(7, dtype=bool)
    keep[2] = False
    pts, faces = submesh(POINTS, FACES, keep)
    assert len(faces) == 3  # the face through vertex 2 is gone
    # same triangles, by coordinates, as before the cut; the loose point is dropped too
    assert {tuple(map(tuple, pts[f])) for f in faces} == {
        tuple(map(tuple, POINTS[f])) for f in FACES if 2 not in f
    }
    assert len(pts) == 5


def test_loose_points_stay_when_asked() -> None:
    pts, faces = submesh(POINTS, FACES, np.ones(7, dtype=bool), drop_unused=False)
    assert pts is POINTS and faces is FACES  # nothing cut, nothing copied
    pts, faces = submesh(POINTS, FACES, np.ones(7, dtype=bool))
    assert len(pts) == 6 and np.array_equal(pts[faces], POINTS[FACES])


def test_cloud() -> None:
    keep = np.array([True, False] * 3 + [True])
    pts, faces = submesh(POINTS, np.zeros((0, 3), dtype=np.int64), keep)
    assert np.array_equal(pts, POINTS[keep]) and len(faces) == 0
