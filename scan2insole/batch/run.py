"""Run a batch: every scan under a folder made in worker processes, the summary kept current.

Order of work: lock the output folder, remove temporary files a killed run left, find the scans,
settle each one's settings (``job_profiles``) and output names (``outputs``), keep what
``--resume`` proves done (``resume``), write the summary with the rest ``pending``, run the rest
largest file first (the long jobs start early, so two workers finish together), and rewrite the
summary as each scan ends.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scan2insole import __version__
from scan2insole.batch.discover import ScanFile, find_scans
from scan2insole.batch.job import Job, JobResult
from scan2insole.batch.job_profiles import (
    JobSettings,
    read_profiles_csv,
    settings_for,
    unmatched_rows,
)
from scan2insole.batch.lock import output_folder_lock
from scan2insole.batch.outputs import (
    REPORT_SUFFIX,
    STL_SUFFIX,
    output_stems,
    remove_stale_temps,
)
from scan2insole.batch.pairs import pair_scans
from scan2insole.batch.pool import run_jobs
from scan2insole.batch.resume import is_complete
from scan2insole.batch.summary import (
    SUMMARY_JSON,
    Row,
    read_previous,
    result_from_dict,
    summary_dict,
    write_summary,
)
from scan2insole.errors import OutputError, ProfileError, ScanError
from scan2insole.profile import Profile, load_profile

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
        Output folder; may lie inside ``in_dir`` (it is not searched). Receives
        ``<folders>/<stem>.insole.stl``, ``<stem>.report.json`` and ``summary.csv/json``.
    profile
        Profile name or TOML path for scans that name none.
    n_workers
        Worker processes.
    resume
        Keep scans an earlier run into ``out_dir`` finished (proved by sha256); without it an
        ``out_dir`` holding an earlier summary is refused, so no finished work is overwritten.
    write_reports
        Write each scan's JSON report.
    timeout_s
        Wall-time limit of one scan.
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
        rows, jobs = _plan(
            scans,
            dst,
            default=default,
            profile_arg=profile,
            csv_rows=csv_rows,
            previous=previous,
            write_reports=write_reports,
        )
        if on_start is not None:
            on_start(len(jobs), sum(r.reused for r in rows))

        def write() -> None:
            ordered = _ordered(rows)
            summary = summary_dict(
                ordered,
                version=__version__,
                profile=default.name,
                pairs=_pair_report(ordered),
                warnings=warnings,
            )
            write_summary(dst, summary, ordered)

        def finished(result: JobResult) -> None:
            row = rows[result.index]
            rows[result.index] = row = replace(
                row,
                status=result.status,
                error=result.error,
                seconds=result.seconds,
                result=result,
                warning=_warning(row, result),
            )
            write()
            if on_row is not None:
                on_row(row)

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
        rows=tuple(ordered), pairs=tuple(_pair_report(ordered)), warnings=tuple(warnings)
    )


def _plan(
    scans: tuple[ScanFile, ...],
    dst: Path,
    *,
    default: Profile,
    profile_arg: str,
    csv_rows: dict,
    previous: dict[str, dict[str, Any]],
    write_reports: bool,
) -> tuple[list[Row], list[Job]]:
    """A row per scan (``failed`` when its settings are bad, ``done`` when ``--resume`` proves
    it finished, else ``pending``) and the jobs for the pending ones, largest file first."""
    rels = [s.rel for s in scans]
    pairs = pair_scans(rels)
    stems = output_stems(rels)
    profiles: dict[tuple, Profile] = {}
    rows: list[Row] = []
    jobs: list[tuple[int, Job]] = []
    for scan in scans:
        info = pairs[scan.rel]
        row = Row(
            input=scan.rel.as_posix(),
            pair=info.pair,
            side_from_name=info.side_from_name,
            settings="command line",
            profile=default.name,
            profile_sha256="",
            side_setting="auto",
            units_setting="auto",
        )
        try:
            settings = settings_for(
                scan.path, scan.rel, default_profile=profile_arg, csv_rows=csv_rows
            )
            row = replace(
                row,
                settings=settings.source,
                side_setting=settings.side,
                units_setting=settings.units,
            )
            prof = _profile(settings, profiles)
        except ProfileError as err:
            rows.append(replace(row, status="failed", error=" ".join(str(err).split())))
            continue
        row = replace(row, profile=prof.name, profile_sha256=prof.sha256())
        stem = stems[scan.rel]
        needed = {"stl": f"{stem}{STL_SUFFIX}"}
        if write_reports:
            needed["report"] = f"{stem}{REPORT_SUFFIX}"
        before = previous.get(row.input)
        if is_complete(
            before,
            version=__version__,
            scan=scan.path,
            profile_sha256=row.profile_sha256,
            side=settings.side,
            units=settings.units,
            out_dir=dst,
            needed=needed,
        ):
            assert before is not None
            kept = result_from_dict(len(rows), before)
            row = replace(row, status="done", result=kept, seconds=kept.seconds, reused=True)
            rows.append(replace(row, warning=_warning(row, kept)))
            continue
        rows.append(row)
        job = Job(
            index=len(rows) - 1,
            rel=row.input,
            profile=prof,
            side=settings.side,  # type: ignore[arg-type]
            units=settings.units,  # type: ignore[arg-type]
            out_dir=str(dst.resolve()),
            stl=needed["stl"],
            report=needed.get("report"),
        )
        jobs.append((_size(scan.path), job))
    # the largest (longest) scans first, so the workers run out of work at about the same time
    return rows, [job for _, job in sorted(jobs, key=lambda sj: (-sj[0], sj[1].rel))]


def _profile(settings: JobSettings, cache: dict[tuple, Profile]) -> Profile:
    key = (settings.profile, settings.overrides)
    if key not in cache:
        cache[key] = load_profile(settings.profile, overrides=dict(settings.overrides))
    return cache[key]


def _warning(row: Row, result: JobResult) -> str:
    """What the operator should look at in a scan that was made: a side that contradicts the
    file name, an insole that fails its print checks."""
    notes = []
    if row.side_from_name and result.side and result.side != row.side_from_name:
        how = "detected from the anatomy" if result.side_detected else "set"
        notes.append(f"name says {row.side_from_name} foot, but the side {how} is {result.side}")
    if result.failed_checks:
        notes.append(f"fails print checks: {', '.join(result.failed_checks)} (see its report)")
    return "; ".join(notes)


def _ordered(rows: list[Row]) -> list[Row]:
    """Rows by input path, the two scans of a pair together (at the first one's place)."""
    first: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r.input):
        if row.pair is not None:
            first.setdefault(row.pair, row.input)
    return sorted(rows, key=lambda r: (first.get(r.pair, r.input) if r.pair else r.input, r.input))


def _pair_report(rows: list[Row]) -> list[dict[str, Any]]:
    """Each pair with its scans and whether they came out one left and one right."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        if row.pair is not None:
            groups.setdefault(row.pair, []).append(row)
    out = []
    for ident, members in groups.items():
        sides = sorted(r.result.side for r in members if r.status == "done" and r.result)
        if len(sides) < len(members):
            status = "incomplete"
        elif sides == ["left", "right"]:
            status = "ok"
        else:
            status = f"both {sides[0]}: check which scan is which foot"
        out.append({"pair": ident, "scans": [r.input for r in members], "status": status})
    return out


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _what(path: Path) -> str:
    if not path.exists():
        return "nothing there"
    return "a folder" if path.is_dir() else "a file"
