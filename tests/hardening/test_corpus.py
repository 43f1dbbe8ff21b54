"""Issue 11's bad-input corpus through the real CLI: exit 2, one stderr line naming the problem,
no traceback, no output file, within 10 s; the few inherently ambiguous sizes exit 0 as the foot
they read as. Cases that may hang a process (FIFOs, devices) run in a subprocess; the heaviest
cases run in a subprocess too, to measure their peak memory (issue 11: under 1 GB)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scan2insole.cli import main, safe_stem
from tests.hardening.contract import (
    RSS_LIMIT_BYTES,
    TIME_LIMIT_S,
    assert_made,
    assert_rejected,
    run_in_process,
    run_subprocess,
)
from tests.hardening.corpus import Case, case_arguments, cases

CASES = cases()
FOOT_LENGTH_TOL_FRAC = 0.02  # an ambiguous foot reads as its scaled length within 2 %
# the heaviest inputs: the largest file, the biggest claims, the zip bombs, the widest scan
HEAVY = (
    "duplicates_1e6",
    "truncated_stl_1e9",
    "truncated_ply_1e9",
    "zip_bomb_3mf",
    "zip_bomb_lying_3mf",
    "two_feet",
)


def _param(case: Case) -> pytest.param:
    marks = []
    if case.slow or (case.gap and case.isolate):  # a known hang costs the full time limit
        marks.append(pytest.mark.slow)
    if case.gap:
        marks.append(pytest.mark.xfail(strict=True, reason=case.gap))
    return pytest.param(case, id=case.name, marks=marks)


def _arguments(case: Case, tmp_path: Path) -> tuple[list[str], Path]:
    if case.command not in main.commands:
        pytest.skip(f"scan2insole has no '{case.command}' command yet")
    return case_arguments(case, tmp_path), tmp_path / "out"


def _lock(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``path`` unreadable: chmod 0, and, as root (who reads any file), an ``os.open``
    that refuses this one path as the kernel would refuse anyone else."""
    path.chmod(0)
    if os.geteuid() != 0:
        return
    real_open = os.open

    def refusing(file: object, flags: int, *args: object, **kwargs: object) -> int:
        if os.fspath(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args, out = _arguments(case, tmp_path)
    if case.name == "unreadable":
        _lock(Path(args[1]), monkeypatch)
    if case.isolate:  # the wall-clock cut-off is generous: the limit is checked on CPU time
        outcome = run_subprocess(args, timeout_s=3 * TIME_LIMIT_S)
        assert 0 < outcome.peak_rss_bytes < RSS_LIMIT_BYTES, outcome.peak_rss_bytes
    else:
        outcome = run_in_process(args)
    if case.exit_code == 2:
        assert_rejected(outcome, out, word=case.word)
    else:
        scan = Path(args[1])
        report = assert_made(outcome, out, stem=safe_stem(str(scan)), data=scan.read_bytes())
        length = report["measurements"]["foot_length_mm"]
        assert length == pytest.approx(case.foot_length_mm, rel=FOOT_LENGTH_TOL_FRAC)
    assert outcome.cpu_seconds < TIME_LIMIT_S, f"{outcome.cpu_seconds:.1f} s CPU"


@pytest.mark.parametrize("name", HEAVY)
def test_heaviest_cases_stay_under_1_gb_and_10_s(name: str, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == name)
    args, out = _arguments(case, tmp_path)
    outcome = run_subprocess(args)
    assert_rejected(outcome, out, word=case.word)
    assert 0 < outcome.peak_rss_bytes < RSS_LIMIT_BYTES, outcome.peak_rss_bytes
    # CPU time of the whole process, its start (~1 s of imports) included
    assert outcome.cpu_seconds < TIME_LIMIT_S, f"{outcome.cpu_seconds:.1f} s CPU"


def test_the_corpus_covers_every_case_of_issue_11() -> None:
    names = {c.name for c in CASES}
    wanted = {
        "empty_stl",
        "random_stl",
        "random_ply",
        "random_obj",
        "truncated_stl_1e9",
        "truncated_ply_1e9",
        "ascii_stl_garbage",
        "ascii_ply_garbage",
        "obj_garbage",
        "nan_stl",
        "inf_ply",
        "single_triangle",
        "flat_square",
        "sphere",
        "cube",
        "two_feet",
        "hand_blob",
        "duplicates_1e6",
        "obj_missing_vertices",
        "ply_unknown_type",
        "directory",
        "unreadable",
        "zip_bomb_3mf",
        "profile_unknown_key",
        "profile_wrong_type",
        "profile_nan",
        "profile_huge",
        "profile_not_toml",
    } | {f"foot_{size}_in_{u}" for size in ("3m", "3mm") for u in ("mm", "cm", "m", "in")}
    assert wanted <= names, wanted - names
    assert len(names) == len(CASES)  # ids are unique
