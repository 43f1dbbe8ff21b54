"""The CLI's contract with hostile input, as assertions shared by the corpus and the fuzz tests.

Rejected input: exit 2, exactly one stderr line starting ``scan2insole: error: ``, no traceback,
no file left in the output folder. Accepted input: exit 0 and every output whole (the STL a closed
mesh, the 3MF readable, the report about these very bytes).
"""

from __future__ import annotations

import hashlib
import json
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from click.testing import CliRunner

PREFIX = "scan2insole: error: "
TIME_LIMIT_S = 10.0  # issue 11: every case within 10 s
RSS_LIMIT_BYTES = 1024**3  # issue 11: the largest case under 1 GB of resident memory
PYTHON = sys.executable


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Outcome:
    """What one run of the CLI did."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    """Wall-clock time."""
    cpu_seconds: float
    """CPU time of the run (user + system): what the time limit is checked against, so a CI
    machine busy with other jobs does not fail it; on an idle machine the single-threaded
    pipeline's wall time is about the same."""
    peak_rss_bytes: int = 0
    """Peak resident memory of the process (subprocess runs only; 0 in-process)."""


class Hung(AssertionError):
    """The CLI ran past the hang guard of an in-process run."""


def run_in_process(args: list[str], *, hang_s: float = 10 * TIME_LIMIT_S) -> Outcome:
    """Run ``scan2insole ARGS`` through the click group in this process.

    Exceptions are not caught: a bug surfaces as the test's own error, as a traceback would. A
    run still going after ``hang_s`` is interrupted (between Python bytecodes) and fails.
    """
    from scan2insole.cli import main

    def interrupt(_signum: int, _frame: object) -> None:
        raise Hung(f"scan2insole {' '.join(args)} still running after {hang_s} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, hang_s)
    start, start_cpu = time.perf_counter(), time.process_time()
    try:
        res = CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return Outcome(
        exit_code=res.exit_code,
        stdout=res.stdout,
        stderr=res.stderr,
        seconds=time.perf_counter() - start,
        cpu_seconds=time.process_time() - start_cpu,
    )


def run_subprocess(
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout_s: float = 10 * TIME_LIMIT_S,
) -> Outcome:
    """Run ``python -m scan2insole ARGS`` in a fresh process, timing it and measuring its peak
    resident memory (reported by the child itself; Linux)."""
    # the peak is read from /proc (VmHWM, this program's own memory since exec): getrusage's
    # ru_maxrss would also count the pages of the parent that forked it
    script = (
        "import re, runpy, sys\n"
        "sys.argv = ['scan2insole', *sys.argv[1:]]\n"
        "try:\n"
        "    runpy.run_module('scan2insole', run_name='__main__')\n"
        "finally:\n"
        "    status = open('/proc/self/status').read()\n"
        "    kb = re.search(r'VmHWM:\\s*(\\d+)', status).group(1)\n"
        "    sys.stdout.flush()\n"
        "    print(f'\\x00rss={kb}', file=sys.stdout)\n"
    )
    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        proc = subprocess.run(
            [PYTHON, "-c", script, *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
            timeout=timeout_s,  # a hang fails the test instead of stalling the suite
        )
    except subprocess.TimeoutExpired as err:
        raise AssertionError(f"scan2insole {' '.join(args)} hung ({err.timeout} s)") from err
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    stdout, _, rss = proc.stdout.rpartition("\x00rss=")
    return Outcome(
        exit_code=proc.returncode,
        stdout=stdout.removesuffix("\n") if rss else proc.stdout,
        stderr=proc.stderr,
        seconds=seconds,
        cpu_seconds=cpu,
        peak_rss_bytes=int(rss) * 1024 if rss.strip().isdigit() else 0,
    )


def files_in(folder: Path) -> list[str]:
    """Every file under ``folder`` (hidden temp files included), relative, sorted."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def assert_rejected(outcome: Outcome, out: Path, *, word: str = "") -> str:
    """The rejection contract; returns the message after the prefix."""
    err = outcome.stderr
    assert "Traceback" not in err, err
    assert outcome.exit_code == 2, (outcome.exit_code, err, outcome.stdout)
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(PREFIX), lines[0]
    assert lines[0].isprintable(), repr(lines[0])
    assert word.lower() in lines[0].lower(), (word, lines[0])
    assert files_in(out) == [], files_in(out)
    return lines[0].removeprefix(PREFIX)


def closed_mesh_edges_ok(faces: np.ndarray) -> bool:
    """Every undirected edge of ``faces`` ((m, 3) int) is used by exactly two triangles, in
    opposite directions: a closed, consistently wound surface."""
    directed = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    forward = {tuple(e) for e in directed.tolist()}
    if len(forward) != len(directed):
        return False  # an edge walked twice the same way: inconsistent winding or non-manifold
    return all((b, a) in forward for a, b in forward)


def assert_made(outcome: Outcome, out: Path, *, stem: str, data: bytes) -> dict:
    """The success contract for one scan made into ``out``; returns the report."""
    from scan2insole.formats import threemf
    from scan2insole.load import read_scan_bytes

    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.exit_code == 0, (outcome.exit_code, outcome.stderr)
    names = files_in(out)
    # the insole files and the report, and anything else only under the scan's own stem
    # (figures, HTML): no temp file left, no name from elsewhere
    assert {f"{stem}.insole.stl", f"{stem}.insole.3mf", f"{stem}.report.json"} <= set(names)
    assert all(n.startswith(f"{stem}.") for n in names), names
    report = json.loads((out / f"{stem}.report.json").read_text(encoding="utf-8"))
    assert report["input"]["sha256"] == hashlib.sha256(data).hexdigest()
    insole = read_scan_bytes((out / f"{stem}.insole.stl").read_bytes(), name="insole.stl")
    assert len(insole.faces) >= 4
    assert closed_mesh_edges_ok(insole.faces)
    model = threemf.read((out / f"{stem}.insole.3mf").read_bytes(), name="insole.3mf")
    assert len(model.parts) == 1
    return report
