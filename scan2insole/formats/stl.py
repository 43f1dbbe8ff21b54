"""STL, binary and ASCII: read into an indexed mesh, write deterministically.

STL stores every triangle with its own three corners, so reading merges corners whose coordinates
are exactly equal (bit for bit, after folding -0.0 into 0.0) to give an indexed mesh, and drops the
triangles that the merge leaves with a repeated corner. Vertices come out in the order of their
first appearance in the file. Stored normals and attribute words are ignored.
"""

from __future__ import annotations

import re

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.formats.polygons import checked_mesh
from scan2insole.formats.text import parse_numbers, quote, size_text

HEADER_BYTES = 80
"""Binary STL: 80 free header bytes, then a little-endian uint32 triangle count."""
RECORD_DTYPE = np.dtype([("normal", "<f4", (3,)), ("corners", "<f4", (3, 3)), ("attribute", "<u2")])
"""One binary STL triangle record: 50 bytes."""
HEADER_TEXT = b"scan2insole binary STL"
"""Fixed header text of written binary STLs (no date or path, so output is byte-deterministic)."""
SOLID_NAME = "scan2insole"

# multipliers of the row hash used to group equal corners (odd 64-bit constants from splitmix64
# and xxhash); a collision only costs an exact lexsort, never a wrong merge
_HASH_MULTIPLIERS = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xC2B2AE3D27D4EB4F),
    np.uint64(0x165667B19E3779F9),
)
_NUMBER = rb"[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|nan|inf(?:inity)?)"
_IS_NUMBER = re.compile(_NUMBER, re.IGNORECASE)
# whole facets, possessively (no backtracking state kept across 10^6 facets); numbers are
# checked here too, so afterwards the only letters in the text are keywords and exponents
_FACETS = re.compile(
    rb"(?:\s*facet\s+normal(?:\s+N){3}\s+outer\s+loop(?:\s+vertex(?:\s+N){3}){3}"
    rb"\s+endloop\s+endfacet)*+\s*".replace(b"N", _NUMBER)
)
_KEYWORDS = (b"endfacet", b"endloop", b"facet", b"normal", b"outer", b"loop", b"vertex")
_FACET_GRAMMAR = (
    (b"facet", b"normal", b"x", b"x", b"x", b"outer", b"loop")
    + (b"vertex", b"x", b"x", b"x") * 3
    + (b"endloop", b"endfacet")
)  # b"x" stands for a number
_FACET_TEXT = (
    "facet normal %.9g %.9g %.9g\n"
    "  outer loop\n"
    "    vertex %.17g %.17g %.17g\n"
    "    vertex %.17g %.17g %.17g\n"
    "    vertex %.17g %.17g %.17g\n"
    "  endloop\n"
    "endfacet\n"
)


def read_binary(data: bytes, *, name: str, max_elements: int) -> tuple[np.ndarray, np.ndarray]:
    """Read a binary STL.

    Parameters
    ----------
    data
        The whole file.
    name
        How to call the file in error messages.
    max_elements
        Most triangles the header may claim.

    Returns
    -------
    vertices : numpy.ndarray
        (n, 3) float64, file units, merged corners in order of first appearance.
    faces : numpy.ndarray
        (m, 3) int64 indices into ``vertices``; no face repeats a vertex.

    Raises
    ------
    ScanError
        When the size does not match the header's triangle count (84 + 50 bytes per triangle),
        the count is above ``max_elements``, or no triangle is left.
    """
    if len(data) < HEADER_BYTES + 4:
        raise ScanError(
            f"{name}: binary STL is {len(data)} bytes, shorter than its "
            f"{HEADER_BYTES + 4}-byte header"
        )
    n_triangles = int.from_bytes(data[HEADER_BYTES : HEADER_BYTES + 4], "little")
    expected = HEADER_BYTES + 4 + RECORD_DTYPE.itemsize * n_triangles
    if expected != len(data):
        raise ScanError(
            f"{name}: binary STL header claims {n_triangles} triangles ({size_text(expected)}) "
            f"but the file has {len(data)} bytes"
        )
    if n_triangles > max_elements:
        raise ScanError(
            f"{name}: binary STL holds {n_triangles} triangles, above the limit of {max_elements}"
        )
    if n_triangles == 0:
        raise ScanError(f"{name}: binary STL holds 0 triangles, expected at least 1")
    records = np.frombuffer(data, dtype=RECORD_DTYPE, count=n_triangles, offset=HEADER_BYTES + 4)
    return _indexed(records["corners"].reshape(-1, 3), name=name, kind="binary")


