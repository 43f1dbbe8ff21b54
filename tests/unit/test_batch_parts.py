"""The batch's parts that need no worker: discovery, names, pairs, per-scan profiles, resume."""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

import numpy as np
import pytest

from scan2insole.batch.discover import find_scans, sniff_format
from scan2insole.batch.job_profiles import read_profiles_csv, settings_for
from scan2insole.batch.outputs import output_kind, output_stems, pair_stems, remove_stale_temps
from scan2insole.batch.pairs import name_parts, pair_scans, side_from_name
from scan2insole.batch.resume import is_complete
from scan2insole.errors import ProfileError, ScanError
from scan2insole.formats import obj, ply, stl
from scan2insole.formats.detect import SNIFF_BYTES, detect_format

P = PurePosixPath
TETRA = (
    np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], float),
    np.array([[0, 2, 1], [0, 1, 3], [1, 2, 3], [0, 3, 2]]),
)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (stl.write_binary(*TETRA), "a.stl"),
        (
            stl.write_binary(
                np.random.default_rng(0).random((3000, 3)), np.arange(9000).reshape(-1, 3) % 3000
            ),
            "big_no_suffix",
        ),
        (b"solid x\n" + b" " * (SNIFF_BYTES + 10), "padded.stl"),
        (ply.write(*TETRA), "t.ply"),
        (ply.write(TETRA[0], binary=False), "cloud.txt"),
        (obj.write(*TETRA), "mesh.dat"),
        (b"# only a comment\n", "x.obj"),
        (b"scan,profile\n", "profiles.csv"),
        (np.random.default_rng(1).bytes(SNIFF_BYTES * 2), "noise.bin"),
        (np.random.default_rng(2).bytes(SNIFF_BYTES * 2), "noise.stl"),
    ],
)
def test_sniffing_the_head_agrees_with_detecting_the_whole_file(
    tmp_path: Path, data: bytes, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    try:
        expected = detect_format(data, name=name)
    except ScanError:
        expected = None
    assert sniff_format(path, size=len(data)) == expected


def test_scans_are_found_by_content_recursively_skipping_hidden_and_output(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "a" / "b" / "foot").write_bytes(ply.write(*TETRA))  # no extension: content
    (tmp_path / "a" / "empty.OBJ").write_bytes(b"")  # named like a scan: kept, to fail
    (tmp_path / "a" / "notes.txt").write_text("hello\n")
    (tmp_path / "profiles.csv").write_text("scan,profile\n")
    (tmp_path / ".hidden" / "x.stl").write_bytes(stl.write_binary(*TETRA))
    (tmp_path / ".a.insole.stl.abcd1234.tmp").write_bytes(b"half")
    (tmp_path / "out" / "old.insole.stl").write_bytes(stl.write_binary(*TETRA))
    (tmp_path / "z.stl").write_bytes(stl.write_binary(*TETRA))
    found = find_scans(tmp_path, skip=(tmp_path / "out",))
    assert [(s.rel.as_posix(), s.format) for s in found] == [
        ("a/b/foot", "ply-binary"),
        ("a/empty.OBJ", None),
        ("z.stl", "stl-binary"),
    ]


@pytest.mark.parametrize(
    ("stem", "side", "person"),
    [
        ("anna_L", "left", "anna"),
        ("anna-r", "right", "anna"),
        ("Anna R", "right", "anna"),
        ("left_foot", "left", "foot"),
        ("bob_right_scan2", "right", "bob_scan2"),
        ("L", None, "l"),
        ("lars", None, "lars"),
        ("left_R", None, "left_r"),
        ("left_left", None, "left_left"),
        ("scan_l_2", None, "scan_l_2"),
    ],
)
def test_the_side_a_name_states(stem: str, side: str | None, person: str) -> None:
    assert side_from_name(stem) == (side, person)
    # the pair's file name keeps the person's case
    assert name_parts(stem)[0] == side and name_parts(stem)[1].lower() == person


def test_pair_file_stems_keep_case_and_never_collide() -> None:
    rels = [
        P(p)
        for p in (
            "Anna_L.stl",
            "Anna_R.stl",
            "dora/scan1.stl",
            "dora/scan2.stl",
            "x/left_foot.stl",
            "x/right_foot.stl",
            "x/foot.pair.stl",  # its report would be x/foot.pair.report.html, as the pair's
        )
    ]
    info = pair_scans(rels)
    members: dict[str, list[PurePosixPath]] = {}
    for rel in rels:
        if info[rel].pair is not None:
            members.setdefault(info[rel].pair, []).append(rel)
    stems = pair_stems(members, output_stems(rels))
    assert {k: v.as_posix() for k, v in stems.items()} == {
        "anna": "Anna",
        "dora": "dora/dora",
        "x/foot": "x/foot_2",
    }


@pytest.mark.parametrize(
    ("name", "pair", "kind"),
    [
        ("a/x.insole.stl", False, "stl"),
        ("x.insole.3mf", False, "3mf"),
        ("x.report.json", False, "report_json"),
        ("x.report.html", False, "report_html"),
        ("x.report_side_sections.png", False, "report_png"),
        ("p.pair.3mf", True, "pair_3mf"),
        ("p.pair.report.html", True, "pair_report_html"),
        ("p.pair.report_left_scan.png", True, "pair_report_png"),
    ],
)
def test_output_kinds_by_name(name: str, pair: bool, kind: str) -> None:
    assert output_kind(name, pair=pair) == kind


def test_pairs_from_names_and_from_two_scan_folders() -> None:
    rels = [
        P(p)
        for p in (
            "anna_L.stl",
            "anna_R.ply",
            "bob_L.stl",
            "carl/left_foot.obj",
            "carl/right_foot.obj",
            "dora/scan1.stl",
            "dora/scan2.stl",
            "eve/1.stl",
            "eve/2.stl",
            "eve/3.stl",
            "fay_L.stl",
            "fay_L.ply",
            "x.stl",
            "y.stl",
        )
    ]
    info = pair_scans(rels)
    pairs = {r.as_posix(): info[r].pair for r in rels}
    assert pairs == {
        "anna_L.stl": "anna",
        "anna_R.ply": "anna",
        "bob_L.stl": None,
        "carl/left_foot.obj": "carl/foot",
        "carl/right_foot.obj": "carl/foot",
        "dora/scan1.stl": "dora",
        "dora/scan2.stl": "dora",
        "eve/1.stl": None,
        "eve/2.stl": None,
        "eve/3.stl": None,
        "fay_L.stl": None,
        "fay_L.ply": None,
        "x.stl": None,
        "y.stl": None,
    }
    assert info[P("dora/scan1.stl")].side_from_name is None
    assert info[P("carl/left_foot.obj")].side_from_name == "left"


def test_output_names_are_predictable_safe_and_distinct() -> None:
    rels = [
        P(p)
        for p in (
            "a/foot.stl",
            "a/foot.ply",
            "b/foot.stl",
            "we ird/$x;y.obj",
            "c/Foot.stl",
            "c/foot.STL",
        )
    ]
    stems = {r.as_posix(): s.as_posix() for r, s in output_stems(rels).items()}
    assert stems == {
        "a/foot.stl": "a/foot_stl",
        "a/foot.ply": "a/foot_ply",
        "b/foot.stl": "b/foot",
        "we ird/$x;y.obj": "we_ird/x_y",
        "c/Foot.stl": "c/Foot_stl",
        "c/foot.STL": "c/foot_STL_2",
    }
    assert len({s.lower() for s in stems.values()}) == len(stems)


def test_stale_temporary_outputs_are_removed_and_nothing_else(tmp_path: Path) -> None:
    stale = [
        ".a.insole.stl.k2j4_x9q.tmp",
        ".summary.json.abcdefgh.tmp",
        "s/.b.report.json.12345678.tmp",
        ".a.insole.3mf.abcdefgh.tmp",
        ".a.report.html.abcdefgh.tmp",
        ".a.report_heel_section.png.abcdefgh.tmp",
        "s/.p.pair.3mf.abcdefgh.tmp",
        "s/.p.pair.report_left_scan.png.abcdefgh.tmp",
    ]
    kept = [
        ".a.insole.stl",
        "a.insole.stl.k2j4_x9q.tmp",
        ".notes.txt.abcdefgh.tmp",
        "a.insole.stl",
        ".photo.png.abcdefgh.tmp",
        "a.report_scan.png",
    ]
    for name in stale + kept:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    assert remove_stale_temps(tmp_path) == len(stale)
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert left == sorted(kept)


def test_settings_come_from_sidecar_over_csv_over_command_line(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    for name in ("a.stl", "b.stl", "c.stl"):
        (tmp_path / "p" / name).write_bytes(b"")
    (tmp_path / "profiles.csv").write_text(
        "scan,profile,set,side\n"
        "p/a.stl,mine.toml,shell.base_thickness_mm=4;outline.margin_mm=2,left\n"
        "p/b,,outline.margin_mm=3,\n"
    )
    (tmp_path / "p" / "a.stl.toml").write_text(
        'side = "right"\n[set]\nshell.base_thickness_mm = 5.0\n'
    )
    rows = read_profiles_csv(tmp_path)

    def settings(name: str):  # type: ignore[no-untyped-def]
        return settings_for(
            tmp_path / "p" / name, P(f"p/{name}"), default_profile="neutral", csv_rows=rows
        )

    a, b, c = settings("a.stl"), settings("b.stl"), settings("c.stl")
    assert a.profile == str(tmp_path / "mine.toml") and a.side == "right"
    assert dict(a.overrides) == {"shell.base_thickness_mm": "5.0", "outline.margin_mm": "2"}
    assert a.source == "profiles.csv row 2 + a.stl.toml"
    assert (b.profile, dict(b.overrides), b.side, b.source) == (
        "neutral",
        {"outline.margin_mm": "3"},
        "auto",
        "profiles.csv row 3",
    )
    assert (c.profile, c.overrides, c.source) == ("neutral", (), "command line")


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("scan,colour\na,red\n", "expected a header"),
        ("profile\nx\n", "expected a header"),
        ("scan,side\na,up\n", "row 2 side is 'up'"),
        ("scan,set\na,thickness\n", "set takes section.key=value"),
        ("scan\na\na\n", "listed twice"),
        ("scan\na,b\n", "more values than columns"),
    ],
)
def test_a_bad_profiles_csv_is_refused_with_its_row(tmp_path: Path, csv: str, message: str) -> None:
    (tmp_path / "profiles.csv").write_text(csv)
    with pytest.raises(ProfileError, match=message):
        read_profiles_csv(tmp_path)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("profil = 'x'\n", "unknown key 'profil'"),
        ("side = 'up'\n", "side is 'up'"),
        ("set = 3\n", "set must be a table"),
        ("[set]\nshell.base_thickness_mm = [1]\n", "must be a number"),
        ("profile = \n", "not valid TOML"),
    ],
)
def test_a_bad_sidecar_fails_its_scan(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "a.stl").write_bytes(b"")
    (tmp_path / "a.toml").write_text(toml)
    with pytest.raises(ProfileError, match=message):
        settings_for(tmp_path / "a.stl", P("a.stl"), default_profile="neutral", csv_rows={})


