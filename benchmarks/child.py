"""Run one command and print its wall time, CPU time and peak RSS as JSON on stderr's last line.

``python -m benchmarks.child [--cpus=0,1] ARGS...`` runs ``python ARGS...`` (on those cores only,
when given: the command and every process it starts). It exists because Linux keeps a
process's peak RSS across ``exec`` from the memory it had at ``fork``: a child forked straight
from the benchmark (which holds the million-point scans it generated, ~600 MB) would report at
least that much. Forked from this small process instead, the figure is the command's own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(args: list[str]) -> None:
    if args and args[0].startswith("--cpus="):
        os.sched_setaffinity(0, {int(c) for c in args[0].split("=", 1)[1].split(",")})
        args = args[1:]
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args])
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    figures = {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024.0,  # Linux reports KiB
        "exit_code": os.waitstatus_to_exitcode(status),
    }
    print("\n" + json.dumps(figures), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
