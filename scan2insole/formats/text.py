"""ASCII text shared by the readers: bulk number parsing, lines and sizes quoted in messages.

The ASCII formats (PLY, OBJ, STL) are parsed by handing whole blocks of text to numpy's C number
parser instead of splitting tokens in Python; these helpers do that and find, only when something
is wrong, the line to name in the error message.
"""

from __future__ import annotations

import re

import numpy as np

QUOTE_CHARS = 40  # longest piece of a bad line quoted in a message; keeps messages one short line
_LINE_BY_LINE_BYTES = 4096  # below this, the bad-line search tries lines one by one

_NON_SPACE = re.compile(rb"\S")
_WHITESPACE = np.zeros(256, dtype=bool)
_WHITESPACE[list(b" \t\n\r\v\f")] = True


def parse_numbers(blob: bytes, *, dtype: type = np.float64) -> np.ndarray:
    """Parse whitespace-separated numbers in bulk.

    Parameters
    ----------
    blob
        ASCII text holding only numbers separated by spaces, tabs or line breaks.
    dtype
        ``np.float64`` or ``np.int64``.

    Returns
    -------
    numpy.ndarray
        (k,) of ``dtype``, the numbers in order.

    Raises
    ------
    ValueError
        When a token is not a number of ``dtype``; callers translate it into a ``ScanError``
        that names the line (see :func:`first_bad_line`).
    """
    # numpy returns [-1.] for whitespace-only text, so an empty block must not reach it
    if _NON_SPACE.search(blob) is None:
        return np.empty(0, dtype=dtype)
    return np.fromstring(blob, dtype=dtype, sep=" ")


def tokens_per_line(blob: bytes) -> np.ndarray:
    """Count whitespace-separated tokens on each ``\\n``-terminated line of ``blob``.

    Parameters
    ----------
    blob
        ASCII text; a last line without ``\\n`` counts as a line.

    Returns
    -------
    numpy.ndarray
        (n_lines,) int64 token counts.
    """
    if not blob:
        return np.zeros(0, dtype=np.int64)
    chars = np.frombuffer(blob, dtype=np.uint8)
    space = _WHITESPACE[chars]
    starts = ~space
    starts[1:] &= space[:-1]
    token_at = np.flatnonzero(starts)
    line_end = np.flatnonzero(chars == ord("\n"))
    if chars[-1] != ord("\n"):
        line_end = np.append(line_end, len(chars))
    return np.diff(np.searchsorted(token_at, line_end), prepend=0)


def first_bad_line(blob: bytes, *, dtype: type = np.float64) -> tuple[int, bytes]:
    """Find the first line of ``blob`` that is not all numbers of ``dtype``.

    Used only after bulk parsing failed, to say where. A line also fails when numpy splits one
    token into several numbers (``1-2`` reads as 1 and -2).

    Parameters
    ----------
    blob
        ASCII text, lines ending in ``\\n``.
    dtype
        ``np.float64`` or ``np.int64``.

    Returns
    -------
    index : int
        0-based index of the first bad line; -1 when every line parses.
    line : bytes
        That line's text (empty when none is bad).
    """
    # bisect on line boundaries, parsing the first half in bulk each time (about the text's
    # length in all), so no list of a big file's lines is ever made; only the last few lines
    # are tried one by one
    lo, hi = 0, len(blob)  # blob[lo:hi] starts at a line start and holds the first bad line
    while hi - lo > _LINE_BY_LINE_BYTES:
        mid = blob.find(b"\n", (lo + hi) // 2, hi) + 1
        if mid <= lo or mid >= hi:
            break
        if _parses(blob[lo:mid], dtype):
            lo = mid
        else:
            hi = mid
    before = blob.count(b"\n", 0, lo)
    for i, line in enumerate(blob[lo:hi].split(b"\n")):
        if not _parses(line, dtype):
            return before + i, line
    return -1, b""


def _parses(text: bytes, dtype: type) -> bool:
    """Whether ``text`` is whitespace-separated numbers of ``dtype``, one number per token."""
    try:
        values = parse_numbers(text, dtype=dtype)
    except ValueError:
        return False
    return len(values) == _n_tokens(text)


def _n_tokens(text: bytes) -> int:
    """Number of whitespace-separated tokens in ``text``."""
    space = _WHITESPACE[np.frombuffer(text, dtype=np.uint8)]
    return int(np.count_nonzero(~space[1:] & space[:-1])) + int(len(space) > 0 and not space[0])


def quote(line: bytes) -> str:
    """Quote a piece of a file for a one-line message: decoded, stripped, shortened."""
    text = line.decode("utf-8", errors="replace").strip()
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS] + "..."
    return repr(text)


def size_text(n_bytes: int) -> str:
    """A byte count in decimal units for messages: ``"1284 bytes"``, ``"50.0 GB"``."""
    if n_bytes < 1000:
        return f"{n_bytes} bytes"
    value = float(n_bytes)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000.0
        if value < 1000.0 or unit == "TB":
            break
    return f"{value:.1f} {unit}"
