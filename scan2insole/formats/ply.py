"""PLY, ASCII and binary (both byte orders): read a mesh or point cloud, write deterministically.

Only the ``vertex`` element's ``x``, ``y``, ``z`` and the ``face`` element's ``vertex_indices``
(or ``vertex_index``) list are kept; every other element and property (colour, normals, quality,
alpha, texture lists, edges, materials) is read past and dropped. Polygons are fan-triangulated.
Face and vertex numbers in messages count from 0, as PLY indices do.

Elements whose rows all have the same size are read in one ``np.frombuffer`` (binary) or one
reshape (ASCII). Rows of variable size (polygons of mixed corner counts) are located by a walk
over rows, because each row's start depends on the previous row's list count; the walk touches
one count per list per row and the values are then gathered in bulk.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.formats.polygons import checked_mesh, fan_triangulate
from scan2insole.formats.text import first_bad_line, parse_numbers, quote, size_text

PLY_TYPES = {
    "char": "i1",
    "int8": "i1",
    "uchar": "u1",
    "uint8": "u1",
    "short": "i2",
    "int16": "i2",
    "ushort": "u2",
    "uint16": "u2",
    "int": "i4",
    "int32": "i4",
    "uint": "u4",
    "uint32": "u4",
    "float": "f4",
    "float32": "f4",
    "double": "f8",
    "float64": "f8",
}
"""PLY type names (both spellings of the spec) to numpy type codes without byte order."""
BYTE_ORDERS = {"ascii": "", "binary_little_endian": "<", "binary_big_endian": ">"}
FACE_LISTS = ("vertex_indices", "vertex_index")
"""Names the face element's corner list goes by."""
WRITER_COMMENT = "scan2insole"

_BODY_START = re.compile(rb"[ \t]*(?:\r\n|\n|\r|\Z)")
_STRUCT_CODES = {"i1": "b", "u1": "B", "i2": "h", "u2": "H", "i4": "i", "u4": "I"}
_TRAILING_SPACE = b" \t\r\n\0"


Columns = dict[str, dict[int, tuple[np.ndarray, np.ndarray]]]
"""Per wanted element, per wanted property index: (counts, values); counts are 1 for scalars."""


_EMPTY_COLUMN = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
Wanted = dict[str, tuple[int, ...]]
"""Per element name, the indices of the properties to keep."""


@dataclass(frozen=True, slots=True)
class _Property:
    name: str
    type: str
    """numpy type code without byte order, e.g. ``f4``; the item type for a list."""
    count_type: str | None
    """numpy type code of a list's count; None for a scalar property."""


@dataclass(frozen=True, slots=True)
class _Element:
    name: str
    count: int
    properties: tuple[_Property, ...]

    def find(self, names: tuple[str, ...]) -> int:
        """Index of the first property called one of ``names`` (-1 if none)."""
        return next((i for i, p in enumerate(self.properties) if p.name in names), -1)


@dataclass(frozen=True, slots=True)
class _Header:
    byte_order: str
    """``""`` for ASCII, ``"<"`` or ``">"`` for binary."""
    elements: tuple[_Element, ...]
    body_start: int
    """Byte offset of the first element row."""
    n_lines: int
    """Lines up to and including ``end_header``, to number ASCII body lines in messages."""


@dataclass(frozen=True, slots=True)
class _Rows:
    """Where each property of each row of one element is: ``starts[row, prop]``.

    Positions are byte offsets (binary) or value indices (ASCII); for a list they point at the
    first item and ``counts`` holds its length (1 for a scalar).
    """

    starts: np.ndarray
    counts: np.ndarray


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
    header = _parse_header(data, name=name, max_elements=max_elements)
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
        columns = _read_binary(data, header, wanted, name=name)
    else:
        columns = _read_ascii(data, header, wanted, name=name)

    vertices = np.stack([columns["vertex"][i][1] for i in xyz], axis=1).astype(np.float64)
    if corners < 0 or not face.count:
        return vertices, np.zeros((0, 3), dtype=np.int64)
    counts, indices = columns["face"][corners]
    return vertices, _triangles(counts, indices, n_vertices=len(vertices), name=name)


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


