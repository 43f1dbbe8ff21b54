"""Draw a report's pictures on two cores: half in a forked child, half here.

Drawing is most of a report's time (0.8 s of five pictures on a 1 M-point scan) and matplotlib
draws on one core; ``make`` has nothing else to do meanwhile, so a forked copy of this process
draws part of the pictures. The child inherits everything already imported and computed
(copy-on-write), draws its share and sends the PNG bytes back through a pipe; the bytes are
those the same code draws in one process, so the output does not depend on how it was split.

Where ``os.fork`` is missing, or when asked for one process (a batch of several workers already
keeps every core busy), everything is drawn here. If the child fails in any way, its share is
drawn here too, so an error is raised (with its traceback) where it can be reported.
"""

from __future__ import annotations

import os
import signal
import struct
from collections.abc import Callable, Mapping
from typing import BinaryIO

from scan2insole.cores import usable_cores

_LENGTH = struct.Struct("<Q")
_EXHAUSTIVE = 16  # pictures up to which every split between the two processes is tried


def default_processes() -> int:
    """Two when this process may run on two cores and can fork, else one."""
    return 2 if hasattr(os, "fork") and usable_cores() >= 2 else 1


def draw_all(
    jobs: Mapping[str, Callable[[], bytes]],
    *,
    cost: Mapping[str, float],
    processes: int | None = None,
) -> dict[str, bytes]:
    """Run every job (name -> function returning PNG bytes); results in the order of ``jobs``.

    Parameters
    ----------
    jobs : picture name -> function drawing it.
    cost : rough relative drawing time of each name (others count 1), to split the work evenly.
    processes : 1 draws everything here; 2 forks one child; None chooses (``default_processes``).
    """
    processes = default_processes() if processes is None else processes
    if processes < 2 or len(jobs) < 2 or not hasattr(os, "fork"):
        return {name: job() for name, job in jobs.items()}
    theirs = _child_share(jobs, cost)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: draw, send, and leave without running the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            # everything drawn before anything is sent: the pipe holds 64 KiB, and a write
            # would wait for the parent, which reads only once its own share is drawn
            pngs = [jobs[name]() for name in theirs]
            with os.fdopen(write_end, "wb") as out:
                for png in pngs:
                    out.write(_LENGTH.pack(len(png)) + png)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    reader = os.fdopen(read_end, "rb")  # owns the descriptor from here on
    done: dict[str, bytes] = {}
    try:
        for name, job in jobs.items():
            if name not in theirs:
                done[name] = job()
        received = _receive(reader, theirs)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        reader.close()
        os.waitpid(pid, 0)
    for name in theirs:  # anything the child did not deliver is drawn here
        done[name] = received[name] if name in received else jobs[name]()
    return {name: done[name] for name in jobs}


def _child_share(jobs: Mapping[str, Callable[[], bytes]], cost: Mapping[str, float]) -> list[str]:
    """Names for the child, in ``jobs`` order: the split whose larger half costs least.

    Up to ``_EXHAUSTIVE`` pictures every split is tried (a report has 5, a pair report 11);
    beyond, the costliest go first onto the lighter side. Ties keep more work here.
    """
    names = list(jobs)
    w = [cost.get(n, 1.0) for n in names]
    total = sum(w)
    if len(names) <= _EXHAUSTIVE:
        best = min(
            range(1 << len(names)),
            key=lambda mask: (
                max(c := sum(w[i] for i in range(len(names)) if mask >> i & 1), total - c),
                -(total - c),
                mask,
            ),
        )
        return [n for i, n in enumerate(names) if best >> i & 1]
    loads = [0.0, 0.0]
    theirs: set[str] = set()
    for i in sorted(range(len(names)), key=lambda i: (-w[i], names[i])):
        side = 0 if loads[0] <= loads[1] else 1
        loads[side] += w[i]
        if side == 1:
            theirs.add(names[i])
    return [n for n in names if n in theirs]


def _receive(pipe: BinaryIO, names: list[str]) -> dict[str, bytes]:
    """The child's PNGs, sent in the order of ``names``; a short or broken stream yields what
    came whole."""
    out: dict[str, bytes] = {}
    data = pipe.read()
    at = 0
    for name in names:
        if at + _LENGTH.size > len(data):
            break
        (size,) = _LENGTH.unpack_from(data, at)
        if at + _LENGTH.size + size > len(data):
            break
        out[name] = data[at + _LENGTH.size : at + _LENGTH.size + size]
        at += _LENGTH.size + size
    return out
