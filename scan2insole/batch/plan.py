"""The batch's plan: a row per scan and the jobs that make the scans not yet done.

Each scan's settings come from ``job_profiles`` (a bad sidecar fails that scan here), its output
names from ``outputs``. The two scans of a pair (``pairs``) are one job, made in one worker;
``--resume`` keeps a pair only when both its scans are proved done (``resume``), and a single
scan when it is. Jobs run largest input first, so the workers run out of work at about the same
time.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from scan2insole import __version__
from scan2insole.batch.discover import ScanFile
from scan2insole.batch.job import Job, ScanTask
from scan2insole.batch.job_profiles import JobSettings, settings_for
from scan2insole.batch.outputs import output_stems, pair_stems
from scan2insole.batch.pairs import pair_scans
from scan2insole.batch.resume import is_complete
from scan2insole.batch.summary import Row, result_from_dict, warning_for
from scan2insole.errors import ProfileError
from scan2insole.output_files import scan_output_names
from scan2insole.profile import Profile, load_profile


def plan_batch(
    scans: tuple[ScanFile, ...],
    dst: Path,
    *,
    default: Profile,
    profile_arg: str,
    csv_rows: dict,
    previous: dict[str, dict[str, Any]],
    write_reports: bool,
    n_workers: int,
) -> tuple[list[Row], list[Job]]:
    """A row per scan (``failed`` when its settings are bad, ``done`` when ``--resume`` proves
    it finished, else ``pending``) and the jobs for the pending ones, largest first.

    Parameters
    ----------
    scans
        The scans found, sorted by relative path (rows follow this order).
    dst
        The output folder.
    default
        The command line's profile (the summary's profile of scans whose settings fail).
    profile_arg
        The command line's profile name or path, for ``job_profiles.settings_for``.
    csv_rows
        ``job_profiles.read_profiles_csv`` of the input folder.
    previous
        The earlier run's rows by input (``summary.read_previous``); empty without ``--resume``.
    write_reports
        Whether scans get the HTML clinical report and its pictures.
    n_workers
        Worker processes asked for: with more than one at work, each draws its report pictures
        on one core.
    """
    rels = [s.rel for s in scans]
    pairs = pair_scans(rels)
    stems = output_stems(rels)
    profiles: dict[tuple, Profile] = {}
    rows: list[Row] = []
    tasks: dict[int, tuple[ScanTask, bool, int]] = {}  # row index -> task, proved done, bytes
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
        before = previous.get(row.input)
        complete = (
            before is not None
            and before.get("pair") == row.pair
            and is_complete(
                before,
                version=__version__,
                scan=scan.path,
                profile_sha256=row.profile_sha256,
                side=settings.side,
                units=settings.units,
                out_dir=dst,
                needed=_needed(stem, write_reports=write_reports),
            )
        )
        task = ScanTask(
            index=len(rows),
            rel=row.input,
            profile=prof,
            side=settings.side,  # type: ignore[arg-type]
            units=settings.units,  # type: ignore[arg-type]
            stem=stem.as_posix(),
        )
        tasks[task.index] = (task, complete, _size(scan.path))
        rows.append(row)
    groups = _groups(rows, tasks)
    pair_stem = pair_stems(
        {ident: [PurePosixPath(rows[i].input) for i in idx] for ident, idx in groups.items()},
        stems,
    )
    n_jobs = sum(not all(tasks[i][1] for i in idx) for idx in _jobs_of(groups, tasks))
    processes = 1 if min(n_workers, n_jobs) > 1 else None
    jobs: list[tuple[int, Job]] = []
    for idx in _jobs_of(groups, tasks):
        if all(tasks[i][1] for i in idx):  # proved done: keep what the earlier run recorded
            for i in idx:
                kept = result_from_dict(i, previous[rows[i].input])
                row = replace(rows[i], status="done", result=kept, seconds=kept.seconds)
                rows[i] = replace(row, reused=True, warning=warning_for(row, kept))
            continue
        ident = rows[idx[0]].pair if len(idx) == 2 else None
        job = Job(
            scans=tuple(tasks[i][0] for i in idx),
            pair_stem=None if ident is None else pair_stem[ident].as_posix(),
            out_dir=str(dst.resolve()),
            report=write_reports,
            processes=processes,
        )
        jobs.append((sum(tasks[i][2] for i in idx), job))
    # the largest (longest) jobs first, so the workers run out of work at about the same time
    return rows, [job for _, job in sorted(jobs, key=lambda sj: (-sj[0], sj[1].scans[0].rel))]


def _groups(rows: list[Row], tasks: dict[int, Any]) -> dict[str, list[int]]:
    """Pair identifier -> the row indices of its two scans, for pairs whose two scans both have
    usable settings (a pair that lost one to a bad sidecar leaves a single scan)."""
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row.pair is not None and i in tasks:
            groups.setdefault(row.pair, []).append(i)
    return {ident: idx for ident, idx in groups.items() if len(idx) == 2}


def _jobs_of(groups: dict[str, list[int]], tasks: dict[int, Any]) -> list[list[int]]:
    """Row indices of each job: a pair's two scans, or one scan."""
    paired = {i for idx in groups.values() for i in idx}
    return [*groups.values(), *([i] for i in tasks if i not in paired)]


def _needed(stem: PurePosixPath, *, write_reports: bool) -> dict[str, str]:
    """``kind -> path`` of the files every made scan has (its pictures and a pair's files are
    known by name only once made; ``resume`` checks those by the recorded list)."""
    names = scan_output_names(stem.name, report=write_reports)
    return {kind: (stem.parent / name).as_posix() for kind, name in names.items()}


def _profile(settings: JobSettings, cache: dict[tuple, Profile]) -> Profile:
    key = (settings.profile, settings.overrides)
    if key not in cache:
        cache[key] = load_profile(settings.profile, overrides=dict(settings.overrides))
    return cache[key]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
