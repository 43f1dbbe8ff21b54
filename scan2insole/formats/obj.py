"""Wavefront OBJ: read vertices, faces and group names; write deterministically.

Read: ``v`` lines (extra values after x y z, such as w or a colour, are dropped), ``f`` lines in
the forms ``a``, ``a/b``, ``a//c``, ``a/b/c`` with negative (relative) indices, polygons
fan-triangulated. ``g`` and ``o`` lines name the group of the faces after them (a MakeHuman model
keeps its body in group ``body``). Texture coordinates, normals, materials, smoothing groups,
lines, points and free-form statements are read past. A file with ``v`` lines only is a point
cloud. Face and line numbers in messages count from 1, as OBJ indices do.

The file is never split into Python lines: lines are classified by their first bytes with numpy,
the ``v`` and ``f`` lines are gathered into one block each and parsed by numpy's number parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.formats.polygons import checked_mesh, fan_triangulate
from scan2insole.formats.text import first_bad_line, parse_numbers, quote, tokens_per_line
from scan2insole.records import frozen_array

IGNORED_STATEMENTS = frozenset(
    b"vt vn vp s l p usemtl mtllib maplib usemap lod shadow_obj trace_obj ctech stech "
    b"cstype deg bmat step curv curv2 surf parm trim hole scrv sp end con mg bevel "
    b"c_interp d_interp".split()
)
"""OBJ statements that carry nothing a foot scan needs (texture, normals, materials, curves)."""
LINES_PER_ELEMENT = 4
"""Most lines an OBJ may hold per ``max_elements``: a mesh has a ``v``, ``vt`` and ``vn`` line
per vertex and about two ``f`` lines, so 4 leaves room; a file of millions of blank or comment
lines is refused before the per-line arrays (~20 bytes a line) are made."""
DEFAULT_GROUP = "default"
"""Name of a ``g`` line that gives none (the OBJ spec's default group)."""
WRITER_COMMENT = b"# scan2insole\n"

_BOM = b"\xef\xbb\xbf"
_LEADING_SPACE = re.compile(rb"^[ \t]+", re.MULTILINE)
_AFTER_SLASH = re.compile(rb"/\S*")
_COMMENT = re.compile(rb"#[^\n]*")
_CHAR = {key: ord(key) for key in "\n #vfntp\t"}


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ObjMesh:
    """What an OBJ file holds: triangles, and the group each triangle was in."""

    vertices: np.ndarray
    """(n, 3) float64, file units."""
    faces: np.ndarray
    """(m, 3) int64, polygons fan-triangulated in file order; (0, 3) for a point cloud."""
    group_names: tuple[str, ...]
    """Distinct ``g``/``o`` names in order of first appearance (a ``g a b`` line names ``a b``)."""
    face_groups: np.ndarray
    """(m,) int64 index into ``group_names`` of the group of each triangle; -1 before any."""

    def __post_init__(self) -> None:
        for field, dtype, shape in (
            ("vertices", np.float64, (None, 3)),
            ("faces", np.int64, (None, 3)),
            ("face_groups", np.int64, (None,)),
        ):
            value = frozen_array(
                getattr(self, field), dtype=dtype, shape=shape, name=field, finite=False
            )
            object.__setattr__(self, field, value)


def read(data: bytes, *, name: str, max_elements: int) -> ObjMesh:
    """Read an OBJ mesh or point cloud.

    Parameters
    ----------
    data
        The whole file.
    name
        How to call the file in error messages.
    max_elements
        Most ``v`` lines, and most ``f`` lines, the file may hold.

    Returns
    -------
    ObjMesh
        Vertices in file units, triangles, and group names.

    Raises
    ------
    ScanError
        For a line that is not an OBJ statement, a value that is not a number, a vertex with
        fewer than 3 values, a face with fewer than 3 corners or a corner that is not a vertex of
        the file, or more than ``max_elements`` vertices or faces.
    """
    text = _normalised(data)
    n_lines = text.count(b"\n")  # every line ends in one after _normalised
    if n_lines > LINES_PER_ELEMENT * max_elements:
        raise ScanError(
            f"{name}: OBJ has {n_lines} lines, above the limit of "
            f"{LINES_PER_ELEMENT * max_elements} ({LINES_PER_ELEMENT} per vertex or face allowed)"
        )
    chars, line_start, line_end = _lines(text)
    if _is_blank(chars[line_start]).any():  # rare: strip indentation, then find lines again
        text = _LEADING_SPACE.sub(b"", text)
        chars, line_start, line_end = _lines(text)
    # every line has at least its "\n", so first is in range; a clipped second/third char belongs
    # to a line whose first char already decided it
    first = chars[line_start]
    second = chars[np.minimum(line_start + 1, len(chars) - 1)]
    third = chars[np.minimum(line_start + 2, len(chars) - 1)]
    is_vertex = (first == _CHAR["v"]) & _is_blank(second)
    is_face = (first == _CHAR["f"]) & _is_blank(second)
    is_skipped = (
        (first == _CHAR["#"])
        | (first == _CHAR["\n"])
        | (
            (first == _CHAR["v"])
            & np.isin(second, [_CHAR["t"], _CHAR["n"], _CHAR["p"]])
            & (_is_blank(third) | (third == _CHAR["\n"]))
        )
    )
    other = np.flatnonzero(~(is_vertex | is_face | is_skipped))
    group_lines, group_statements = _groups(text, other, line_start, line_end, name=name)

    vertex_lines = np.flatnonzero(is_vertex)
    face_lines = np.flatnonzero(is_face)
    for count, what in ((len(vertex_lines), "vertices"), (len(face_lines), "faces")):
        if count > max_elements:
            raise ScanError(f"{name}: OBJ holds {count} {what}, above the limit of {max_elements}")

    vertices = _vertices(chars, vertex_lines, line_start, line_end, name=name)
    # vertices defined before each face line, for negative (relative) indices
    before = np.searchsorted(vertex_lines, face_lines)
    corners, counts = _faces(
        chars, face_lines, line_start, line_end, before, len(vertices), name=name
    )
    faces, polygon = fan_triangulate(corners, counts)

    group_names = tuple(dict.fromkeys(group_statements))
    face_groups = np.full(len(faces), -1, dtype=np.int64)
    if group_names and len(faces):
        name_id = {group: i for i, group in enumerate(group_names)}
        name_of_statement = np.array([name_id[g] for g in group_statements])
        statement = np.searchsorted(group_lines, face_lines[polygon], side="right") - 1
        face_groups = np.where(statement >= 0, name_of_statement[statement], -1)
    return ObjMesh(vertices=vertices, faces=faces, group_names=group_names, face_groups=face_groups)


def write(vertices: np.ndarray, faces: np.ndarray | None = None) -> bytes:
    """Write an OBJ mesh or point cloud, deterministically.

    Parameters
    ----------
    vertices
        (n, 3) float, any length unit; 17 significant digits, so float64 survives.
    faces
        (m, 3) int indices into ``vertices`` (from 0); None or empty writes ``v`` lines only.

    Returns
    -------
    bytes
        ``# scan2insole``, then ``v x y z`` lines, then ``f a b c`` lines (indices from 1).
    """
    vertices, faces = checked_mesh(vertices, faces)
    vertex_text = ("v %.17g %.17g %.17g\n" * len(vertices)) % tuple(vertices.ravel().tolist())
    face_text = ("f %d %d %d\n" * len(faces)) % tuple((faces + 1).ravel().tolist())
    return WRITER_COMMENT + (vertex_text + face_text).encode("ascii")


def _lines(text: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The text as uint8, and where each line starts and ends (at its ``\\n``)."""
    chars = np.frombuffer(text, dtype=np.uint8)
    # int32 positions halve the memory per line (a file of blank lines has a line per 1 byte)
    position = np.int32 if len(text) < 2**31 else np.int64
    line_end = np.flatnonzero(chars == _CHAR["\n"]).astype(position)
    line_start = np.empty_like(line_end)
    line_start[0] = 0
    line_start[1:] = line_end[:-1] + 1
    return chars, line_start, line_end


def _is_blank(chars: np.ndarray) -> np.ndarray:
    """Which of ``chars`` (uint8) are a space or a tab."""
    return (chars == _CHAR[" "]) | (chars == _CHAR["\t"])


def _normalised(data: bytes) -> bytes:
    """The text with ``\\n`` line breaks only, continuations joined, and a final ``\\n``."""
    text = data.removeprefix(_BOM)
    if b"\r" in text:
        text = text.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if b"\\\n" in text:  # a backslash at the end of a line continues it on the next
        text = text.replace(b"\\\n", b" ")
    return text if text.endswith(b"\n") else text + b"\n"


def _groups(
    text: bytes, other: np.ndarray, line_start: np.ndarray, line_end: np.ndarray, *, name: str
) -> tuple[np.ndarray, list[str]]:
    """Check the lines that are not v/f/vt/vn/comment; return the g/o lines and their names."""
    # a Python loop, but only over the rare statements (g, o, s, usemtl, ...), not points or faces
    lines: list[int] = []
    names: list[str] = []
    for i in other.tolist():
        line = text[line_start[i] : line_end[i]]
        words = line.split(None, 1)
        keyword = words[0]
        if keyword in (b"g", b"o"):
            lines.append(i)
            label = words[1].strip() if len(words) > 1 else b""
            names.append(" ".join(label.decode("utf-8", errors="replace").split()) or DEFAULT_GROUP)
        elif keyword in (b"v", b"f"):
            raise ScanError(f"{name}: OBJ line {i + 1}: {quote(line)} has no values")
        elif keyword not in IGNORED_STATEMENTS:
            raise ScanError(f"{name}: OBJ line {i + 1} is not an OBJ statement: {quote(line)}")
    return np.array(lines, dtype=np.int64), names


def _vertices(
    chars: np.ndarray,
    lines: np.ndarray,
    line_start: np.ndarray,
    line_end: np.ndarray,
    *,
    name: str,
) -> np.ndarray:
    """(n, 3) float64 x y z of the ``v`` lines."""
    block = _uncommented(_gather_lines(chars, line_start[lines] + 1, line_end[lines]))
    counts = tokens_per_line(block)
    values = _numbers(block, counts, lines, np.float64, name=name)
    short = np.flatnonzero(counts < 3)
    if len(short):
        line = lines[short[0]] + 1
        raise ScanError(
            f"{name}: OBJ line {line}: vertex has {counts[short[0]]} values, expected x y z"
        )
    if (counts == 3).all():
        return values.reshape(-1, 3)
    return values[(np.cumsum(counts) - counts)[:, None] + np.arange(3)]


def _faces(
    chars: np.ndarray,
    lines: np.ndarray,
    line_start: np.ndarray,
    line_end: np.ndarray,
    vertices_before: np.ndarray,
    n_vertices: int,
    *,
    name: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Corner vertex indices (from 0) of the ``f`` lines, flattened, and corners per face."""
    block = _uncommented(_gather_lines(chars, line_start[lines] + 1, line_end[lines]))
    if b"/" in block:
        block = _AFTER_SLASH.sub(b"", block)  # keep the vertex index of a/b/c, a//c, a/b
    counts = tokens_per_line(block)
    raw = _numbers(block, counts, lines, np.int64, name=name)
    small = np.flatnonzero(counts < 3)
    if len(small):
        face = small[0]
        raise ScanError(
            f"{name}: OBJ face {face + 1} (line {lines[face] + 1}) has {counts[face]} corners, "
            "expected at least 3"
        )
    # a negative index counts back from the last vertex defined before the face's line
    before = np.repeat(vertices_before, counts)
    index = np.where(raw > 0, raw - 1, before + raw)
    bad = (raw == 0) | (index < 0) | (index >= n_vertices)
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        face = int(np.searchsorted(np.cumsum(counts), at, side="right"))
        where = f"OBJ face {face + 1} (line {lines[face] + 1})"
        if raw[at] == 0:
            raise ScanError(f"{name}: {where} refers to vertex 0, but OBJ counts vertices from 1")
        if raw[at] < 0:
            raise ScanError(
                f"{name}: {where} refers to vertex {raw[at]}, but only {before[at]} vertices "
                "come before it"
            )
        raise ScanError(
            f"{name}: {where} refers to vertex {raw[at]} but the file has {n_vertices} vertices"
        )
    return index, counts


def _numbers(
    block: bytes, counts: np.ndarray, lines: np.ndarray, dtype: type, *, name: str
) -> np.ndarray:
    """Parse a gathered block; name the source line of the first bad value."""
    try:
        values = parse_numbers(block, dtype=dtype)
    except ValueError as err:
        raise ScanError(_bad_value(block, lines, dtype, name=name)) from err
    if len(values) != counts.sum():
        raise ScanError(_bad_value(block, lines, dtype, name=name))
    return values


def _bad_value(block: bytes, lines: np.ndarray, dtype: type, *, name: str) -> str:
    """Message naming the first line of a gathered block that does not parse."""
    bad, line = first_bad_line(block, dtype=dtype)
    kind = "an integer" if dtype == np.int64 else "a number"
    return f"{name}: OBJ line {lines[bad] + 1} holds a value that is not {kind}: {quote(line)}"


def _uncommented(block: bytes) -> bytes:
    """The block without trailing ``# ...`` comments (some exporters annotate v/f lines)."""
    return _COMMENT.sub(b"", block) if b"#" in block else block


def _gather_lines(chars: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> bytes:
    """Concatenate ``chars[start:end + 1]`` (each line's text and its ``\\n``) for all lines."""
    if len(starts) == 0:
        return b""
    # +1 where a kept span starts and -1 after it ends: the running sum marks the kept bytes,
    # one byte per byte of memory instead of an index array per byte
    delta = np.zeros(len(chars) + 1, dtype=np.int8)
    delta[starts] = 1
    delta[ends + 1] -= 1
    return chars[np.cumsum(delta[:-1], dtype=np.int8).view(bool)].tobytes()