def _parse_header(data: bytes, *, name: str, max_elements: int) -> _Header:
    """Parse and check the header up to ``end_header``."""
    end = data.find(b"\nend_header")
    if end < 0:
        raise ScanError(f"{name}: PLY header has no end_header line")
    after = end + len(b"\nend_header")
    line_break = _BODY_START.match(data, after)
    if line_break is None:
        raise ScanError(f"{name}: PLY end_header line has extra text {quote(data[after:][:40])}")
    body_start = line_break.end()
    try:
        text = data[:end].decode("ascii")
    except UnicodeDecodeError as err:
        raise ScanError(f"{name}: PLY header is not ASCII text") from err

    byte_order: str | None = None
    elements: list[_Element] = []
    properties: list[_Property] = []
    lines = text.split("\n")
    if lines[0].strip() != "ply":
        raise ScanError(f"{name}: PLY header starts with {quote(lines[0].encode())}, not 'ply'")
    for number, line in enumerate(lines[1:], start=2):
        words = line.split()
        keyword = words[0] if words else ""
        if keyword in ("", "comment", "obj_info"):
            continue
        if keyword == "format":
            if len(words) != 3 or words[1] not in BYTE_ORDERS:
                raise ScanError(
                    f"{name}: PLY format line {quote(line.encode())} is not "
                    "'format ascii|binary_little_endian|binary_big_endian 1.0'"
                )
            byte_order = BYTE_ORDERS[words[1]]
        elif keyword == "element":
            if len(words) != 3 or not words[2].isdigit():
                raise ScanError(
                    f"{name}: PLY header line {number}: expected 'element <name> <count>', "
                    f"found {quote(line.encode())}"
                )
            if elements:
                elements[-1] = _with_properties(elements[-1], properties)
            if any(e.name == words[1] for e in elements):
                raise ScanError(
                    f"{name}: PLY header line {number}: element '{words[1]}' is declared twice"
                )
            properties = []
            count = int(words[2])
            if count > max_elements:
                raise ScanError(
                    f"{name}: PLY header claims {count} {_plural(words[1])}, "
                    f"above the limit of {max_elements}"
                )
            elements.append(_Element(name=words[1], count=count, properties=()))
        elif keyword == "property":
            if not elements:
                raise ScanError(f"{name}: PLY header line {number}: property before any element")
            properties.append(_property(words, elements[-1].name, number, line, name=name))
        else:
            raise ScanError(
                f"{name}: PLY header line {number}: expected format, element, property, "
                f"comment or end_header, found {quote(line.encode())}"
            )
    if byte_order is None:
        raise ScanError(f"{name}: PLY header has no format line")
    if elements:
        elements[-1] = _with_properties(elements[-1], properties)
    return _Header(
        byte_order=byte_order,
        elements=tuple(elements),
        body_start=body_start,
        n_lines=data.count(b"\n", 0, body_start),
    )


def _property(words: list[str], element: str, number: int, line: str, *, name: str) -> _Property:
    """One ``property`` header line, checked."""
    is_list = len(words) >= 2 and words[1] == "list"
    if len(words) != (5 if is_list else 3):
        form = (
            "property list <count type> <item type> <name>" if is_list else "property <type> <name>"
        )
        raise ScanError(
            f"{name}: PLY header line {number}: expected '{form}', found {quote(line.encode())}"
        )
    types = words[2:4] if is_list else words[1:2]
    for ply_type in types:
        if ply_type not in PLY_TYPES:
            raise ScanError(f"{name}: {element} property type '{ply_type}' is not a PLY type")
    if is_list and PLY_TYPES[words[2]][0] == "f":
        raise ScanError(
            f"{name}: {element} property '{words[4]}' has list count type '{words[2]}', "
            "expected an integer type"
        )
    return _Property(
        name=words[-1],
        type=PLY_TYPES[types[-1]],
        count_type=PLY_TYPES[words[2]] if is_list else None,
    )


def _with_properties(element: _Element, properties: list[_Property]) -> _Element:
    return _Element(name=element.name, count=element.count, properties=tuple(properties))


def _size(type_code: str | None) -> int:
    """Bytes of a numpy type code; 0 for None (a scalar has no list count)."""
    return 0 if type_code is None else np.dtype(type_code).itemsize


def _plural(element: str) -> str:
    return {"vertex": "vertices", "face": "faces"}.get(element, f"'{element}' elements")