def read_ascii(data: bytes, *, name: str, max_elements: int) -> tuple[np.ndarray, np.ndarray]:
    """Read an ASCII STL (one or more ``solid`` blocks).

    Parameters
    ----------
    data
        The whole file.
    name
        How to call the file in error messages.
    max_elements
        Most facets the file may hold.

    Returns
    -------
    vertices, faces : numpy.ndarray
        As :func:`read_binary`; coordinates keep the file's decimal precision (float64).

    Raises
    ------
    ScanError
        When a line is not part of a well-formed facet, a value is not a number, or the file
        holds more than ``max_elements`` facets or none.
    """
    # solid/endsolid lines carry free names: blank them, keeping line breaks so lines still count
    body = _without_solid_lines(data)
    if _FACETS.fullmatch(body) is None:
        lowered = _without_solid_lines(data.lower())  # some exporters shout FACET NORMAL
        if _FACETS.fullmatch(lowered) is None:
            further = max(body, lowered, key=lambda text: _FACETS.match(text).end())
            raise ScanError(f"{name}: {_first_bad_facet(further)}")
        body = lowered
    n_facets = body.count(b"endfacet")
    if n_facets > max_elements:
        raise ScanError(
            f"{name}: ASCII STL holds {n_facets} facets, above the limit of {max_elements}"
        )
    if n_facets == 0:
        raise ScanError(f"{name}: ASCII STL holds 0 facets, expected at least 1")
    try:
        values = parse_numbers(_keywords_blanked(body))
    except ValueError:  # a sign left behind by a blanked nan/inf
        values = None
    if values is None or len(values) != 12 * n_facets:
        # nan/inf were blanked with the keywords: remove the keywords by name instead
        numbers = body
        for keyword in _KEYWORDS:
            numbers = numbers.replace(keyword, b" ")
        try:
            values = parse_numbers(numbers)
        except ValueError as err:
            raise ScanError(f"{name}: ASCII STL holds a value that is not a number") from err
    corners = values.reshape(n_facets, 12)[:, 3:].reshape(-1, 3)
    return _indexed(corners, name=name, kind="ASCII")


def write_binary(vertices: np.ndarray, faces: np.ndarray) -> bytes:
    """Write a binary STL, byte-deterministic.

    Parameters
    ----------
    vertices
        (n, 3) float, any length unit (stored as float32).
    faces
        (m, 3) int indices into ``vertices``.

    Returns
    -------
    bytes
        80-byte header ``HEADER_TEXT`` padded with spaces, uint32 count, then per triangle its
        unit normal from the corners (zero for a degenerate triangle), corners, attribute 0.
    """
    corners = _corners(vertices, faces)
    records = np.zeros(len(corners), dtype=RECORD_DTYPE)
    records["normal"] = _unit_normals(corners)
    records["corners"] = corners
    header = HEADER_TEXT.ljust(HEADER_BYTES, b" ")
    return header + len(corners).to_bytes(4, "little") + records.tobytes()


def write_ascii(vertices: np.ndarray, faces: np.ndarray) -> bytes:
    """Write an ASCII STL, deterministic.

    Parameters
    ----------
    vertices
        (n, 3) float, any length unit; written with 17 significant digits, so float64 survives.
    faces
        (m, 3) int indices into ``vertices``.

    Returns
    -------
    bytes
        ``solid scan2insole`` ... ``endsolid scan2insole``, normals as in :func:`write_binary`.
    """
    corners = _corners(vertices, faces)
    normals = _unit_normals(corners).astype(np.float32).astype(np.float64)
    rows = np.concatenate([normals, corners.reshape(-1, 9)], axis=1)
    facets = (_FACET_TEXT * len(rows)) % tuple(rows.ravel().tolist())
    return f"solid {SOLID_NAME}\n{facets}endsolid {SOLID_NAME}\n".encode("ascii")


