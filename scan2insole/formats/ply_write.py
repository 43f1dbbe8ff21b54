"""PLY writing: a mesh or point cloud, binary little-endian or ASCII, the same bytes every time."""

from __future__ import annotations

from typing import Literal

import numpy as np

from scan2insole.formats.ply_header import PLY_TYPES
from scan2insole.formats.polygons import checked_mesh

WRITER_COMMENT = "scan2insole"


def write(
    vertices: np.ndarray,
    faces: np.ndarray | None = None,
    *,
    binary: bool = True,
    dtype: Literal["float64", "float32"] = "float64",
) -> bytes:
    """Write a PLY mesh or point cloud, deterministically.

    Parameters
    ----------
    vertices
        (n, 3) float, any length unit.
    faces
        (m, 3) int indices into ``vertices``; None or empty writes a point cloud (no face
        element).
    binary
        Little-endian binary if True, else ASCII with 17 significant digits for float64 (read
        back exactly) or 9 for float32 (read back within half a float32 step: the text rounds
        to the same float32, while readers keep ASCII values as the decimals written).
    dtype
        Coordinate type: ``float64`` (PLY ``double``) or ``float32`` (PLY ``float``).

    Returns
    -------
    bytes
        The file. Faces are ``property list uchar int vertex_indices``.
    """
    vertices, faces = checked_mesh(vertices, faces)
    if len(vertices) > np.iinfo(np.int32).max:
        raise ValueError(f"{len(vertices)} vertices do not fit PLY int indices")
    if dtype not in ("float64", "float32"):
        raise ValueError(f"dtype must be 'float64' or 'float32', got {dtype!r}")

    ply_type = "double" if dtype == "float64" else "float"
    lines = [
        "ply",
        f"format {'binary_little_endian' if binary else 'ascii'} 1.0",
        f"comment {WRITER_COMMENT}",
        f"element vertex {len(vertices)}",
        *(f"property {ply_type} {axis}" for axis in "xyz"),
    ]
    if len(faces):
        lines += [f"element face {len(faces)}", "property list uchar int vertex_indices"]
    header = ("\n".join([*lines, "end_header"]) + "\n").encode("ascii")
    coordinates = vertices.astype(dtype)
    if binary:
        rows = np.empty(len(faces), dtype=[("n", "u1"), ("corners", "<i4", (3,))])
        rows["n"] = 3
        rows["corners"] = faces
        return header + coordinates.astype("<" + PLY_TYPES[ply_type]).tobytes() + rows.tobytes()
    digits = 17 if dtype == "float64" else 9
    vertex_text = (f"%.{digits}g %.{digits}g %.{digits}g\n" * len(vertices)) % tuple(
        coordinates.astype(np.float64).ravel().tolist()
    )
    face_text = ("3 %d %d %d\n" * len(faces)) % tuple(faces.ravel().tolist())
    return header + (vertex_text + face_text).encode("ascii")
