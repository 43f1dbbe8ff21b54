"""Mutants of valid scan files for the fuzz tests: hypothesis strategies over bytes.

Three seeds: the bundled binary STL (a real scan), and a coarse synthetic foot as an ASCII PLY
and as an OBJ. A mutant is a seed with one to three edits: bit flips (half of them in the first
512 bytes, where the headers are), a truncation, inserted random bytes, a deleted run, a run
copied elsewhere (a splice of the file with itself), or a header edit that knows the format: the
STL triangle count or header text, a PLY header word, an OBJ line replaced by a hostile one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from hypothesis import strategies as st

from scan2insole.formats import obj, ply
from scan2insole.synthetic import FootParams, foot_mesh
from tests.hardening.corpus import SAMPLE_STL

SEED_RESOLUTION_MM = 6.0  # 6.5 k vertices: a PLY or OBJ seed of ~0.3 MB, read in milliseconds
HEADER_BYTES = 512  # where STL and PLY headers live
HOSTILE_PLY_WORDS = (
    b"-1",
    b"0",
    b"1",
    b"4294967295",
    b"99999999999999999999",
    b"20000001",
    b"nan",
    b"1e9",
    b"float128",
    b"list",
    b"uchar",
    b"double",
    b"int",
    b"binary_big_endian",
    b"binary_little_endian",
    b"ascii",
    b"vertex",
    b"face",
    b"vertex_indices",
    b"x",
    b"",
    b"\x00",
    b"end_header",
    b"element",
    b"property",
)
HOSTILE_OBJ_LINES = (
    b"f 1 2 99999999",
    b"f -99999 1 2",
    b"f 0 1 2",
    b"f 1 2",
    b"f 1/2/3 4//5 6/7",
    b"f 1.5 2 3",
    b"v nan 0 0",
    b"v 1e308 1e308 1e308",
    b"v 1e12 0 0",
    b"v 1",
    b"v",
    b"g",
    b"o \xff\xfe",
    b"mtllib ../../etc/passwd",
    b"vt",
    b"vn 0 0",
    b"\\",
    b"#",
    b"s off",
    b"f " + b" ".join(b"1" for _ in range(1000)),
    b"v 1 2 3 4 5 6 7",
    b"usemtl",
    b"\x00\x01",
    b"curv 0 1 1 2",
    b"l 1 2",
)


@cache
def seeds() -> dict[str, bytes]:
    """File name -> bytes of every seed."""
    v, f = foot_mesh(FootParams(), resolution_mm=SEED_RESOLUTION_MM)
    return {
        "dupontgu_right_foot.stl": SAMPLE_STL.read_bytes(),
        "synthetic_foot.ply": ply.write(v, f, binary=False, dtype="float32"),
        "synthetic_foot.obj": obj.write(v, f),
    }


@dataclass(frozen=True, slots=True, repr=False)
class Mutant:
    name: str
    """File name (the seed's: its extension breaks format ties)."""
    data: bytes
    edits: tuple[str, ...]
    """What was done to the seed, in order: enough to make the mutant again."""

    def __repr__(self) -> str:  # the bytes run to megabytes: show how to make them instead
        digest = hashlib.sha256(self.data).hexdigest()[:12]
        return f"Mutant({self.name!r}, edits={self.edits!r}, {len(self.data)} bytes, sha {digest})"

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:  # hypothesis's printer
        printer.text(repr(self))  # type: ignore[attr-defined]


_where = st.one_of(st.integers(0, HEADER_BYTES - 1), st.floats(0.0, 1.0))


def _position(where: int | float, size: int) -> int:
    """A byte position: an absolute header offset or a fraction of the file."""
    if size == 0:
        return 0
    at = where if isinstance(where, int) else int(where * size)
    return min(max(at, 0), size - 1)


@st.composite
def _edit(draw: st.DrawFn, data: bytearray, name: str) -> str:
    """Apply one edit to ``data`` in place; return its description."""
    kind = draw(
        st.sampled_from(["flip", "flip", "truncate", "insert", "delete", "splice", "header"])
    )
    size = len(data)
    if kind == "flip":
        at, bit = _position(draw(_where), size), draw(st.integers(0, 7))
        if size:
            data[at] ^= 1 << bit
        return f"flip byte {at} bit {bit}"
    if kind == "truncate":
        at = _position(draw(_where), size)
        del data[at:]
        return f"truncate at {at}"
    if kind == "insert":
        at, blob = _position(draw(_where), size), draw(st.binary(min_size=1, max_size=64))
        data[at:at] = blob
        return f"insert {blob!r} at {at}"
    if kind == "delete":
        at, n = _position(draw(_where), size), draw(st.integers(1, 4096))
        del data[at : at + n]
        return f"delete {n} at {at}"
    if kind == "splice":
        src, dst = _position(draw(_where), size), _position(draw(_where), size)
        n = draw(st.integers(1, 4096))
        data[dst:dst] = data[src : src + n]
        return f"copy {n} from {src} to {dst}"
    return draw(_header_edit(data, name))


@st.composite
def _header_edit(draw: st.DrawFn, data: bytearray, name: str) -> str:
    if name.endswith(".stl"):
        if draw(st.booleans()) and len(data) >= 84:
            n = draw(
                st.one_of(
                    st.sampled_from([0, 1, 2**32 - 1, 10**9, 20_000_001]), st.integers(0, 2**32 - 1)
                )
            )
            data[80:84] = n.to_bytes(4, "little")
            return f"STL count {n}"
        text = draw(st.sampled_from([b"solid foot", b"solid", b"ply\n", b"v 1 2 3\n", b""]))
        data[: len(text)] = text
        return f"STL header {text!r}"
    if name.endswith(".ply"):
        end = data.find(b"end_header")
        words = [w for w in range(max(end, 0)) if w == 0 or data[w - 1] in b" \n"]
        if not words:
            return "PLY header edit: no header"
        at = draw(st.sampled_from(words))
        stop = at
        while stop < len(data) and data[stop] not in b" \n":
            stop += 1
        word = draw(st.sampled_from(HOSTILE_PLY_WORDS))
        data[at:stop] = word
        return f"PLY word at {at} -> {word!r}"
    starts = [0, *(i + 1 for i in range(len(data)) if data[i] == 10)][:-1]
    at = draw(st.sampled_from(starts)) if starts else 0
    stop = data.find(b"\n", at)
    line = draw(st.sampled_from(HOSTILE_OBJ_LINES))
    data[at : stop if stop >= 0 else len(data)] = line
    return f"OBJ line at {at} -> {line[:40]!r}"


@st.composite
def mutants(draw: st.DrawFn) -> Mutant:
    """A seed with one to three edits."""
    name = draw(st.sampled_from(sorted(seeds())))
    data = bytearray(seeds()[name])
    edits = tuple(draw(_edit(data, name)) for _ in range(draw(st.integers(1, 3))))
    return Mutant(name=name, data=bytes(data), edits=edits)


def pinned() -> list[Mutant]:
    """Mutants that once broke the contract, replayed by the brief runs for ever.

    - The long reader run found a PLY whose header declares ``element vertex`` twice (a header
      word edited to ``vertex``): the reader kept x, y, z indices for the second element too and
      raised IndexError. Now refused: "element 'vertex' is declared twice". Its binary twin too.
    """
    text = seeds()["synthetic_foot.ply"]
    twice = text.replace(b"element face", b"element vertex", 1)
    binary = ply.write(*foot_mesh(FootParams(), resolution_mm=SEED_RESOLUTION_MM))
    return [
        Mutant(name="synthetic_foot.ply", data=twice, edits=("PLY word at 120 -> b'vertex'",)),
        Mutant(
            name="synthetic_foot.ply",
            data=binary.replace(b"element face", b"element vertex", 1),
            edits=("binary PLY: 'element face' -> 'element vertex'",),
        ),
    ]
