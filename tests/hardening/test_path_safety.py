"""Path safety (issue 11): output names from hostile input names are sanitised, nothing is ever
written outside ``-o``, and no output is silently lost or written through a planted link."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scan2insole.cli import MAX_STEM_BYTES, safe_stem
from tests.hardening.contract import PREFIX, assert_rejected, files_in, run_in_process
from tests.hardening.corpus import scaled_foot

SMALL_FOOT_MM = 140.0  # a child's foot: valid, and the quickest foot to make an insole for
OUTPUTS = (".insole.stl", ".insole.3mf", ".report.json")
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10))}
WINDOWS_RESERVED |= {f"lpt{i}" for i in range(1, 10)}

# hostile name -> the stem its outputs must get
HOSTILE_NAMES = {
    "..stl": "scan",
    "-rf --overwrite.stl": "rf_--overwrite",
    "$(touch PWNED);`id`.stl": "touch_PWNED_id",
    "a\nb\x1b[2J\x07.stl": "a_b_2J",
    "\u202eltsFuß_links.STL": "ltsFuß_links",
    "..\\..\\windows\\foot.stl": "foot",
    "\udcff\udcfe_zehe.stl": "zehe",  # undecodable bytes, as os.fsdecode keeps them
    "x" * 200 + ".stl": None,  # cut to MAX_STEM_BYTES with a hash: checked by its form
}

# run through make itself (a pipeline each, ~1 s): the names most likely to escape or corrupt
END_TO_END = (
    "..stl",
    "$(touch PWNED);`id`.stl",
    "a\nb\x1b[2J\x07.stl",
    "\udcff\udcfe_zehe.stl",
    "x" * 200 + ".stl",
)


def _assert_safe(stem: str) -> None:
    assert stem and stem not in (".", "..")
    assert not stem.startswith((".", "-", "_")), stem
    assert "/" not in stem and "\\" not in stem and "\x00" not in stem
    assert all(not unicodedata.category(c).startswith("C") for c in stem), repr(stem)
    assert len(stem.encode()) <= MAX_STEM_BYTES
    assert unicodedata.normalize("NFC", stem) == stem
    assert stem.lower() not in WINDOWS_RESERVED


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(name=st.text(st.characters(codec=None), max_size=300))
@example(name="\udcff\udcfe")  # undecodable bytes of a file name, as os.fsdecode keeps them
@example(name="/etc/passwd")
@example(name="CON.stl")
@example(name="lpt1")
@example(name="." * 300)
def test_safe_stem_is_a_plain_name_inside_the_folder(name: str, tmp_path_factory) -> None:
    stem = safe_stem(name)
    _assert_safe(stem)
    assert safe_stem(name) == stem  # deterministic
    folder = Path("/out")
    for suffix in OUTPUTS:
        assert (folder / f"{stem}{suffix}").parent == folder


def test_long_names_are_cut_but_stay_distinct() -> None:
    a, b = safe_stem("a" * 300 + "1.stl"), safe_stem("a" * 300 + "2.stl")
    assert a != b
    assert len(a.encode()) == len(b.encode()) == MAX_STEM_BYTES


@pytest.mark.parametrize(("name", "stem"), [(n, s) for n, s in HOSTILE_NAMES.items() if s])
def test_hostile_names_give_these_stems(name: str, stem: str) -> None:
    assert safe_stem(name) == stem


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(root.rglob("*"))
    }


def test_make_writes_only_sanitised_names_inside_out(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    data = scaled_foot(SMALL_FOOT_MM, "mm")
    paths = []
    for name in END_TO_END:
        (scans / name).write_bytes(data)
        paths.append(str(scans / name))
    out = tmp_path / "out"
    before = _tree(tmp_path)
    outcome = run_in_process(["make", *paths, "-o", str(out)])
    assert outcome.exit_code == 0, outcome.stderr
    after = _tree(tmp_path)
    outside = {k: v for k, v in after.items() if not k.startswith("out")}
    assert outside == before  # nothing written, moved or changed outside -o
    stems = [safe_stem(p) for p in paths]
    names = files_in(out)
    assert {f"{s}{suffix}" for s in stems for suffix in OUTPUTS} <= set(names)
    assert all(any(n.startswith(f"{s}.") for s in stems) for n in names), names  # no temp file
    for stem, want in zip(stems, (HOSTILE_NAMES[n] for n in END_TO_END), strict=True):
        _assert_safe(stem)
        assert want is None or stem == want
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


def test_two_scans_with_one_stem_are_refused_not_overwritten(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "Foot.stl").write_bytes(b"")  # refused before being read
    out = tmp_path / "out"
    outcome = run_in_process(
        ["make", str(tmp_path / "a" / "Foot.stl"), str(tmp_path / "b" / "Foot.stl"), "-o", str(out)]
    )
    assert "would both write Foot" in assert_rejected(outcome, out)


def test_a_planted_link_is_replaced_not_followed(tmp_path: Path) -> None:
    """An output name that is a symlink to a file elsewhere: without --overwrite it is refused;
    with it the link itself is replaced, and the file it pointed to is untouched."""
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    scan = tmp_path / "foot.stl"
    scan.write_bytes(scaled_foot(SMALL_FOOT_MM, "mm"))
    (out / "foot.insole.stl").symlink_to(victim)
    refused = run_in_process(["make", str(scan), "-o", str(out)])
    # refused before any work: the error is the only line
    assert refused.exit_code == 2
    assert refused.stderr.splitlines() == [
        PREFIX + f"{out}/foot.insole.stl exists; use --overwrite to replace it"
    ]
    assert (out / "foot.insole.stl").is_symlink() and victim.read_bytes() == b"precious"
    assert files_in(out) == ["foot.insole.stl"]
    outcome = run_in_process(["make", str(scan), "-o", str(out), "--overwrite"])
    assert outcome.exit_code == 0, outcome.stderr
    assert victim.read_bytes() == b"precious"
    assert not (out / "foot.insole.stl").is_symlink()
    assert (out / "foot.insole.stl").stat().st_size > 84


def test_an_output_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_bytes(b"not a folder")
    scan = tmp_path / "foot.stl"
    scan.write_bytes(scaled_foot(SMALL_FOOT_MM, "mm"))
    outcome = run_in_process(["make", str(scan), "-o", str(out)])
    # refused before any work, in one line
    assert outcome.exit_code == 2 and out.read_bytes() == b"not a folder"
    assert len(outcome.stderr.splitlines()) == 1 and "is a file" in outcome.stderr
