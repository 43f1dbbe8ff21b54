"""``make``'s messages when it cannot write: one ``scan2insole: error:`` line, exit 2, nothing
written, whether the problem is found before the pipeline runs (an existing output, ``-o`` a
file) or only at the end (an output named after the report's pictures, a folder that cannot be
made); and on success the one line per foot, after the files are written."""

from __future__ import annotations

from pathlib import Path

import pytest

import scan2insole.pipeline
from scan2insole.report.foot import PICTURES
from tests.hardening.contract import PREFIX, Outcome, files_in, run_in_process
from tests.hardening.corpus import scaled_foot

SMALL_FOOT_MM = 140.0  # a child's foot: valid, and the quickest foot to make an insole for
KEEP = b"keep me"


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    path = tmp_path / "foot.stl"
    path.write_bytes(scaled_foot(SMALL_FOOT_MM, "mm"))
    return path


def _one_error_line(outcome: Outcome) -> str:
    """The rejection contract's message part; fails unless stderr is exactly that one line."""
    assert outcome.exit_code == 2, (outcome.exit_code, outcome.stderr)
    assert "Traceback" not in outcome.stderr
    lines = outcome.stderr.splitlines()
    assert len(lines) == 1, outcome.stderr
    assert lines[0].startswith(PREFIX), lines[0]
    assert outcome.stdout == ""
    return lines[0].removeprefix(PREFIX)


def _no_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if ``make`` starts work on the scan: the refusal must come first."""

    def refusing(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the pipeline ran before the refusal")

    monkeypatch.setattr(scan2insole.pipeline, "make", refusing)


@pytest.mark.parametrize(
    "name", ["foot.insole.stl", "foot.insole.3mf", "foot.report.json", "foot.report.html"]
)
def test_an_existing_output_is_refused_at_once_in_one_line(
    scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / name).write_bytes(KEEP)
    _no_pipeline(monkeypatch)
    message = _one_error_line(run_in_process(["make", str(scan), "-o", str(out)]))
    assert message == f"{out / name} exists; use --overwrite to replace it"
    assert files_in(out) == [name] and (out / name).read_bytes() == KEEP


def test_an_output_known_only_after_the_pipeline_is_refused_in_one_line(
    scan: Path, tmp_path: Path
) -> None:
    # the report's pictures are named as they are drawn, so this one is found at write time
    name = f"foot.report_{PICTURES[0]}.png"
    out = tmp_path / "out"
    out.mkdir()
    (out / name).write_bytes(KEEP)
    message = _one_error_line(run_in_process(["make", str(scan), "-o", str(out)]))
    assert message == f"{out / name} exists; use --overwrite to replace it"
    assert files_in(out) == [name] and (out / name).read_bytes() == KEEP


def test_an_output_folder_that_is_a_file_is_refused_in_one_line(
    scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.write_bytes(KEEP)
    _no_pipeline(monkeypatch)
    message = _one_error_line(run_in_process(["make", str(scan), "-o", str(out)]))
    assert message == f"-o {out} is a file; expected a folder for the outputs"
    assert out.read_bytes() == KEEP
    assert files_in(tmp_path) == ["foot.stl", "out"]


def test_a_folder_that_cannot_be_made_is_refused_in_one_line(scan: Path, tmp_path: Path) -> None:
    # a folder under a file: found only when the outputs are written, after the pipeline
    blocker = tmp_path / "blocker"
    blocker.write_bytes(KEEP)
    args = ["make", str(scan), "-o", str(blocker / "out"), "--no-report", "--format", "stl"]
    message = _one_error_line(run_in_process(args))
    assert message.startswith(f"cannot write {blocker / 'out'}")
    assert blocker.read_bytes() == KEEP
    assert files_in(tmp_path) == ["blocker", "foot.stl"]


def test_success_says_one_line_per_foot_after_writing(scan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    outcome = run_in_process(["make", str(scan), "-o", str(out), "--no-report"])
    assert outcome.exit_code == 0, outcome.stderr
    (line,) = outcome.stderr.splitlines()
    assert line.startswith(f"{scan}: right foot 14")  # 140 mm long, as made
    assert line.endswith(" mm -> foot.insole.stl + foot.insole.3mf")
    assert files_in(out) == ["foot.insole.3mf", "foot.insole.stl", "foot.report.json"]
