"""PLY, ASCII and binary (both byte orders): read a mesh or point cloud, write deterministically.

Only the ``vertex`` element's ``x``, ``y``, ``z`` and the ``face`` element's ``vertex_indices``
(or ``vertex_index``) list are kept; every other element and property (colour, normals, quality,
alpha, texture lists, edges, materials) is read past and dropped. Polygons are fan-triangulated.
Face and vertex numbers in messages count from 0, as PLY indices do.

This module is the format's public face; the work is done in ``ply_header.py`` (the header),
``ply_binary.py`` and ``ply_ascii.py`` (the two kinds of body, sharing the row walk of
``ply_rows.py``), ``ply_read.py`` (vertices and faces out of them) and ``ply_write.py``.
"""

from __future__ import annotations

from scan2insole.formats.ply_header import BYTE_ORDERS, FACE_LISTS, PLY_TYPES
from scan2insole.formats.ply_read import read
from scan2insole.formats.ply_write import WRITER_COMMENT, write

__all__ = ["BYTE_ORDERS", "FACE_LISTS", "PLY_TYPES", "WRITER_COMMENT", "read", "write"]
