"""Tell a file's format from its content; the name's extension only breaks ties.

Order of the checks, most certain first: the ``ply`` magic line; the binary STL size rule
(84 + 50 bytes per triangle the header claims; many binary STL headers start with ``solid``, so
the rule goes before the ``solid`` test); ``solid`` at the start of text (ASCII STL); an OBJ
statement as the first line of text that is not a comment. Left over are binary data that fails
the STL size rule, read as a broken binary STL only when named ``.stl`` (so the message says how
the size is off), and text of comments only, read as an empty OBJ only when named ``.obj``.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Literal, get_args

from scan2insole.errors import ScanError
from scan2insole.formats.obj import IGNORED_STATEMENTS

Format = Literal["stl-binary", "stl-ascii", "ply-binary", "ply-ascii", "obj"]
FORMATS: tuple[Format, ...] = get_args(Format)

SNIFF_BYTES = 64 * 1024
"""Bytes examined for the text tests: PLY headers and the first OBJ statement sit well within."""
STL_HEADER_BYTES = 84
STL_RECORD_BYTES = 50

_BOM = b"\xef\xbb\xbf"
_PLY_MAGIC = re.compile(rb"ply[ \t]*(?:\r\n|\n|\r)")
_PLY_FORMAT = re.compile(rb"^format[ \t]+(\S+)", re.MULTILINE)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_FIRST_STATEMENT = re.compile(rb"^[ \t]*([^\s#]\S*)", re.MULTILINE)
_OBJ_STATEMENTS = IGNORED_STATEMENTS | {b"v", b"f", b"g", b"o"}


def detect_format(data: bytes, *, name: str) -> Format:
    """Say which format ``data`` holds.

    Parameters
    ----------
    data
        The whole file.
    name
        The file's name: its extension breaks ties, and it starts every message.

    Returns
    -------
    str
        One of ``FORMATS``. For PLY, binary vs ASCII is the header's ``format`` line (the reader
        checks that line in full).

    Raises
    ------
    ScanError
        When ``data`` is empty or holds none of the formats.
    """
    if not data:
        raise ScanError(f"{name}: file is empty")
    head = data[:SNIFF_BYTES].removeprefix(_BOM)
    if _PLY_MAGIC.match(head):
        declared = _PLY_FORMAT.search(head)
        return "ply-ascii" if declared and declared.group(1) == b"ascii" else "ply-binary"
    if len(data) >= STL_HEADER_BYTES:
        n_triangles = int.from_bytes(data[STL_HEADER_BYTES - 4 : STL_HEADER_BYTES], "little")
        if STL_HEADER_BYTES + STL_RECORD_BYTES * n_triangles == len(data):
            return "stl-binary"
    suffix = PurePath(name).suffix.lower()
    if _CONTROL.search(head) is not None:
        if suffix == ".stl" or head.startswith(b"solid"):
            return "stl-binary"
    else:
        if head.lstrip()[:5].lower() == b"solid":
            return "stl-ascii"
        first = _FIRST_STATEMENT.search(head)
        if first is not None and first.group(1) in _OBJ_STATEMENTS:
            return "obj"
        if first is None and suffix == ".obj":
            return "obj"
    raise ScanError(f"{name}: not a mesh or point cloud (no PLY, STL or OBJ content found)")
