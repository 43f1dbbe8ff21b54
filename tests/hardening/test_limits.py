"""Resource limits of the reader (issue 11): claims and sizes above the limits are refused before
memory is allocated for them, in every format, and the limits are parameters."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scan2insole import load
from scan2insole.errors import ScanError
from scan2insole.formats import obj, ply, stl
from scan2insole.formats.text import first_bad_line
from scan2insole.load import load_scan, read_scan_bytes

REFUSAL_PEAK_BYTES = 1_000_000  # refusing a claim may cost a header's worth, never the claim
TETRA = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
TETRA_FACES = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])


def _refused_peak(data: bytes, name: str, **limits: int) -> tuple[str, int]:
    """The message ``data`` is refused with, and the peak memory Python allocated meanwhile."""
    tracemalloc.start()
    try:
        with pytest.raises(ScanError) as caught:
            read_scan_bytes(data, name=name, **limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return str(caught.value), peak


def _ply_claim(count: int, fmt: str) -> bytes:
    return (
        f"ply\nformat {fmt} 1.0\nelement vertex {count}\nproperty float x\nproperty float y\n"
        "property float z\nend_header\n0 0 0\n"
    ).encode()


@pytest.mark.parametrize(
    ("data", "name", "said"),
    [
        (b" " * 80 + (10**9).to_bytes(4, "little") + bytes(50), "t.stl", "10000000"),
        (_ply_claim(10**9, "binary_little_endian"), "t.ply", "limit of 20000000"),
        (_ply_claim(10**9, "ascii"), "t.ply", "limit of 20000000"),
        (_ply_claim(19_000_000, "binary_little_endian"), "t.ply", "but the file has"),
        (_ply_claim(19_000_000, "ascii"), "t.ply", "values are left"),
    ],
    ids=["stl_1e9", "ply_binary_1e9", "ply_ascii_1e9", "ply_binary_short", "ply_ascii_short"],
)
def test_claims_are_refused_without_allocating_them(data: bytes, name: str, said: str) -> None:
    message, peak = _refused_peak(data, name)
    assert said in message
    assert peak < REFUSAL_PEAK_BYTES, peak


def test_every_format_honours_a_lower_element_limit() -> None:
    for data, name in (
        (stl.write_binary(TETRA, TETRA_FACES), "t.stl"),
        (stl.write_ascii(TETRA, TETRA_FACES), "t.stl"),
        (ply.write(TETRA, TETRA_FACES), "t.ply"),
        (ply.write(TETRA, TETRA_FACES, binary=False), "t.ply"),
        (obj.write(TETRA, TETRA_FACES), "t.obj"),
    ):
        read_scan_bytes(data, name=name, max_elements=4)
        message, _ = _refused_peak(data, name, max_elements=3)
        assert "above the limit of" in message, message


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(tmp_path) -> None:
    path = tmp_path / "big.stl"
    path.write_bytes(bytes(2_000_000))
    tracemalloc.start()
    try:
        with pytest.raises(ScanError, match=r"file is 2000000 bytes \(2.0 MB\), above the limit"):
            load_scan(path, max_file_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100_000  # the file's bytes were never read
    small = tmp_path / "small.stl"
    small.write_bytes(stl.write_binary(TETRA, TETRA_FACES))
    assert len(load_scan(small, max_file_bytes=284).faces) == 4  # the limit itself is allowed


def test_an_obj_of_blank_lines_is_refused_before_its_lines_are_indexed() -> None:
    data = b"v 0 0 0\nv 1 0 0\nv 0 1 0\n" + b"\n" * 1_000_000 + b"f 1 2 3\n"
    message, peak = _refused_peak(data, "t.obj", max_elements=1000)
    assert message == (
        "t.obj: OBJ has 1000004 lines, above the limit of 4000 (4 per vertex or face allowed)"
    )
    assert peak < 3 * len(data)  # the normalised copy at most, no per-line arrays
    assert len(read_scan_bytes(data, name="t.obj").faces) == 1  # within the default limit


@pytest.mark.parametrize(
    ("value", "refused"), [(1e9, False), (-1e9, False), (1.5e9, True), (-3e38, True)]
)
def test_coordinates_beyond_1e9_are_refused_as_corrupt(value: float, refused: bool) -> None:
    vertices = TETRA.copy()
    vertices[2, 1] = value
    data = ply.write(vertices, TETRA_FACES)
    if refused:
        message, _ = _refused_peak(data, "t.ply")
        assert message == (
            f"t.ply: vertex 2 has coordinate {value:.3g}, beyond 1e+09 in size (file units), "
            "more than any scan holds: a corrupt value"
        )
    else:
        assert read_scan_bytes(data, name="t.ply").vertices[2, 1] == value


def _first_bad_reference(blob: bytes) -> int:
    """Line by line, the obvious way."""
    for i, line in enumerate(blob.split(b"\n")):
        try:
            values = np.array(line.split(), dtype=np.float64)
        except ValueError:
            return i
        if len(values) != len(line.split()):
            return i
    return -1


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    n_lines=st.integers(1, 3000),
    bad_at=st.floats(0.0, 1.0),
    bad=st.sampled_from([b"1 2 x", b"1-2 3", b"nan 1 abc", b"\x00", b"1e", b"--1"]),
)
@example(n_lines=1, bad_at=0.0, bad=b"x")
def test_the_bad_line_search_agrees_with_reading_line_by_line(
    n_lines: int, bad_at: float, bad: bytes
) -> None:
    lines = [f"{i} {i}.5 -{i}e-3".encode() for i in range(n_lines)]
    at = min(int(bad_at * n_lines), n_lines - 1)
    lines[at] = bad
    blob = b"\n".join(lines) + b"\n"
    index, line = first_bad_line(blob)
    assert (index, line) == (_first_bad_reference(blob), bad)


def test_a_bad_value_at_the_end_of_a_big_ascii_ply_is_named_quickly() -> None:
    n = 2_000_000
    body = b"1 2 3\n" * (n - 1) + b"1 2 x\n"
    data = _ply_claim(n, "ascii").removesuffix(b"0 0 0\n") + body
    with pytest.raises(ScanError, match=f"line {n + 7} holds a value that is not a number"):
        read_scan_bytes(data, name="t.ply")


def test_the_default_limits_are_the_documented_ones() -> None:
    # the figures the docstrings reason from (load.MAX_ELEMENTS, load.MAX_FILE_BYTES)
    assert load.MAX_ELEMENTS == 20_000_000
    assert load.MAX_FILE_BYTES == 1024**3
    assert load.MAX_ABS_COORDINATE == 1e9
