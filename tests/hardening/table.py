"""Print the corpus result table (case -> exit code -> message) as Markdown.

    .venv/bin/python -m tests.hardening.table [--slow]
    .venv/bin/python -m tests.hardening.table --heavy

Every case runs as in ``test_corpus.py`` (in this process, or in a subprocess for the inputs
that may hang one); ``--slow`` adds the slow cases. The CPU seconds column is the run's CPU time.
``--heavy`` instead runs the heaviest cases each in a fresh process and prints the input size,
peak resident memory and times of the whole process (start-up included).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.hardening.contract import (
    RSS_LIMIT_BYTES,
    TIME_LIMIT_S,
    Hung,
    run_in_process,
    run_subprocess,
)
from tests.hardening.corpus import case_arguments, cases


def heavy() -> None:
    from tests.hardening.test_corpus import HEAVY

    print("| case | input bytes | exit | peak RSS MB | CPU s | wall s |")
    print("|---|---|---|---|---|---|")
    for case in cases():
        if case.name not in HEAVY:
            continue
        with tempfile.TemporaryDirectory(prefix="corpus_") as tmp:
            args = case_arguments(case, Path(tmp))
            size = sum(p.stat().st_size for p in (Path(tmp) / "in").iterdir())
            o = run_subprocess(args)
            print(
                f"| {case.name} | {size} | {o.exit_code} | {o.peak_rss_bytes / 1e6:.0f} | "
                f"{o.cpu_seconds:.1f} | {o.seconds:.1f} |"
            )


def main(argv: list[str]) -> int:
    """Print the table; return 1 when a case breaks the contract (a gap), else 0."""
    if "--heavy" in argv:
        heavy()
        return 0
    with_slow = "--slow" in argv
    gaps = 0
    print("| case | exit | CPU s | message (or the made foot) | contract |")
    print("|---|---|---|---|---|")
    for case in cases():
        if case.slow and not with_slow:
            continue
        with tempfile.TemporaryDirectory(prefix="corpus_") as tmp:
            args = case_arguments(case, Path(tmp))
            if case.name == "unreadable":
                print(
                    f"| {case.name} | - | - | run by the test only (needs a monkeypatch as root)"
                    " | - |"
                )
                continue
            try:
                if case.isolate:
                    o = run_subprocess(args, timeout_s=3 * TIME_LIMIT_S)
                else:
                    o = run_in_process(args)
            except (AssertionError, Hung) as err:
                shown = str(err).replace(tmp, "…")
                print(f"| {case.name} | hang | - | {shown} | GAP |")
                gaps += 1
                continue
            except Exception as err:  # a bug: listed as a gap (the exit code says so), not hidden
                print(f"| {case.name} | crash | - | {type(err).__name__}: {err} | GAP |")
                gaps += 1
                continue
            lines = o.stderr.strip().splitlines()
            message = lines[-1].replace(tmp, "…") if lines else ""
            message = message.replace("|", "\\|")
            if case.isolate:
                message += f" (peak RSS {o.peak_rss_bytes / 1e6:.0f} MB)"
            ok = (
                o.exit_code == case.exit_code
                and o.cpu_seconds < TIME_LIMIT_S
                and (not case.isolate or o.peak_rss_bytes < RSS_LIMIT_BYTES)
                and (
                    case.exit_code == 0
                    or (len(lines) == 1 and case.word.lower() in message.lower())
                )
            )
            verdict = "ok" if ok else "GAP"
            gaps += not ok
            if case.exit_code == 0 and ok:
                verdict = "ok (ambiguous: a valid foot in another unit)"
            print(f"| {case.name} | {o.exit_code} | {o.cpu_seconds:.1f} | {message} | {verdict} |")
    return int(gaps > 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