def test_resume_needs_every_recorded_hash_to_match(tmp_path: Path) -> None:
    scan = tmp_path / "a.stl"
    scan.write_bytes(b"scan bytes")
    files = {
        "a.insole.stl": b"insole",
        "a.insole.3mf": b"3mf",
        "a.report.json": b"{}",
        "a.report.html": b"<html>",
        "a.report_scan.png": b"png 1",
        "a.report_insole.png": b"png 2",
        "p.pair.3mf": b"pair",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    def sha(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def listed(name: str, pair: bool = False) -> dict[str, str]:
        kind = output_kind(name, pair=pair)
        return {"kind": kind, "path": name, "sha256": sha(files[name])}

    own = [listed(n) for n in files if n != "p.pair.3mf"]
    row = {
        "status": "done",
        "version": "1",
        "input_sha256": sha(b"scan bytes"),
        "profile_sha256": "p",
        "side_setting": "auto",
        "units_setting": "auto",
        "outputs": [*own, listed("p.pair.3mf", pair=True)],
    }
    needed = {
        "stl": "a.insole.stl",
        "3mf": "a.insole.3mf",
        "report_html": "a.report.html",
        "report_json": "a.report.json",
    }
    kw = {
        "version": "1",
        "scan": scan,
        "profile_sha256": "p",
        "side": "auto",
        "units": "auto",
        "out_dir": tmp_path,
        "needed": needed,
    }
    assert is_complete(row, **kw)
    assert not is_complete(None, **kw)
    assert not is_complete({**row, "status": "failed"}, **kw)
    assert not is_complete(row, **{**kw, "version": "2"})
    assert not is_complete(row, **{**kw, "profile_sha256": "q"})
    assert not is_complete(row, **{**kw, "side": "left"})
    # a run without reports wants no HTML and no pictures; one with reports wants both
    no_report = {k: v for k, v in needed.items() if k != "report_html"}
    assert not is_complete(row, **{**kw, "needed": no_report})
    no_pictures = [o for o in row["outputs"] if o["kind"] != "report_png"]
    assert not is_complete({**row, "outputs": no_pictures}, **kw)
    assert not is_complete(row, **{**kw, "needed": {**needed, "3mf": "b.insole.3mf"}})
    for name in ("a.insole.stl", "a.report_insole.png", "p.pair.3mf"):
        (tmp_path / name).write_bytes(files[name][:-1])  # truncated
        assert not is_complete(row, **kw), name
        (tmp_path / name).write_bytes(files[name])
    (tmp_path / "a.report_scan.png").unlink()  # one picture missing
    assert not is_complete(row, **kw)
    (tmp_path / "a.report_scan.png").write_bytes(files["a.report_scan.png"])
    assert is_complete(row, **kw)
    scan.write_bytes(b"another scan")
    assert not is_complete(row, **kw)
