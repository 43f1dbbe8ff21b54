"""Run a batch: every scan under a folder made in worker processes, the summary kept current.

Order of work: lock the output folder, remove temporary files a killed run left, find the scans,
plan (``plan``: each one's settings and output names, pairs as one job each, what ``--resume``
proves done), write the summary with the rest ``pending``, run the jobs largest first (the long
jobs start early, so two workers finish together), and rewrite the summary as each scan ends.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scan2insole import __version__
from scan2insole.batch.discover import find_scans
from scan2insole.batch.job import JobResult
from scan2insole.batch.job_profiles import read_profiles_csv, unmatched_rows
from scan2insole.batch.lock import output_folder_lock
from scan2insole.batch.outputs import remove_stale_temps
from scan2insole.batch.plan import plan_batch
from scan2insole.batch.pool import run_jobs
from scan2insole.batch.summary import (
    SUMMARY_JSON,
    Row,
    pair_report,
    read_previous,
    summary_dict,
    warning_for,
    write_summary,
)
from scan2insole.errors import OutputError, ScanError
from scan2insole.profile import load_profile

DEFAULT_TIMEOUT_S = 300.0
"""Per-scan limit: a 1 M-point scan takes well under a minute on 2 cores, so five minutes only
stops scans that will never finish."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class BatchReport:
    """What a batch did: a row per scan, the pairs, and warnings for the operator."""

    rows: tuple[Row, ...]
    pairs: tuple[dict[str, Any], ...]
    warnings: tuple[str, ...]

    @property
    def all_done(self) -> bool:
        return all(row.status == "done" for row in self.rows)


def run_batch(
    in_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    profile: str = "neutral",
    n_workers: int = 2,
    resume: bool = False,
    write_reports: bool = True,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    on_start: Callable[[int, int], None] | None = None,
    on_row: Callable[[Row], None] | None = None,
    memory_limit_mb: float | None = None,
) -> BatchReport:
    """Make an insole for every scan under ``in_dir`` into ``out_dir``.

    Parameters
    ----------
    in_dir
        Folder searched recursively for scans (by content; see ``discover``), with an optional
        ``profiles.csv`` and sidecar TOML files (see ``job_profiles``).
    out_dir
        Output folder; may lie inside ``in_dir`` (it is not searched). Receives, in the input's
        folders, the files ``make`` writes (``output_files``): ``<stem>.insole.stl``,
        ``<stem>.insole.3mf``, ``<stem>.report.json``, ``<stem>.report.html`` and its
        ``<stem>.report_*.png``; for a pair also ``<person>.pair.3mf`` and the pair report; and
        ``summary.csv/json``.
    profile
        Profile name or TOML path for scans that name none.
    n_workers
        Worker processes.
    resume
        Keep scans an earlier run into ``out_dir`` finished (proved by sha256); without it an
        ``out_dir`` holding an earlier summary is refused, so no finished work is overwritten.
    write_reports
        Write the HTML clinical reports and their pictures (the JSON report is always written).
    timeout_s
        Wall-time limit of one scan (a pair, made as one job, gets twice this).
    on_start
        Called once with (scans to make, scans kept from the earlier run).
    on_row
        Called with each row as its scan finishes.
    memory_limit_mb
        Address-space limit of one worker (a scan past it fails with "not enough memory");
        None shares 80 % of the physical memory among the workers.

    Raises
    ------
    ScanError
        ``in_dir`` is not a folder.
    OutputError
        ``out_dir`` is not a writable folder, holds an earlier batch without ``resume``, or
        another batch is writing to it.
    ProfileError
        The default profile or ``profiles.csv`` is invalid (a bad sidecar fails its scan only).
    """
    if n_workers < 1 or not timeout_s > 0:
        raise ValueError(f"need n_workers >= 1 and timeout_s > 0, got {n_workers}, {timeout_s}")
    src, dst = Path(in_dir), Path(out_dir)
    if not src.is_dir():
        raise ScanError(f"{src}: expected a folder of scans, found {_what(src)}")
    if dst.exists() and not dst.is_dir():
        raise OutputError(f"{dst}: expected an output folder, found {_what(dst)}")
    if not resume and (dst / SUMMARY_JSON).exists():
        raise OutputError(
            f"{dst} holds the {SUMMARY_JSON} of an earlier batch; use --resume to continue it "
            "or choose another output folder"
        )
    default = load_profile(profile)
    csv_rows = read_profiles_csv(src)
    dst.mkdir(parents=True, exist_ok=True)
    with output_folder_lock(dst):
        remove_stale_temps(dst)
        scans = find_scans(src, skip=(dst,))
        rels = [s.rel for s in scans]
        previous = read_previous(dst) if resume else {}
        warnings = [
            f"profiles.csv names {name!r}, which is no scan under the input folder"
            for name in unmatched_rows(csv_rows, rels)
        ]
        gone = sorted(set(previous) - {r.as_posix() for r in rels})
        if gone:
            warnings.append(
                f"{len(gone)} scans of the earlier run are no longer under the input folder "
                f"(first: {gone[0]}); their outputs are left as they are"
            )
        rows, jobs = plan_batch(
            scans,
            dst,
            default=default,
            profile_arg=profile,
            csv_rows=csv_rows,
            previous=previous,
            write_reports=write_reports,
            n_workers=n_workers,
        )
        if on_start is not None:
            on_start(sum(len(j.scans) for j in jobs), sum(r.reused for r in rows))

        def write() -> None:
            ordered = _ordered(rows)
            summary = summary_dict(
                ordered,
                version=__version__,
                profile=default.name,
                pairs=pair_report(ordered),
                warnings=warnings,
            )
            write_summary(dst, summary, ordered)

        told: set[int] = set()

        def finished(result: JobResult) -> None:
            row = rows[result.index]
            rows[result.index] = row = replace(
                row,
                status=result.status,
                error=result.error,
                seconds=result.seconds,
                result=result,
                warning=warning_for(row, result),
            )
            write()
            # a pair's first scan is reported again with the pair's files: told once
            if on_row is not None and result.index not in told:
                on_row(row)
            told.add(result.index)

        write()
        run_jobs(
            jobs,
            n_workers=n_workers,
            timeout_s=timeout_s,
            in_dir=str(src.resolve()),
            on_result=finished,
            memory_limit_mb=memory_limit_mb,
        )
    ordered = _ordered(rows)
    return BatchReport(
        rows=tuple(ordered), pairs=tuple(pair_report(ordered)), warnings=tuple(warnings)
    )


def _ordered(rows: list[Row]) -> list[Row]:
    """Rows by input path, the two scans of a pair together (at the first one's place)."""
    first: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r.input):
        if row.pair is not None:
            first.setdefault(row.pair, row.input)
    return sorted(rows, key=lambda r: (first.get(r.pair, r.input) if r.pair else r.input, r.input))


def _what(path: Path) -> str:
    if not path.exists():
        return "nothing there"
    return "a folder" if path.is_dir() else "a file"
