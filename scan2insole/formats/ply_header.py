"""PLY header: the type names, and the parsed and checked list of elements and their properties."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scan2insole.errors import ScanError
from scan2insole.formats.text import quote

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

_BODY_START = re.compile(rb"[ \t]*(?:\r\n|\n|\r|\Z)")


@dataclass(frozen=True, slots=True)
class Property:
    """One ``property`` line of an element: a number or a list."""

    name: str
    type: str
    """numpy type code without byte order, e.g. ``f4``; the item type for a list."""
    count_type: str | None
    """numpy type code of a list's count; None for a scalar property."""


@dataclass(frozen=True, slots=True)
class Element:
    """One ``element`` line: its name, how many rows the header claims, its properties."""

    name: str
    count: int
    properties: tuple[Property, ...]

    def find(self, names: tuple[str, ...]) -> int:
        """Index of the first property called one of ``names`` (-1 if none)."""
        return next((i for i, p in enumerate(self.properties) if p.name in names), -1)


@dataclass(frozen=True, slots=True)
class Header:
    """What the header says about the body: its encoding, its elements and where it starts."""

    byte_order: str
    """``""`` for ASCII, ``"<"`` or ``">"`` for binary."""
    elements: tuple[Element, ...]
    body_start: int
    """Byte offset of the first element row."""
    n_lines: int
    """Lines up to and including ``end_header``, to number ASCII body lines in messages."""


def parse_header(data: bytes, *, name: str, max_elements: int) -> Header:
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
    elements: list[Element] = []
    properties: list[Property] = []
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
                    f"{name}: PLY header claims {count} {plural(words[1])}, "
                    f"above the limit of {max_elements}"
                )
            elements.append(Element(name=words[1], count=count, properties=()))
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
    return Header(
        byte_order=byte_order,
        elements=tuple(elements),
        body_start=body_start,
        n_lines=data.count(b"\n", 0, body_start),
    )


def _property(words: list[str], element: str, number: int, line: str, *, name: str) -> Property:
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
    return Property(
        name=words[-1],
        type=PLY_TYPES[types[-1]],
        count_type=PLY_TYPES[words[2]] if is_list else None,
    )


def _with_properties(element: Element, properties: list[Property]) -> Element:
    return Element(name=element.name, count=element.count, properties=tuple(properties))


def plural(element: str) -> str:
    """How messages name rows of ``element``: ``vertices``, ``faces`` or ``'<name>' elements``."""
    return {"vertex": "vertices", "face": "faces"}.get(element, f"'{element}' elements")
