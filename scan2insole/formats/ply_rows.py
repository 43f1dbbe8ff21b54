"""PLY body layout: the columns the body readers return, and the row walk for rows of mixed size.

Elements whose rows all have the same size are read in one ``np.frombuffer`` (binary) or one
reshape (ASCII). Rows of variable size (polygons of mixed corner counts) are located by a walk
over rows, because each row's start depends on the previous row's list count; the walk touches
one count per list per row and the values are then gathered in bulk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.formats.ply_header import Element, plural

Columns = dict[str, dict[int, tuple[np.ndarray, np.ndarray]]]
"""Per wanted element, per wanted property index: (counts, values); counts are 1 for scalars."""


EMPTY_COLUMN = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
Wanted = dict[str, tuple[int, ...]]
"""Per element name, the indices of the properties to keep."""


@dataclass(frozen=True, slots=True)
class Rows:
    """Where each property of each row of one element is: ``starts[row, prop]``.

    Positions are byte offsets (binary) or value indices (ASCII); for a list they point at the
    first item and ``counts`` holds its length (1 for a scalar).
    """

    starts: np.ndarray
    counts: np.ndarray


def walk_rows(
    element: Element,
    start: int,
    *,
    limit: int,
    sizes: list[tuple[int, int]],
    read_count: Callable[[int, int], int],
    what: str,
    name: str,
) -> tuple[Rows, int]:
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
                        f"(the header claims {element.count} {plural(element.name)})"
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
                f"(the header claims {element.count} {plural(element.name)})"
            )
    return Rows(starts=starts, counts=counts), position


def item_positions(rows: Rows, i: int, step: int) -> np.ndarray:
    """(sum(counts),) int64 positions of every item of property ``i``, in row order."""
    counts = rows.counts[:, i]
    first = np.repeat(rows.starts[:, i], counts)
    within = np.arange(len(first), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return first + within * step
