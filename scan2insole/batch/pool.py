"""A pool of worker processes with a time limit per scan, that survives its workers dying.

``concurrent.futures`` cannot kill one hung task without breaking the whole pool, so this pool
is a few lines of its own: each worker is a ``spawn``-context process (no fork of a parent that
may hold threads) fed one job (one scan, or the two of a pair) at a time over its own pipe. A
job's time limit is the per-scan limit times its number of scans. The parent waits on every busy
worker's pipe and process sentinel with a timeout set by the earliest deadline:

- a reply on the pipe: hand its results on; after the job's final reply, give the worker the
  next job;
- the sentinel fires before the final reply (segfault, out-of-memory kill, ``os._exit``): the
  job's scans not yet reported ``crashed``; a fresh worker takes its place;
- the deadline passes: the worker is killed (SIGKILL: a hung native call ignores anything
  milder), the job's scans not yet reported are a ``timeout``, and a fresh worker takes its
  place.

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
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from scan2insole.batch.job import Job, JobReply, JobResult, Status
from scan2insole.batch.worker import READY, WorkerSetup, worker_main
from scan2insole.cores import usable_cores

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
    reported: set[int] = field(default_factory=set)
    """Scans of the current job the worker has reported (a pair's first one may come early)."""


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
        Wall-time limit of one scan; a job has this times its number of scans, from the moment
        it is handed to a worker.
    in_dir
        The input folder, the workers' working folder (jobs name scans relative to it).
    on_result
        Called in this process with each scan's result as it arrives: once per scan, twice for
        the first scan of a pair whose pair files were written (the later result replaces it).
    memory_limit_mb
        Address-space limit of each worker; None shares ``MEMORY_SHARE_FRAC`` of the physical
        memory among the workers.
    """
    pending = deque(jobs)
    setup = WorkerSetup(
        in_dir=in_dir,
        parent_pid=os.getpid(),
        n_threads=max(1, usable_cores() // n_workers),
        memory_limit_bytes=_memory_limit_bytes(n_workers, memory_limit_mb),
        reports=any(job.report for job in pending),
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
                    w.job, w.started, w.reported = job, time.monotonic(), set()
                    w.deadline = w.started + timeout_s * len(job.scans)
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
                results, over, replace = _poll(w, w.job, now, timeout_s)
                if over:
                    w.job = None
                if replace:
                    _kill(w)
                    workers[i] = _start_worker(setup) if pending else w
                for result in results:
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


def _poll(w: _Worker, job: Job, now: float, timeout_s: float) -> tuple[list[JobResult], bool, bool]:
    """(results, job over, worker must be replaced) for a busy worker."""
    if w.conn.poll():
        try:
            reply: JobReply = w.conn.recv()
        except (EOFError, OSError):
            w.process.join()
            return (
                _unreported(w, job, "crashed", _death_reason(w.process.exitcode), now),
                True,
                True,
            )
        w.reported.update(r.index for r in reply.results)
        crashed = any(r.status == "crashed" for r in reply.results)
        return list(reply.results), reply.final, reply.final and crashed
    if not w.process.is_alive():
        w.process.join()
        return _unreported(w, job, "crashed", _death_reason(w.process.exitcode), now), True, True
    if now >= w.deadline:
        limit = f"the time limit of {timeout_s * len(job.scans):g} s"
        if len(job.scans) > 1:
            limit += f" ({timeout_s:g} s a scan, {len(job.scans)} scans: a pair)"
        return _unreported(w, job, "timeout", f"not finished within {limit}", now), True, True
    return [], False, False


def _unreported(w: _Worker, job: Job, status: Status, reason: str, now: float) -> list[JobResult]:
    """A ``status`` result for each scan of the job its worker has not reported."""
    return [
        JobResult(
            index=task.index, status=status, error=f"{task.rel}: {reason}", seconds=now - w.started
        )
        for task in job.scans
        if task.index not in w.reported
    ]


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
