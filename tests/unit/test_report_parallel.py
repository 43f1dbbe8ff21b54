"""Pictures drawn in a forked child come back whole, in order, and failures are not lost."""

from __future__ import annotations

import os

import pytest

from scan2insole.report.parallel import _child_share, draw_all

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _jobs(n: int) -> dict:
    # big results (over a pipe's 64 KiB buffer) so the child blocks until the parent reads
    return {f"p{i}": (lambda i=i: bytes([i]) * (200_000 + i)) for i in range(n)}


def test_two_processes_give_the_same_results_in_order() -> None:
    jobs = _jobs(5)
    one = draw_all(jobs, cost={}, processes=1)
    two = draw_all(jobs, cost={}, processes=2)
    assert list(two) == list(jobs)
    assert two == one


def test_work_is_drawn_in_the_child_and_here() -> None:
    parent = os.getpid()
    jobs = {f"p{i}": (lambda: str(os.getpid()).encode()) for i in range(4)}
    pids = {int(v) for v in draw_all(jobs, cost={}, processes=2).values()}
    assert parent in pids and len(pids) == 2


def test_a_job_failing_only_in_the_child_is_drawn_here() -> None:
    parent = os.getpid()

    def fragile() -> bytes:
        if os.getpid() != parent:
            raise RuntimeError("child only")
        return b"drawn here"

    jobs = {"a": lambda: b"a" * 10, "b": fragile, "c": lambda: b"c", "d": lambda: b"d"}
    cost = {"a": 5.0, "b": 2.0}  # the costliest stays here, the next goes to the child
    assert "b" in _child_share(jobs, cost)
    out = draw_all(jobs, cost=cost, processes=2)
    assert out["b"] == b"drawn here" and out["a"] == b"a" * 10


def test_an_error_in_a_job_is_raised_here() -> None:
    def broken() -> bytes:
        raise ValueError("bad picture")

    jobs = {"a": lambda: b"a", "b": broken, "c": lambda: b"c"}
    with pytest.raises(ValueError, match="bad picture"):
        draw_all(jobs, cost={"b": 5.0}, processes=2)  # "b" drawn here
    with pytest.raises(ValueError, match="bad picture"):
        draw_all(jobs, cost={"a": 5.0, "b": 2.0}, processes=2)  # in the child, then here


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs sched_setaffinity")
def test_one_usable_core_draws_in_one_process() -> None:
    from scan2insole.report.parallel import default_processes

    before = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(before)})
        assert default_processes() == 1
    finally:
        os.sched_setaffinity(0, before)
    assert default_processes() == (2 if len(before) >= 2 else 1)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_no_descriptor_or_child_is_left_behind(monkeypatch) -> None:
    def broken() -> bytes:
        raise ValueError("bad picture")

    forked = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(5):
        draw_all(_jobs(4), cost={}, processes=2)
        with pytest.raises(ValueError):
            draw_all({"a": broken, "b": lambda: b"b", "c": lambda: b"c"}, cost={}, processes=2)
    assert len(os.listdir("/proc/self/fd")) == before
    assert len(forked) == 10
    for pid in forked:  # every child was reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
