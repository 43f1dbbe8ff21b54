"""PLY reading: a mesh or point cloud's vertices and fan-triangulated faces from any PLY body."""

from __future__ import annotations

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.formats.ply_ascii import read_ascii
from scan2insole.formats.ply_binary import read_binary
from scan2insole.formats.ply_header import FACE_LISTS, parse_header
from scan2insole.formats.polygons import fan_triangulate


def read(data: bytes, *, name: str, max_elements: int) -> tuple[np.ndarray, np.ndarray]:
    """Read a PLY mesh or point cloud.

    Parameters
    ----------
    data
        The whole file.
    name
        How to call the file in error messages.
    max_elements
        Most rows any element of the header may claim.

    Returns
    -------
    vertices : numpy.ndarray
        (n, 3) float64, file units.
    faces : numpy.ndarray
        (m, 3) int64, polygons fan-triangulated in order; (0, 3) for a point cloud.

    Raises
    ------
    ScanError
        For a malformed header, an unknown type, a claim above ``max_elements``, a body that is
        shorter or longer than the header says, a value that is not a number, or a face with
        fewer than 3 corners or a corner outside the vertex list.
    """
    header = parse_header(data, name=name, max_elements=max_elements)
    vertex = next((e for e in header.elements if e.name == "vertex"), None)
    if vertex is None:
        raise ScanError(f"{name}: PLY has no vertex element")
    xyz = tuple(vertex.find((axis,)) for axis in ("x", "y", "z"))
    for axis, index in zip("xyz", xyz, strict=True):
        if index < 0:
            raise ScanError(f"{name}: PLY vertex element has no '{axis}' property")
        if vertex.properties[index].count_type is not None:
            raise ScanError(f"{name}: PLY vertex property '{axis}' is a list, expected a number")
    face = next((e for e in header.elements if e.name == "face"), None)
    corners = -1 if face is None else face.find(FACE_LISTS)
    if face is not None and face.count and corners < 0:
        raise ScanError(
            f"{name}: PLY face element has no 'vertex_indices' (or 'vertex_index') list property"
        )
    if corners >= 0 and face.properties[corners].count_type is None:
        found = face.properties[corners].name
        raise ScanError(f"{name}: PLY face property '{found}' is a number, expected a list")

    wanted = {"vertex": xyz, "face": (corners,) if corners >= 0 else ()}
    if header.byte_order:
        columns = read_binary(data, header, wanted, name=name)
    else:
        columns = read_ascii(data, header, wanted, name=name)

    vertices = np.stack([columns["vertex"][i][1] for i in xyz], axis=1).astype(np.float64)
    if corners < 0 or not face.count:
        return vertices, np.zeros((0, 3), dtype=np.int64)
    counts, indices = columns["face"][corners]
    return vertices, _triangles(counts, indices, n_vertices=len(vertices), name=name)


def _triangles(
    counts: np.ndarray, indices: np.ndarray, *, n_vertices: int, name: str
) -> np.ndarray:
    """Check the face lists and fan-triangulate them into (m, 3) int64."""
    small = np.flatnonzero(counts < 3)
    if len(small):
        raise ScanError(
            f"{name}: PLY face {small[0]} has {counts[small[0]]} corners, expected at least 3"
        )
    outside = (indices < 0) | (indices >= n_vertices)
    if indices.dtype.kind == "f":
        outside |= indices != np.floor(indices)
    if outside.any():
        at = int(np.flatnonzero(outside)[0])
        face = int(np.searchsorted(np.cumsum(counts), at, side="right"))
        value = indices[at].item()
        value = int(value) if float(value).is_integer() else value
        raise ScanError(
            f"{name}: PLY face {face} refers to vertex {value} but the file has "
            f"{n_vertices} vertices"
        )
    return fan_triangulate(indices.astype(np.int64), counts.astype(np.int64))[0]