def _corners(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(m, 3, 3) float64 triangle corners, after checking the writer's arguments."""
    vertices, faces = checked_mesh(vertices, faces)
    return vertices[faces]


def _unit_normals(corners: np.ndarray) -> np.ndarray:
    """(m, 3) float64 unit normals of (m, 3, 3) triangles, right-hand rule; 0 if degenerate."""
    with np.errstate(invalid="ignore"):  # non-finite corners give a NaN length: a zero normal
        cross = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
        length = np.linalg.norm(cross, axis=1, keepdims=True)
        return np.divide(cross, length, out=np.zeros_like(cross), where=length > 0)


def _indexed(corners: np.ndarray, *, name: str, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Merge bit-equal corners ((3m, 3) float32/64) into an indexed mesh, drop degenerate faces."""
    vertices, inverse = _merge_rows(corners)
    faces = inverse.reshape(-1, 3)
    a, b, c = faces.T
    keep = (a != b) & (b != c) & (c != a)
    if not keep.all():
        if not keep.any():
            raise ScanError(
                f"{name}: all {len(faces)} triangles of the {kind} STL repeat a corner, "
                "expected at least one proper triangle"
            )
        faces = faces[keep]
        used = np.zeros(len(vertices), dtype=bool)
        used[faces.ravel()] = True
        faces = (np.cumsum(used) - 1)[faces]
        vertices = vertices[used]
    return vertices, faces


def _merge_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group bit-equal rows.

    Parameters
    ----------
    rows
        (k, 3) float32 or float64.

    Returns
    -------
    unique : numpy.ndarray
        (n, 3) float64 distinct rows in order of first appearance.
    inverse : numpy.ndarray
        (k,) int64 with ``unique[inverse] == rows``.
    """
    # adding 0.0 turns -0.0 into 0.0, so corners that compare equal also have equal bits (a
    # signalling NaN warns here; NaN corners are refused by the caller's caller)
    with np.errstate(invalid="ignore"):
        rows = np.ascontiguousarray(rows + rows.dtype.type(0))
    bits = rows.view(np.uint32 if rows.dtype == np.float32 else np.uint64)
    n = len(rows)
    # a hash of each row in the high bits and the row's index in the low ones: one plain sort
    # (several times faster than an argsort, and than np.unique(axis=0) or a lexsort) groups
    # the rows by hash, each group in first-seen order
    index_bits = max(1, (n - 1).bit_length())
    key = bits[:, 0].astype(np.uint64) * _HASH_MULTIPLIERS[0]
    key ^= bits[:, 1].astype(np.uint64) * _HASH_MULTIPLIERS[1]
    key ^= bits[:, 2].astype(np.uint64) * _HASH_MULTIPLIERS[2]
    key ^= key >> np.uint64(29)
    key >>= np.uint64(index_bits)
    key <<= np.uint64(index_bits)
    key |= np.arange(n, dtype=np.uint64)
    key.sort()
    order = (key & np.uint64((1 << index_bits) - 1)).astype(np.int64)
    key >>= np.uint64(index_bits)
    same = key[1:] == key[:-1]
    # rows of one hash must be equal rows: compared after one gather into sorted order (a
    # random gather per column costs 10x more)
    sorted_bits = bits[order]
    same_row = sorted_bits[1:, 0] == sorted_bits[:-1, 0]
    for c in (1, 2):
        same_row &= sorted_bits[1:, c] == sorted_bits[:-1, c]
    if not same_row[same].all():  # hash collisions: sort those groups' rows exactly
        order = _split_collisions(order, same, same_row, bits)
        sorted_bits = bits[order]
        same_row = (sorted_bits[1:] == sorted_bits[:-1]).all(axis=1)
    same &= same_row
    del key, sorted_bits, same_row
    new_group = np.empty(n, dtype=bool)
    new_group[:1] = True
    np.logical_not(same, out=new_group[1:])
    first_seen = order[new_group]  # groups are in index order: the first is the first seen
    by_first_seen = np.argsort(first_seen)
    rank = np.empty(len(first_seen), dtype=np.int64)
    rank[by_first_seen] = np.arange(len(first_seen))
    # a bool cumsum into the platform int is 4x slower than into a 32-bit one
    index_type = np.int32 if n < 2**31 else np.int64
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = rank[np.cumsum(new_group, dtype=index_type) - 1]
    return rows[first_seen[by_first_seen]].astype(np.float64), inverse


def _split_collisions(
    order: np.ndarray, same_key: np.ndarray, same_row: np.ndarray, bits: np.ndarray
) -> np.ndarray:
    """``order`` with the rows of every hash group holding different rows sorted exactly (by
    their bits, then their index), each group staying where it was."""
    group = np.concatenate(([0], np.cumsum(~same_key)))
    bad = np.unique(group[1:][same_key & ~same_row])
    at = np.flatnonzero(np.isin(group, bad))  # the bad groups' places, in sorted order
    members = order[at]
    exact = np.lexsort((members, *bits[members].T[::-1], group[at]))
    out = order.copy()
    out[at] = members[exact]
    return out


def _without_solid_lines(data: bytes) -> bytes:
    """``data`` with the text of lines starting ``solid`` or ``endsolid`` removed (not the breaks).

    Found with ``bytes.find``, a fast scan; a multiline regex takes 6x longer on a 140 MB file.
    """
    pieces = []
    kept_from = search_from = 0
    while (at := data.find(b"solid", search_from)) >= 0:
        line_start = data.rfind(b"\n", 0, at) + 1
        line_end = data.find(b"\n", at)
        line_end = len(data) if line_end < 0 else line_end
        if data[line_start:at].strip() in (b"", b"end"):
            pieces.append(data[kept_from:line_start])
            kept_from = line_end
        search_from = line_end
    pieces.append(data[kept_from:])
    return b"".join(pieces)


def _keywords_blanked(body: bytes) -> bytes:
    """A checked ASCII STL body with every letter but exponents' ``e`` turned into a space."""
    # comparisons and arithmetic, not a lookup table, masked assignment or np.where: those are
    # 5-10x slower per byte on a 100 MB body
    chars = np.frombuffer(body, dtype=np.uint8)
    letter = (chars >= ord("a")) & (chars <= ord("z"))
    after_number = np.zeros(len(chars), dtype=bool)
    previous = chars[:-1]
    after_number[1:] = ((previous >= ord("0")) & (previous <= ord("9"))) | (previous == ord("."))
    letter &= ~((chars == ord("e")) & after_number)
    # chars - (chars - 32) is a space where letter is 1 (uint8 wraps both ways)
    return (chars - (chars - np.uint8(ord(" "))) * letter.view(np.uint8)).tobytes()


def _first_bad_facet(body: bytes) -> str:
    """Say which line breaks the facet structure of an ASCII STL body (solid lines blanked)."""
    # the possessive pattern always matches a (maybe empty) prefix of whole facets; walk the
    # tokens of the next facet against the grammar to find the line that breaks it
    start = _FACETS.match(body).end()
    line_number = body.count(b"\n", 0, start) + 1
    lines = body[start:].split(b"\n", len(_FACET_GRAMMAR))  # one token a line at worst
    tokens = [(line_number + i, t) for i, line in enumerate(lines) for t in line.split()]
    for expected, (number, token) in zip(_FACET_GRAMMAR, tokens, strict=False):
        if _IS_NUMBER.fullmatch(token) is None if expected == b"x" else token != expected:
            want = "a number" if expected == b"x" else f"'{expected.decode()}'"
            return f"ASCII STL line {number}: expected {want}, found {quote(token)}"
    return f"ASCII STL ends inside the facet starting at line {line_number}"
