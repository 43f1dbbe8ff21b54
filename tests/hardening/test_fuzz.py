"""Fuzzing (issue 11): mutants of valid scans (``mutants.py``) must be read or refused cleanly.

Two levels, each run briefly by default and long with ``-m slow``:

- the reader: ``read_scan_bytes`` returns a valid ``RawScan`` or raises one ``ScanError`` line,
  nothing else, for every mutant (fast: thousands of mutants a minute);
- the CLI: ``scan2insole make`` exits 0 with whole outputs (closed STL, readable 3MF, a report
  of these bytes) or exits 2 with one ``scan2insole: error:`` line and no file, for every mutant.

The brief runs are derandomized (the same mutants every time, so CI is stable); the long runs
draw new mutants each time. The long run (``SCAN2INSOLE_FUZZ_LOG=path`` also logs every CLI
mutant as a JSON line)::

    SCAN2INSOLE_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest -m slow \\
        tests/hardening/test_fuzz.py --hypothesis-show-statistics
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings

from scan2insole.cli import safe_stem
from scan2insole.errors import ScanError
from scan2insole.load import MAX_ABS_COORDINATE, MIN_VERTICES, read_scan_bytes
from tests.hardening.contract import (
    TIME_LIMIT_S,
    assert_made,
    assert_rejected,
    run_in_process,
)
from tests.hardening.mutants import Mutant, mutants, pinned

BRIEF_READER_EXAMPLES = 1000  # ~6 s
BRIEF_CLI_EXAMPLES = 80  # ~15 s: most are refused in milliseconds, a made insole takes ~1-3 s
LONG_EXAMPLES = int(os.environ.get("SCAN2INSOLE_FUZZ_EXAMPLES", "1000"))
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
BRIEF = settings(deadline=None, derandomize=True, database=None, suppress_health_check=_HEALTH)
LONG = settings(deadline=None, database=None, suppress_health_check=_HEALTH)

# geometry already taken through the whole CLI: a mutant that reads to the same vertices and
# faces (a flipped bit in an STL normal, header or attribute) has nothing new to show the
# pipeline, so it is checked at the reader level only
_made_geometry: set[str] = set()
# set to a file path to log one JSON line per CLI mutant (seed, edits, exit code, CPU s)
LOG = os.environ.get("SCAN2INSOLE_FUZZ_LOG")


def _check_reader(m: Mutant) -> None:
    try:
        raw = read_scan_bytes(m.data, name=m.name)
    except ScanError as err:
        message = str(err)
        assert "\n" not in message, (m.edits, message)
        assert message.startswith(f"{m.name}: "), (m.edits, message)
        return
    assert len(raw.vertices) >= MIN_VERTICES
    assert np.isfinite(raw.vertices).all()
    assert np.abs(raw.vertices).max() <= MAX_ABS_COORDINATE
    if len(raw.faces):
        assert raw.faces.min() >= 0 and raw.faces.max() < len(raw.vertices)
    assert raw.sha256 == hashlib.sha256(m.data).hexdigest()


def _check_cli(m: Mutant) -> None:
    try:
        raw = read_scan_bytes(m.data, name=m.name)
        key = hashlib.sha256(
            raw.format.encode() + raw.vertices.tobytes() + raw.faces.tobytes()
        ).hexdigest()
        if key in _made_geometry:
            return
    except ScanError:
        key = ""
    with tempfile.TemporaryDirectory(prefix="fuzz_") as tmp:
        scan = Path(tmp) / m.name
        scan.write_bytes(m.data)
        out = Path(tmp) / "out"
        outcome = run_in_process(["make", str(scan), "-o", str(out)])
        if LOG:
            with open(LOG, "a", encoding="utf-8") as log:
                entry = {"seed": m.name, "edits": m.edits, "exit": outcome.exit_code}
                entry |= {"cpu_s": round(outcome.cpu_seconds, 2), "error": outcome.stderr[-200:]}
                log.write(json.dumps(entry) + "\n")
        if outcome.exit_code == 0:
            assert_made(outcome, out, stem=safe_stem(m.name), data=m.data)
            _made_geometry.add(key)
        else:
            assert_rejected(outcome, out)
        # a mutant the reader refuses must be refused at once, not after minutes of work
        assert key or outcome.cpu_seconds < TIME_LIMIT_S, (m.edits, outcome.cpu_seconds)


def _pin(test):
    for m in pinned():
        test = example(m=m)(test)
    return test


@settings(BRIEF, max_examples=BRIEF_READER_EXAMPLES)
@given(m=mutants())
@_pin
def test_reader_reads_or_refuses_every_mutant(m: Mutant) -> None:
    _check_reader(m)


@settings(BRIEF, max_examples=BRIEF_CLI_EXAMPLES)
@given(m=mutants())
@_pin
def test_make_keeps_the_contract_for_every_mutant(m: Mutant) -> None:
    _check_cli(m)


@pytest.mark.slow
@settings(LONG, max_examples=20 * LONG_EXAMPLES)
@given(m=mutants())
def test_reader_long(m: Mutant) -> None:
    _check_reader(m)


@pytest.mark.slow
@settings(LONG, max_examples=LONG_EXAMPLES)
@given(m=mutants())
def test_make_long(m: Mutant) -> None:
    _check_cli(m)
