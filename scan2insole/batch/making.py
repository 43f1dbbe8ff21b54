"""What a worker does with one job: make its scans, write their files, then the pair's files.

The files are those ``make`` writes (``output_files``). A single scan: make it, write its files,
report it. A pair: make the first scan, write its own files at once and report it, so that a
partner that then hangs, is rejected or takes the worker down cannot take them along; make the
second. When both are made and are one left and one right foot, the second scan's files, the
first's JSON report again (it now names the pair 3MF) and the pair's files go in one atomic
write, and both scans are reported again with them. Otherwise the second scan gets its own files
only and the pair none (the summary says why).

Rejected input (any ``Scan2InsoleError``, or ``MemoryError``) is that scan's ``failed`` result
with the usual one-line message; anything else is a bug and propagates (see ``worker``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from scan2insole.batch.job import Job, JobReply, JobResult, ScanTask
from scan2insole.errors import Scan2InsoleError

if TYPE_CHECKING:
    from scan2insole.pipeline import MakeResult

Made = tuple[ScanTask, "MakeResult", float]
"""A scan made: its task, its result, and when its work started (``perf_counter``, s)."""


def run_job(
    job: Job,
    *,
    send: Callable[[JobReply], None],
    before_scan: Callable[[str], None] = lambda rel: None,
) -> None:
    """Make the job's scans and write their files, sending a reply as each scan's files are
    written (the last one ``final``).

    The working folder must be the input folder (``ScanTask.rel`` is relative to it).
    ``before_scan`` is called with each scan's ``rel`` before it is read (the worker's test
    hooks).
    """
    out = Path(job.out_dir)
    made: list[Made] = []
    sent: dict[int, JobResult] = {}
    drawn: dict[int, dict[str, bytes]] = {}  # each scan's report pictures, for the pair report
    for n, task in enumerate(job.scans):
        last = n == len(job.scans) - 1
        before_scan(task.rel)
        start = time.perf_counter()
        try:
            result = _make(task)
            this = (task, result, start)
            pair = _left_right(job, [*made, this]) if last else None
            files = _own_files(job, this, pair_key=None if pair is None else _key(job))
            if job.report:
                drawn[task.index] = _pictures(task, files)
            if pair is None:
                _write(out, files)
                made.append(this)
                sent[task.index] = _done(this, _outputs(files, {}))
                send(JobReply(results=(sent[task.index],), final=last))
                continue
            first = made[0]
            relisted = _json_again(job, first, pair_key=_key(job))
            shared = _pair_files(job, pair, drawn)
            _write(out, {**files, **relisted, **shared})
            before = sent[first[0].index]
            json_again = dict((o[1], o) for o in _outputs(relisted, {}))
            listed = tuple(json_again.get(o[1], o) for o in before.outputs)
            again = replace(before, outputs=listed + _outputs({}, shared))
            send(JobReply(results=(again, _done(this, _outputs(files, shared))), final=True))
        except Scan2InsoleError as err:
            send(JobReply(results=(_failed(task, start, str(err)),), final=last))
        except MemoryError:
            message = f"{task.rel}: not enough memory for this scan"
            send(JobReply(results=(_failed(task, start, message),), final=last))


def _make(task: ScanTask) -> MakeResult:
    from scan2insole.pipeline import make

    return make(
        task.rel,
        task.profile,
        side=task.side,
        units=None if task.units == "auto" else task.units,
    )


def _key(job: Job) -> str:
    assert job.pair_stem is not None
    return PurePosixPath(job.pair_stem).name


def _left_right(job: Job, made: list[Made]) -> tuple[Made, Made] | None:
    """The pair's two scans, left then right; None when the job is no pair, one of its scans
    failed, or the anatomy found two feet of one side (the summary says which)."""
    if job.pair_stem is None or len(made) != 2:
        return None
    by_side = {m[1].analysis.foot.frame.side: m for m in made}
    if sorted(by_side) != ["left", "right"]:
        return None
    return by_side["left"], by_side["right"]


def _in_folder(stem: str, files: dict[str, bytes]) -> dict[str, bytes]:
    """Bare file names put into ``stem``'s folder (relative to the output folder)."""
    folder = PurePosixPath(stem).parent
    return {(folder / name).as_posix(): data for name, data in files.items()}


