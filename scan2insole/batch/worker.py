"""The batch worker: a process that makes one job at a time (``making.run_job``: one scan, or
the two of a pair) and writes its outputs atomically.

Rejected input (any ``Scan2InsoleError``, or ``MemoryError``) is that scan's ``failed`` result
with the usual one-line message. Anything else is a bug: the worker prints the traceback to its
stderr, reports the job's unfinished scans ``crashed`` and exits, so the bug is as loud as in
``make`` while the rest of the batch goes on with a fresh worker. The parent kills a worker past
its time limit.

Test hooks: when the environment variable ``SCAN2INSOLE_BATCH_TEST_HANG`` is set, a scan whose
file name equals its value hangs (sleeps without end) before it is read, standing in for a scan
the pipeline never finishes; with ``SCAN2INSOLE_BATCH_TEST_CRASH`` the worker kills itself with
SIGKILL instead, as the out-of-memory killer would. Only :func:`worker_main` reads them.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import PurePosixPath

from scan2insole.batch.job import JobReply, JobResult
from scan2insole.batch.making import run_job
from scan2insole.cores import THREAD_VARIABLES

HANG_ENV = "SCAN2INSOLE_BATCH_TEST_HANG"
CRASH_ENV = "SCAN2INSOLE_BATCH_TEST_CRASH"
READY = "ready"
"""Sent once a worker has imported the pipeline: its first scan's clock starts after that."""
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


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
    reports: bool = False
    """Whether jobs will draw clinical reports (then matplotlib is imported while warming up)."""


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
    _warm_up(reports=setup.reports)
    conn.send(READY)
    hang_name, crash_name = os.environ.get(HANG_ENV), os.environ.get(CRASH_ENV)

    def before_scan(rel: str) -> None:
        name = PurePosixPath(rel).name
        if hang_name and name == hang_name:
            while True:
                time.sleep(3600)
        if crash_name and name == crash_name:
            os.kill(os.getpid(), signal.SIGKILL)

    ended: set[int] = set()  # scans of the current job already reported

    def send(reply: JobReply) -> None:
        ended.update(r.index for r in reply.results)
        conn.send(reply)

    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        ended.clear()

        try:
            run_job(job, send=send, before_scan=before_scan)
        except Exception:
            # a bug: report it for the scans it stopped, make it loud, and let a fresh worker
            # go on (a pair's first scan, written and reported before, stays done)
            traceback.print_exc()
            kind, value = sys.exc_info()[:2]
            line = traceback.format_exception_only(kind, value)[-1].strip()
            error = " ".join(f"bug: {line} (traceback on stderr)".split())
            conn.send(
                JobReply(
                    results=tuple(
                        JobResult(index=task.index, status="crashed", error=error)
                        for task in job.scans
                        if task.index not in ended
                    ),
                    final=True,
                )
            )
            raise


def _warm_up(*, reports: bool) -> None:
    """Import the pipeline (and the report, ~0.25 s, when reports are drawn) before the first
    job arrives, so no scan's time or time limit pays for a worker's start (open3d, ~0.5 s,
    stays lazy: only point clouds need it)."""
    import scan2insole.pipeline

    if reports:
        import scan2insole.report  # noqa: F401


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this worker when the batch dies (even by SIGKILL): no orphan goes on
    writing into an output folder that a resumed batch is now filling."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
