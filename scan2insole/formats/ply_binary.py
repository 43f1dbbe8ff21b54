"""PLY binary body (either byte order): the wanted properties, the body's size checked."""

from __future__ import annotations

import struct
from collections.abc import Callable

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.formats.ply_header import Element, Header, Property, plural
from scan2insole.formats.ply_rows import (
    EMPTY_COLUMN,
    Columns,
    Rows,
    Wanted,
    item_positions,
    walk_rows,
)
from scan2insole.formats.text import size_text

_STRUCT_CODES = {"i1": "b", "u1": "B", "i2": "h", "u2": "H", "i4": "i", "u4": "I"}
_TRAILING_SPACE = b" \t\r\n\0"


def read_binary(data: bytes, header: Header, wanted: Wanted, *, name: str) -> Columns:
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
                f"{name}: binary PLY header claims {element.count} {plural(element.name)} "
                f"(at least {size_text(need)} from byte {offset}) but the file has "
                f"{len(data)} bytes"
            )
        keep = wanted.get(element.name, ())
        if element.count == 0:
            columns[element.name] = {i: EMPTY_COLUMN for i in keep}
            continue
        table, end = _binary_uniform(data, offset, element, order)
        if table is not None:
            columns[element.name] = {i: _uniform_column(table, props[i], i) for i in keep}
        else:
            rows, end = walk_rows(
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
    data: bytes, offset: int, element: Element, order: str
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


def _uniform_column(table: np.ndarray, prop: Property, i: int) -> tuple[np.ndarray, np.ndarray]:
    values = table[f"v{i}"]
    if prop.count_type is None:
        return np.ones(len(table), dtype=np.int64), values
    return np.full(len(table), values.shape[1], dtype=np.int64), values.reshape(-1)


def _binary_count_reader(data: bytes, props: tuple[Property, ...], order: str) -> Callable:
    readers = {
        i: struct.Struct(order + _STRUCT_CODES[p.count_type]).unpack_from
        for i, p in enumerate(props)
        if p.count_type is not None
    }
    return lambda i, position: readers[i](data, position)[0]


def _gather_bytes(data: bytes, rows: Rows, i: int, dtype: str) -> np.ndarray:
    """Values of property ``i`` at byte positions ``rows`` (lists flattened in row order)."""
    item = np.dtype(dtype)
    starts = item_positions(rows, i, item.itemsize)
    raw = np.frombuffer(data, dtype=np.uint8)[starts[:, None] + np.arange(item.itemsize)]
    return raw.view(item).reshape(-1)


def _size(type_code: str | None) -> int:
    """Bytes of a numpy type code; 0 for None (a scalar has no list count)."""
    return 0 if type_code is None else np.dtype(type_code).itemsize
