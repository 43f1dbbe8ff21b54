"""The batch worker: a process that makes one scan at a time and writes its outputs atomically.

Rejected input (any ``Scan2InsoleError``, or ``MemoryError``) is that scan's ``failed`` result
with the usual one-line message. Anything else is a bug: the worker prints the traceback to its
stderr, reports the scan ``crashed`` and exits, so the bug is as loud as in ``make`` while the
rest of the batch goes on with a fresh worker. The parent kills a worker past its time limit.

Test hooks: when the environment variable ``SCAN2INSOLE_BATCH_TEST_HANG`` is set, a scan whose
file name equals its value hangs (sleeps without end) before it is read, standing in for a scan
the pipeline never finishes; with ``SCAN2INSOLE_BATCH_TEST_CRASH`` the worker kills itself with
SIGKILL instead, as the out-of-memory killer would. Only :func:`worker_main` reads them.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import resource
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path, PurePosixPath

from scan2insole.batch.job import Job, JobResult
from scan2insole.errors import Scan2InsoleError

HANG_ENV = "SCAN2INSOLE_BATCH_TEST_HANG"
CRASH_ENV = "SCAN2INSOLE_BATCH_TEST_CRASH"
READY = "ready"
"""Sent once a worker has imported the pipeline: its first scan's clock starts after that."""
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def run_job(job: Job) -> JobResult:
    """Make one scan and write its outputs; rejected input becomes a ``failed`` result.

    The working folder must be the input folder (``job.rel`` is relative to it).
    """
    from scan2insole.export import json_bytes, stl_bytes, write_atomically
    from scan2insole.pipeline import make, report_dict

    start = time.perf_counter()
    try:
        result = make(
            job.rel,
            job.profile,
            side=job.side,
            units=None if job.units == "auto" else job.units,
        )
        out = Path(job.out_dir)
        stl = stl_bytes(result.insole)
        files = {job.stl: stl}
        names = {"stl": PurePosixPath(job.stl).name}
        if job.report is not None:
            names["report_json"] = PurePosixPath(job.report).name
        report = report_dict(result, outputs=names)
        if job.report is not None:
            files[job.report] = json_bytes(report)
        write_atomically({out / rel: data for rel, data in files.items()}, overwrite=True)
    except Scan2InsoleError as err:
        return _failed(job, start, str(err))
    except MemoryError:
        return _failed(job, start, f"{job.rel}: not enough memory for this scan")
    frame = result.analysis.foot.frame
    m = result.analysis.measurements
    kinds = {job.stl: "stl", job.report: "report"}
    return JobResult(
        index=job.index,
        status="done",
        seconds=time.perf_counter() - start,
        input_sha256=result.raw.sha256,
        format=result.raw.format,
        side=frame.side,
        side_detected=frame.side_detected,
        side_confidence_frac=float(frame.side_confidence_frac),
        outputs=tuple(
            (kinds[rel], rel, hashlib.sha256(data).hexdigest()) for rel, data in files.items()
        ),
        measurements=(
            ("foot_length_mm", float(m.foot_length_mm)),
            ("ball_width_mm", float(m.ball_width_mm)),
            ("heel_width_mm", float(m.heel_width_mm)),
        ),
        figures=tuple(sorted((k, float(v)) for k, v in result.verify.figures.items())),
        realized_post=_realized_post(report),
        printable=bool(result.verify.printable),
        failed_checks=tuple(c.name for c in result.verify.checks if not c.passed),
    )


def _realized_post(report: dict) -> tuple[tuple[str, float | None, float | None], ...]:
    """(name, asked, realized) of each post angle the report measured back off the STL.

    Read from the report's ``realized`` block (``realized.py``), the one place that measures
    the exported mesh; empty when the report has none.
    """
    realized = report.get("realized") or {}
    return tuple(
        (name, _number(v.get("asked")), _number(v.get("realized")))
        for name, v in realized.items()
        if name.endswith("_post_deg") and isinstance(v, dict)
    )


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _failed(job: Job, start: float, message: str) -> JobResult:
    return JobResult(
        index=job.index,
        status="failed",
        error=" ".join(message.split()),
        seconds=time.perf_counter() - start,
    )


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class WorkerSetup:
    """How a worker process sets itself up before its first job."""

    in_dir: str
    """The input folder, the worker's working folder (jobs name scans relative to it)."""
    parent_pid: int
    n_threads: int
    """Cap of the native thread pools (OpenBLAS, OpenMP) unless the user set them: n workers
    each running as many threads as there are cores would fight over the cores."""
    memory_limit_bytes: int | None
    """Address-space limit (``RLIMIT_AS``): a scan that would go past it gets ``MemoryError``,
    its own ``failed`` result, instead of pushing the machine into its out-of-memory killer."""


def worker_main(conn: Connection, setup: WorkerSetup) -> None:
    """Entry point of a worker process: take jobs from ``conn`` until ``None`` or EOF.

    The thread caps must be set before numpy loads, which is why nothing this module imports at
    its top loads numpy.
    """
    for var in THREAD_VARIABLES:
        os.environ.setdefault(var, str(setup.n_threads))
    _die_with_parent(setup.parent_pid)
    if setup.memory_limit_bytes is not None:
        resource.setrlimit(resource.RLIMIT_AS, (setup.memory_limit_bytes, resource.RLIM_INFINITY))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    os.dup2(2, 1)  # native libraries print to stdout; the batch's stdout is for data only
    os.chdir(setup.in_dir)
    _warm_up()
    conn.send(READY)
    hang_name, crash_name = os.environ.get(HANG_ENV), os.environ.get(CRASH_ENV)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        name = PurePosixPath(job.rel).name
        if hang_name and name == hang_name:
            while True:
                time.sleep(3600)
        if crash_name and name == crash_name:
            os.kill(os.getpid(), signal.SIGKILL)
        try:
            result = run_job(job)
        except Exception:
            # a bug: report it for this scan, make it loud, and let a fresh worker go on
            traceback.print_exc()
            kind, value = sys.exc_info()[:2]
            line = traceback.format_exception_only(kind, value)[-1].strip()
            conn.send(
                JobResult(
                    index=job.index,
                    status="crashed",
                    error=" ".join(f"bug: {line} (traceback on stderr)".split()),
                )
            )
            raise
        conn.send(result)


def _warm_up() -> None:
    """Import the pipeline before the first job arrives, so no scan's time or time limit pays
    for a worker's start (open3d, ~0.5 s, stays lazy: only point clouds need it)."""
    import scan2insole.pipeline  # noqa: F401


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this worker when the batch dies (even by SIGKILL): no orphan goes on
    writing into an output folder that a resumed batch is now filling."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