def _read_binary(data: bytes, header: _Header, wanted: Wanted, *, name: str) -> Columns:
    """Read the wanted properties of a binary body, checking its size against the header."""
    order = header.byte_order
    offset = header.body_start
    columns: Columns = {}
    for element in header.elements:
        props = element.properties
        min_row = sum(np.dtype(p.count_type or p.type).itemsize for p in props)
        need = element.count * min_row
        if offset + need > len(data):
            raise ScanError(
                f"{name}: binary PLY header claims {element.count} {_plural(element.name)} "
                f"(at least {size_text(need)} from byte {offset}) but the file has "
                f"{len(data)} bytes"
            )
        keep = wanted.get(element.name, ())
        if element.count == 0:
            columns[element.name] = {i: _EMPTY_COLUMN for i in keep}
            continue
        table, end = _binary_uniform(data, offset, element, order)
        if table is not None:
            columns[element.name] = {i: _uniform_column(table, props[i], i) for i in keep}
        else:
            rows, end = _walk_rows(
                element,
                offset,
                limit=len(data),
                sizes=[(_size(p.count_type), _size(p.type)) for p in props],
                read_count=_binary_count_reader(data, props, order),
                what=f"binary PLY {element.name}",
                name=name,
            )
            columns[element.name] = {
                i: (rows.counts[:, i], _gather_bytes(data, rows, i, order + props[i].type))
                for i in keep
            }
        offset = end
    trailing = data[offset:]
    if trailing.strip(_TRAILING_SPACE):  # a line break or padding after the body is harmless
        raise ScanError(
            f"{name}: binary PLY has {len(trailing)} bytes after the last element the header "
            "declares"
        )
    return columns


def _binary_uniform(
    data: bytes, offset: int, element: _Element, order: str
) -> tuple[np.ndarray | None, int]:
    """Read an element whose rows all have the first row's size; (None, 0) if they do not."""
    fields: list[tuple] = []
    position = offset
    for i, prop in enumerate(element.properties):
        if prop.count_type is None:
            fields.append((f"v{i}", order + prop.type))
            position += np.dtype(prop.type).itemsize
            continue
        count_dtype = np.dtype(order + prop.count_type)
        if position + count_dtype.itemsize > len(data):
            return None, 0
        first = int(np.frombuffer(data, dtype=count_dtype, count=1, offset=position)[0])
        if first < 0:
            return None, 0
        position += count_dtype.itemsize + first * np.dtype(prop.type).itemsize
        if position > len(data):
            return None, 0
        fields += [(f"n{i}", count_dtype), (f"v{i}", order + prop.type, (first,))]
    row = np.dtype(fields)
    if offset + element.count * row.itemsize > len(data):
        return None, 0
    table = np.frombuffer(data, dtype=row, count=element.count, offset=offset)
    for i, prop in enumerate(element.properties):
        if prop.count_type is not None and (table[f"n{i}"] != table[f"n{i}"][0]).any():
            return None, 0
    return table, offset + element.count * row.itemsize


def _uniform_column(table: np.ndarray, prop: _Property, i: int) -> tuple[np.ndarray, np.ndarray]:
    values = table[f"v{i}"]
    if prop.count_type is None:
        return np.ones(len(table), dtype=np.int64), values
    return np.full(len(table), values.shape[1], dtype=np.int64), values.reshape(-1)


def _binary_count_reader(data: bytes, props: tuple[_Property, ...], order: str) -> Callable:
    readers = {
        i: struct.Struct(order + _STRUCT_CODES[p.count_type]).unpack_from
        for i, p in enumerate(props)
        if p.count_type is not None
    }
    return lambda i, position: readers[i](data, position)[0]


def _gather_bytes(data: bytes, rows: _Rows, i: int, dtype: str) -> np.ndarray:
    """Values of property ``i`` at byte positions ``rows`` (lists flattened in row order)."""
    item = np.dtype(dtype)
    starts = _item_positions(rows, i, item.itemsize)
    raw = np.frombuffer(data, dtype=np.uint8)[starts[:, None] + np.arange(item.itemsize)]
    return raw.view(item).reshape(-1)


