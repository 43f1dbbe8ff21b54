"""A pool of worker processes with a time limit per scan, that survives its workers dying.

``concurrent.futures`` cannot kill one hung task without breaking the whole pool, so this pool
is a few lines of its own: each worker is a ``spawn``-context process (no fork of a parent that
may hold threads) fed one job at a time over its own pipe. The parent waits on every busy
worker's pipe and process sentinel with a timeout set by the earliest deadline:

- a result on the pipe: hand it on, give the worker the next job;
- the sentinel fires with no result (segfault, out-of-memory kill, ``os._exit``): the scan
  ``crashed``; a fresh worker takes its place;
- the deadline passes: the worker is killed (SIGKILL: a hung native call ignores anything
  milder), the scan is a ``timeout``, and a fresh worker takes its place.

Workers are killed if the parent dies (see ``worker._die_with_parent``) and on any exit from
:func:`run_jobs`, including Ctrl-C.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from scan2insole.batch.job import Job, JobResult
from scan2insole.batch.worker import READY, WorkerSetup, worker_main

STOP_GRACE_S = 5.0  # a worker told to stop that has not exited by then is killed
# Workers share this much of the physical memory (address space, which runs ~1.5x above the
# resident size for numpy and open3d); the rest is the parent's and the system's.
MEMORY_SHARE_FRAC = 0.8
# Below this a worker cannot even import open3d and numpy (~1 GiB of address space); a limit
# that low would fail every scan rather than the one that blows up.
MIN_MEMORY_LIMIT_BYTES = 2 * 1024**3
_CONTEXT = multiprocessing.get_context("spawn")


@dataclass(slots=True)
class _Worker:
    """A worker process and the job it is on (mutable: the pool's own bookkeeping)."""

    process: BaseProcess
    conn: Connection
    ready: bool = False
    """Set when the worker has said ``READY``: jobs go only to ready workers."""
    job: Job | None = None
    started: float = 0.0
    deadline: float = 0.0


def _start_worker(setup: WorkerSetup) -> _Worker:
    parent, child = _CONTEXT.Pipe(duplex=True)
    process = _CONTEXT.Process(
        target=worker_main, args=(child, setup), daemon=True, name="scan2insole"
    )
    process.start()
    child.close()
    return _Worker(process=process, conn=parent)


def _memory_limit_bytes(n_workers: int, limit_mb: float | None) -> int | None:
    if limit_mb is not None:
        return int(limit_mb * 1024**2)
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return None  # no way to know here: no limit
    return max(MIN_MEMORY_LIMIT_BYTES, int(MEMORY_SHARE_FRAC * physical / n_workers))


def _kill(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join()
    worker.conn.close()


def _death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        hint = " (out of memory?)" if -exitcode == signal.SIGKILL else ""
        return f"worker died from signal {name}{hint}"
    return f"worker exited with code {exitcode}"


def run_jobs(
    jobs: Iterable[Job],
    *,
    n_workers: int,
    timeout_s: float,
    in_dir: str,
    on_result: Callable[[JobResult], None],
    memory_limit_mb: float | None = None,
) -> None:
    """Run every job in worker processes, calling ``on_result`` in the parent as each ends.

    Parameters
    ----------
    jobs
        The jobs, run in this order.
    n_workers
        Processes working at once (fewer if there are fewer jobs).
    timeout_s
        Wall-time limit of one job, from the moment it is handed to a worker.
    in_dir
        The input folder, the workers' working folder (jobs name scans relative to it).
    on_result
        Called once per job, in the order jobs end, in this process.
    memory_limit_mb
        Address-space limit of each worker; None shares ``MEMORY_SHARE_FRAC`` of the physical
        memory among the workers.
    """
    pending = deque(jobs)
    setup = WorkerSetup(
        in_dir=in_dir,
        parent_pid=os.getpid(),
        n_threads=max(1, (os.cpu_count() or 1) // n_workers),
        memory_limit_bytes=_memory_limit_bytes(n_workers, memory_limit_mb),
    )
    workers = [_start_worker(setup) for _ in range(min(n_workers, len(pending)))]
    try:
        while True:
            for i, w in enumerate(workers):
                if w.ready and w.job is None and pending:
                    job = pending.popleft()
                    try:
                        w.conn.send(job)
                    except OSError:  # it died while idle: the job goes to a fresh worker
                        pending.appendleft(job)
                        _kill(w)
                        workers[i] = _start_worker(setup)
                        continue
                    w.job, w.started = job, time.monotonic()
                    w.deadline = w.started + timeout_s
            busy = [w for w in workers if w.job is not None]
            starting = [w for w in workers if not w.ready]
            if not busy and not (starting and pending):
                return
            deadlines = [w.deadline for w in busy]
            wait_s = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            wait(
                [x for w in busy + starting for x in (w.conn, w.process.sentinel)],
                timeout=wait_s,
            )
            for w in starting:
                _check_ready(w)
            now = time.monotonic()
            for i, w in enumerate(workers):
                if w.job is None:
                    continue
                job = w.job
                result, replace = _poll(w, job, now, timeout_s)
                if result is None:
                    continue
                w.job = None
                if replace:
                    _kill(w)
                    workers[i] = _start_worker(setup) if pending else w
                on_result(result)
    finally:
        _stop_all(workers)


def _check_ready(w: _Worker) -> None:
    """Mark a starting worker ready once it says so; a worker that dies while starting is an
    installation problem, not a scan's, so it stops the batch."""
    if w.conn.poll():
        try:
            message = w.conn.recv()
        except (EOFError, OSError):
            message = None
        if message == READY:
            w.ready = True
            return
    if not w.process.is_alive():
        w.process.join()
        raise RuntimeError(f"a batch worker failed to start: {_death_reason(w.process.exitcode)}")


def _poll(w: _Worker, job: Job, now: float, timeout_s: float) -> tuple[JobResult | None, bool]:
    """(result, worker must be replaced) for a busy worker; (None, False) while it works on."""
    if w.conn.poll():
        try:
            result: JobResult = w.conn.recv()
        except (EOFError, OSError):
            w.process.join()
            return _crashed(job, now - w.started, _death_reason(w.process.exitcode)), True
        return result, result.status == "crashed"
    if not w.process.is_alive():
        w.process.join()
        return _crashed(job, now - w.started, _death_reason(w.process.exitcode)), True
    if now >= w.deadline:
        return (
            JobResult(
                index=job.index,
                status="timeout",
                error=f"{job.rel}: not finished within the time limit of {timeout_s:g} s",
                seconds=now - w.started,
            ),
            True,
        )
    return None, False


def _crashed(job: Job, seconds: float, reason: str) -> JobResult:
    return JobResult(
        index=job.index, status="crashed", error=f"{job.rel}: {reason}", seconds=seconds
    )


def _stop_all(workers: list[_Worker]) -> None:
    for w in workers:
        if w.process.is_alive() and w.job is None:
            try:
                w.conn.send(None)
            except OSError:
                pass
    end = time.monotonic() + STOP_GRACE_S
    for w in workers:
        if w.job is None:
            w.process.join(max(0.0, end - time.monotonic()))
        _kill(w)
