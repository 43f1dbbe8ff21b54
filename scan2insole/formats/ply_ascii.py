"""PLY ASCII body: the wanted properties, the body's length and every value checked."""

from __future__ import annotations

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.formats.ply_header import Element, Header, Property, plural
from scan2insole.formats.ply_rows import EMPTY_COLUMN, Columns, Wanted, item_positions, walk_rows
from scan2insole.formats.text import first_bad_line, parse_numbers, quote


def read_ascii(data: bytes, header: Header, wanted: Wanted, *, name: str) -> Columns:
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
                f"{name}: ASCII PLY header claims {element.count} {plural(element.name)} "
                f"(at least {need} values) but only {len(values) - position} values are left"
            )
        keep = wanted.get(element.name, ())
        if element.count == 0:
            columns[element.name] = {i: EMPTY_COLUMN for i in keep}
            continue
        table, width = _ascii_uniform(values, position, element, name=name)
        if table is not None:
            columns[element.name] = {i: _ascii_column(table, props, i) for i in keep}
            position += element.count * width
            continue
        rows, position = walk_rows(
            element,
            position,
            limit=len(values),
            sizes=[(1 if p.count_type else 0, 1) for p in props],
            read_count=lambda _, at: _whole(values[at], name=name, what="list count"),
            what=f"ASCII PLY {element.name}",
            name=name,
        )
        columns[element.name] = {
            i: (rows.counts[:, i], values[item_positions(rows, i, 1)]) for i in keep
        }
    if position != len(values):
        raise ScanError(
            f"{name}: ASCII PLY has {len(values) - position} values after the last element the "
            "header declares"
        )
    return columns


def _ascii_uniform(
    values: np.ndarray, position: int, element: Element, *, name: str
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
    table: np.ndarray, props: tuple[Property, ...], i: int
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


def _whole(value: float, *, name: str, what: str) -> int:
    """An ASCII value that must be a non-negative whole number (a list count)."""
    if not (np.isfinite(value) and value >= 0 and value == int(value)):
        raise ScanError(f"{name}: ASCII PLY {what} {value:g} is not a whole number >= 0")
    return int(value)