def _item_positions(rows: _Rows, i: int, step: int) -> np.ndarray:
    """(sum(counts),) int64 positions of every item of property ``i``, in row order."""
    counts = rows.counts[:, i]
    first = np.repeat(rows.starts[:, i], counts)
    within = np.arange(len(first), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return first + within * step


def _read_ascii(data: bytes, header: _Header, wanted: Wanted, *, name: str) -> Columns:
    """Read the wanted properties of an ASCII body, checking its length against the header."""
    body = data[header.body_start :]
    try:
        values = parse_numbers(body)
    except ValueError as err:
        bad, line = first_bad_line(body)
        raise ScanError(
            f"{name}: ASCII PLY line {header.n_lines + bad + 1} holds a value that is not a "
            f"number: {quote(line)}"
        ) from err
    position = 0
    columns: Columns = {}
    for element in header.elements:
        props = element.properties
        need = element.count * len(props)
        if position + need > len(values):
            raise ScanError(
                f"{name}: ASCII PLY header claims {element.count} {_plural(element.name)} "
                f"(at least {need} values) but only {len(values) - position} values are left"
            )
        keep = wanted.get(element.name, ())
        if element.count == 0:
            columns[element.name] = {i: _EMPTY_COLUMN for i in keep}
            continue
        table, width = _ascii_uniform(values, position, element, name=name)
        if table is not None:
            columns[element.name] = {i: _ascii_column(table, props, i) for i in keep}
            position += element.count * width
            continue
        rows, position = _walk_rows(
            element,
            position,
            limit=len(values),
            sizes=[(1 if p.count_type else 0, 1) for p in props],
            read_count=lambda _, at: _whole(values[at], name=name, what="list count"),
            what=f"ASCII PLY {element.name}",
            name=name,
        )
        columns[element.name] = {
            i: (rows.counts[:, i], values[_item_positions(rows, i, 1)]) for i in keep
        }
    if position != len(values):
        raise ScanError(
            f"{name}: ASCII PLY has {len(values) - position} values after the last element the "
            "header declares"
        )
    return columns


def _ascii_uniform(
    values: np.ndarray, position: int, element: _Element, *, name: str
) -> tuple[np.ndarray | None, int]:
    """(count, width) table of an element whose rows all have the first row's width."""
    first: list[int] = []
    width = 0
    for prop in element.properties:
        if prop.count_type is not None:
            if position + width >= len(values):
                return None, 0
            first.append(_whole(values[position + width], name=name, what="list count"))
            width += first[-1]
        width += 1
    if element.count * width + position > len(values):
        return None, 0
    table = values[position : position + element.count * width].reshape(element.count, width)
    at = 0
    for prop in element.properties:
        if prop.count_type is not None:
            if (table[:, at] != table[0, at]).any():
                return None, 0
            at += int(table[0, at])
        at += 1
    return table, width


def _ascii_column(
    table: np.ndarray, props: tuple[_Property, ...], i: int
) -> tuple[np.ndarray, np.ndarray]:
    """(counts, values) of property ``i`` of a uniform ASCII table."""
    at = 0
    for prop in props[:i]:
        at += 1 + (int(table[0, at]) if prop.count_type is not None else 0)
    if props[i].count_type is None:
        return np.ones(len(table), dtype=np.int64), table[:, at]
    count = int(table[0, at])
    counts = np.full(len(table), count, dtype=np.int64)
    return counts, table[:, at + 1 : at + 1 + count].reshape(-1)


def _walk_rows(
    element: _Element,
    start: int,
    *,
    limit: int,
    sizes: list[tuple[int, int]],
    read_count: Callable[[int, int], int],
    what: str,
    name: str,
) -> tuple[_Rows, int]:
    """Locate every property of every row when rows differ in size.

    ``sizes[i]`` is (count size, item size) of property ``i``, count size 0 for a scalar;
    ``read_count(i, position)`` reads the list count of property ``i``. Positions run to
    ``limit`` (bytes or values). Returns the layout and the position after the last row.
    """
    # a Python loop over rows: each row's start depends on the previous row's counts, so this
    # cannot be vectorised; it only runs for lists of mixed lengths, and touches one count per list
    starts = np.empty((element.count, len(sizes)), dtype=np.int64)
    counts = np.ones((element.count, len(sizes)), dtype=np.int64)
    position = start
    for row in range(element.count):
        for i, (count_size, item_size) in enumerate(sizes):
            if count_size:
                if position + count_size > limit:
                    raise ScanError(
                        f"{name}: {what} {row} runs past the end of the file "
                        f"(the header claims {element.count} {_plural(element.name)})"
                    )
                count = read_count(i, position)
                if count < 0:
                    raise ScanError(f"{name}: {what} {row} has a list of {count} items")
                position += count_size
                counts[row, i] = count
                starts[row, i] = position
                position += count * item_size
            else:
                starts[row, i] = position
                position += item_size
        if position > limit:
            raise ScanError(
                f"{name}: {what} {row} runs past the end of the file "
                f"(the header claims {element.count} {_plural(element.name)})"
            )
    return _Rows(starts=starts, counts=counts), position


def _whole(value: float, *, name: str, what: str) -> int:
    """An ASCII value that must be a non-negative whole number (a list count)."""
    if not (np.isfinite(value) and value >= 0 and value == int(value)):
        raise ScanError(f"{name}: ASCII PLY {what} {value:g} is not a whole number >= 0")
    return int(value)


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