def _own_files(job: Job, made: Made, *, pair_key: str | None) -> dict[str, bytes]:
    from scan2insole.output_files import scan_files

    task, result, _ = made
    files = scan_files(
        result,
        stem=PurePosixPath(task.stem).name,
        report=job.report,
        pair_key=pair_key,
        processes=job.processes,
    )
    return _in_folder(task.stem, files)


def _json_again(job: Job, made: Made, *, pair_key: str) -> dict[str, bytes]:
    from scan2insole.output_files import json_report_file

    task, result, _ = made
    name, data = json_report_file(
        result, stem=PurePosixPath(task.stem).name, report=job.report, pair_key=pair_key
    )
    return _in_folder(task.stem, {name: data})


def _pictures(task: ScanTask, files: dict[str, bytes]) -> dict[str, bytes]:
    from scan2insole.output_files import pictures_in

    folder = PurePosixPath(task.stem).parent
    name = PurePosixPath(task.stem).name
    own = {PurePosixPath(rel).name: data for rel, data in files.items()}
    assert all(PurePosixPath(rel).parent == folder for rel in files)
    return pictures_in(own, stem=name)


def _pair_files(
    job: Job, pair: tuple[Made, Made], drawn: dict[int, dict[str, bytes]]
) -> dict[str, bytes]:
    from scan2insole.output_files import pair_files

    (left_task, left, _), (right_task, right, _) = pair
    assert job.pair_stem is not None
    files = pair_files(
        left,
        right,
        key=_key(job),
        left_stem=PurePosixPath(left_task.stem).name,
        right_stem=PurePosixPath(right_task.stem).name,
        report=job.report,
        processes=job.processes,
        drawn=(drawn[left_task.index], drawn[right_task.index]) if job.report else None,
    )
    return _in_folder(job.pair_stem, files)


def _write(out: Path, files: dict[str, bytes]) -> None:
    from scan2insole.export import write_atomically

    write_atomically({out / rel: data for rel, data in files.items()}, overwrite=True)


def _outputs(files: dict[str, bytes], shared: dict[str, bytes]) -> tuple[tuple[str, str, str], ...]:
    """``(kind, path, sha256)`` of a scan's own ``files``, then of its pair's ``shared`` ones."""
    from scan2insole.batch.outputs import output_kind  # loads numpy: not at import (``worker``)

    listed = [(rel, data, False) for rel, data in files.items()]
    listed += [(rel, data, True) for rel, data in shared.items()]
    return tuple(
        (output_kind(rel, pair=pair), rel, hashlib.sha256(data).hexdigest())
        for rel, data, pair in listed
    )


def _done(made: Made, outputs: tuple[tuple[str, str, str], ...]) -> JobResult:
    """The ``done`` result of a scan whose files (``outputs``) are written."""
    task, result, start = made
    frame = result.analysis.foot.frame
    m = result.analysis.measurements
    return JobResult(
        index=task.index,
        status="done",
        seconds=time.perf_counter() - start,
        input_sha256=result.raw.sha256,
        format=result.raw.format,
        side=frame.side,
        side_detected=frame.side_detected,
        side_confidence_frac=float(frame.side_confidence_frac),
        outputs=outputs,
        measurements=(
            ("foot_length_mm", float(m.foot_length_mm)),
            ("ball_width_mm", float(m.ball_width_mm)),
            ("heel_width_mm", float(m.heel_width_mm)),
        ),
        figures=tuple(sorted((k, float(v)) for k, v in result.verify.figures.items())),
        realized_post=_realized_post(result),
        printable=bool(result.verify.printable),
        failed_checks=tuple(c.name for c in result.verify.checks if not c.passed),
    )


def _realized_post(result: MakeResult) -> tuple[tuple[str, float | None, float | None], ...]:
    """(name, asked, realized) of each post angle measured back off the STL.

    Read from the JSON report's ``realized`` block (``realized/``), the one place that
    measures the exported mesh; empty when there is none.
    """
    from scan2insole.realized import realized_dict

    realized: dict[str, Any] = {} if result.realized is None else realized_dict(result.realized)
    return tuple(
        (name, _number(v.get("asked")), _number(v.get("realized")))
        for name, v in realized.items()
        if name.endswith("_post_deg") and isinstance(v, dict)
    )


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _failed(task: ScanTask, start: float, message: str) -> JobResult:
    return JobResult(
        index=task.index,
        status="failed",
        error=" ".join(message.split()),
        seconds=time.perf_counter() - start,
    )
