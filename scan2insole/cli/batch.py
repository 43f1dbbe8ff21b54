"""``scan2insole batch``: a folder of scans in, insoles and a summary out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scan2insole.cli import main, profile_option, rejecting_bad_input
from scan2insole.cores import usable_cores

if TYPE_CHECKING:
    from scan2insole.batch.summary import Row

EXIT_SOME_FAILED = 1


@main.command()
@click.argument("in_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the insoles, reports and summary.csv / summary.json.",
)
@profile_option
@click.option(
    "-j",
    "--workers",
    "n_workers",
    type=click.IntRange(1, 64),
    default=usable_cores,
    show_default="one per core",
    help="Workers: scans (or pairs of scans) made at once, each in its own process.",
)
@click.option(
    "--resume", is_flag=True, help="Keep scans an earlier run into OUT_DIR finished (by sha256)."
)
@click.option(
    "--no-report",
    is_flag=True,
    help="Skip the HTML/PNG clinical reports (as make --no-report); the JSON report stays.",
)
@click.option(
    "--timeout-s",
    type=click.FloatRange(min=0.0, min_open=True),
    default=None,
    show_default="300",
    help="Time limit of one scan (a pair, made together, gets twice it); past it the scan "
    "fails and its worker is killed.",
)
@rejecting_bad_input
def batch(
    in_dir: Path,
    out_dir: Path,
    profile_name: str,
    n_workers: int,
    resume: bool,
    no_report: bool,
    timeout_s: float | None,
) -> None:
    """Design an insole for every scan under IN_DIR (searched recursively, by content).

    Each scan gets the files make writes, in IN_DIR's folders: IN_DIR/a/x.stl gives
    OUT_DIR/a/x.insole.stl, x.insole.3mf, x.report.json and the clinical report x.report.html
    with its x.report_*.png. Two scans of one person (a/anna_L.stl and a/anna_R.ply, or a
    folder of exactly two scans) are made together and also give a/anna.pair.3mf and the pair
    report a/anna.pair.report.html (+ PNGs). OUT_DIR/summary.csv and summary.json hold a row a
    scan (with the sha256 of every file it wrote), updated as each ends. A profiles.csv in
    IN_DIR or a <scan>.toml beside a scan may set its profile, --set overrides, side and units.
    Exit 0 when every scan succeeded, 1 when some failed (named in the summary), 2 when the
    arguments are unusable.
    """
    from tqdm import tqdm

    from scan2insole.batch import DEFAULT_TIMEOUT_S, run_batch

    bar: tqdm | None = None
    failed = finished = 0
    told: set[str] = set()

    def on_start(n_jobs: int, n_reused: int) -> None:
        nonlocal bar
        if n_reused:
            click.echo(f"{n_reused} scans already done (--resume); {n_jobs} to make", err=True)
        # on a terminal a live bar (done, failed, time left); in a log a line per scan instead
        bar = tqdm(total=n_jobs, unit="scan", file=sys.stderr, dynamic_ncols=True, disable=None)
        bar.set_postfix(failed=0)

    def on_row(row: Row) -> None:
        nonlocal failed, finished
        assert bar is not None
        finished += 1
        told.add(row.input)
        line = ""
        if row.status != "done":
            failed += 1
            line = f"{row.input}: {row.status}: {row.error}"
        elif row.warning:
            line = f"{row.input}: done, warning: {row.warning}"
        elif bar.disable:
            line = f"{row.input}: done in {row.seconds:.1f} s"
        if line:
            bar.write(f"[{finished}/{bar.total}] {line}" if bar.disable else line, file=sys.stderr)
        bar.set_postfix(failed=failed)
        bar.update(1)

    try:
        report = run_batch(
            in_dir,
            out_dir,
            profile=profile_name,
            n_workers=n_workers,
            resume=resume,
            write_reports=not no_report,
            timeout_s=DEFAULT_TIMEOUT_S if timeout_s is None else timeout_s,
            on_start=on_start,
            on_row=on_row,
        )
    finally:
        if bar is not None:
            bar.close()
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for pair in report.pairs:
        if pair["status"] != "ok":
            click.echo(f"pair {pair['pair']}: {pair['status']}; {pair['note']}", err=True)
    rows = report.rows
    bad = [r for r in rows if r.status != "done"]
    for row in bad:
        if row.input not in told:  # rejected before it reached a worker (its sidecar)
            click.echo(f"{row.input}: {row.status}: {row.error}", err=True)
    click.echo(
        f"{len(rows)} scans: {len(rows) - len(bad)} done, {len(bad)} failed; "
        f"see {out_dir / 'summary.csv'}",
        err=True,
    )
    if bad:
        sys.exit(EXIT_SOME_FAILED)
