"""Speed and memory of ``make`` and ``batch`` on synthetic scans: ``python -m benchmarks.run``.

For each scan size (50 k, 250 k, 1 M points) and kind (mesh as binary STL, mesh as binary PLY,
point cloud as binary PLY; see ``benchmarks.scans``) it runs, each in a fresh process:

- ``make``: the real command, ``python -m scan2insole make SCAN -o DIR --overwrite`` (STL, 3MF,
  JSON and the HTML/PNG clinical report), timed wall-clock from launch to exit, with its peak
  RSS from ``os.wait4`` (``benchmarks.child``); median of ``--repeats`` runs, largest RSS;
- the floor: ``python -m benchmarks.floor`` (read the scan, write an STL), timed the same way;
- the stages: ``python -m benchmarks.stages``, each stage's time inside the process.

Then batch throughput: 20 scans (6 with ``--quick``) through ``scan2insole batch`` with one and
with two workers. The table goes to stdout (markdown), raw numbers to ``--json``. Other work on
the machine slows every figure: the load average before and after is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.scans import KINDS, BenchScan, make_scan
from benchmarks.stages import STAGE_ORDER

SIZES = (50_000, 250_000, 1_000_000)
QUICK_SIZES = (50_000,)
BATCH_SCANS, QUICK_BATCH_SCANS = 20, 6
BATCH_POINTS, QUICK_BATCH_POINTS = 100_000, 50_000
# Targets of issue 9, for the 1 M-point scans.
TARGET_MAKE_S = 2.0
TARGET_RATIO = 5.0
TARGET_RSS_MB = 1024.0
TARGET_SPEEDUP = 1.7


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ChildRun:
    """One timed child process."""

    wall_s: float
    cpu_s: float
    """User + system CPU time of the process (all its threads): what other work on the
    machine does not inflate, unlike the wall time."""
    peak_rss_mb: float
    exit_code: int
    stdout: str
    stderr: str


def run_child(args: list[str], *, cwd: Path, cpus: str | None = None) -> ChildRun:
    """Run ``python args...`` through ``benchmarks.child``, which times it and reads its peak
    RSS from the kernel (``wait4``) without this process's own memory in the figure; ``cpus``
    (``"0"``) pins it and everything it starts to those cores."""
    pin = [f"--cpus={cpus}"] if cpus else []
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.child", *pin, *args],
            stdout=out,
            stderr=err,
            cwd=cwd,
        )
        proc.wait()
        out.seek(0)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        own, _, last = stderr.rstrip("\n").rpartition("\n")
        figures = json.loads(last)
        return ChildRun(
            wall_s=figures["wall_s"],
            cpu_s=figures["cpu_s"],
            peak_rss_mb=figures["peak_rss_mb"],
            exit_code=figures["exit_code"],
            stdout=out.read().decode(errors="replace"),
            stderr=own,
        )


def _checked(run: ChildRun, what: str) -> ChildRun:
    if run.exit_code != 0:
        raise SystemExit(f"{what} failed (exit {run.exit_code}):\n{run.stderr[-2000:]}")
    return run


def bench_scan(scan: BenchScan, *, work: Path, repeats: int, repo: Path) -> dict[str, Any]:
    """Floor, make and stage times of one scan."""
    out = work / "out" / scan.path.stem
    out.mkdir(parents=True, exist_ok=True)
    floors, makes = [], []
    for _ in range(repeats):
        floors.append(
            _checked(
                run_child(
                    ["-m", "benchmarks.floor", str(scan.path), str(out / "floor.stl")], cwd=repo
                ),
                f"floor on {scan.path.name}",
            )
        )
        makes.append(
            _checked(
                run_child(
                    [
                        "-m",
                        "scan2insole",
                        "make",
                        str(scan.path),
                        "-o",
                        str(out / "make"),
                        "--overwrite",
                    ],
                    cwd=repo,
                ),
                f"make on {scan.path.name}",
            )
        )
    stages_run = _checked(
        run_child(["-m", "benchmarks.stages", str(scan.path), str(out / "stages")], cwd=repo),
        f"stages on {scan.path.name}",
    )
    stl_name = f"{scan.path.stem}.insole.stl"
    same = (out / "make" / stl_name).read_bytes() == (out / "stages" / stl_name).read_bytes()
    make_s = statistics.median(r.wall_s for r in makes)
    floor_s = statistics.median(r.wall_s for r in floors)
    return {
        "scan": scan.path.name,
        "kind": scan.kind,
        "n_points": scan.n_points,
        "file_mb": scan.path.stat().st_size / 1e6,
        "make_s": make_s,
        "make_runs_s": [r.wall_s for r in makes],
        "make_cpu_s": statistics.median(r.cpu_s for r in makes),
        "make_rss_mb": max(r.peak_rss_mb for r in makes),
        "floor_s": floor_s,
        "floor_cpu_s": statistics.median(r.cpu_s for r in floors),
        "floor_rss_mb": max(r.peak_rss_mb for r in floors),
        "ratio": make_s / floor_s,
        "stages_s": json.loads(stages_run.stdout),
        "stages_process_s": stages_run.wall_s,
        "stages_rss_mb": stages_run.peak_rss_mb,
        "stages_stl_equals_make_stl": same,
    }


def bench_batch(*, work: Path, n_scans: int, n_points: int, repo: Path) -> dict[str, Any]:
    """Wall time of one batch of ``n_scans`` with 1 and with 2 workers."""
    from scan2insole.synthetic import scaled_foot_params

    folder = work / f"batch_{n_scans}x{n_points}"
    for i in range(n_scans):
        params = scaled_foot_params(
            230.0 + 60.0 * i / max(1, n_scans - 1),
            arch_type=("normal", "flat", "high")[i % 3],
            side="left" if i % 2 == 0 else "right",
        )
        side = "L" if i % 2 == 0 else "R"
        make_scan(
            folder,
            n_points,
            KINDS[(i // 2) % len(KINDS)],
            params=params,
            seed=1000 + i,
            name=f"person{i // 2:02d}_{side}",
        )
    out: dict[str, Any] = {"n_scans": n_scans, "n_points": n_points}
    # one worker as shipped draws its report pictures on both cores (the second is idle
    # otherwise); pinned to one core it is one worker's worth of work alone
    for label, n_workers, cpus in (("j1", 1, None), ("j1_one_core", 1, "0"), ("j2", 2, None)):
        dest = work / "out" / f"batch_{label}"
        shutil.rmtree(dest, ignore_errors=True)  # an earlier run's outputs: time a fresh batch
        run = run_child(
            ["-m", "scan2insole", "batch", str(folder), "-o", str(dest), "-j", str(n_workers)],
            cwd=repo,
            cpus=cpus,
        )
        summary = json.loads((dest / "summary.json").read_text())
        out[f"{label}_s"] = run.wall_s
        out[f"{label}_cpu_s"] = run.cpu_s  # wait4 counts the workers it reaped too
        out[f"{label}_exit"] = run.exit_code
        out[f"{label}_done"] = summary["counts"]["done"]
        out[f"{label}_scan_s"] = sum(s["seconds"] or 0.0 for s in summary["scans"])
    out["speedup"] = out["j1_s"] / out["j2_s"]
    out["speedup_one_core"] = out["j1_one_core_s"] / out["j2_s"]
    return out


def make_table(rows: list[dict[str, Any]]) -> str:
    """The make / floor / stages table, with the verdict on the issue's 1 M-point targets."""
    head = [
        "scan",
        "points",
        "MB",
        *STAGE_ORDER,
        "make s",
        "floor s",
        "make/floor",
        "make CPU s",
        "floor CPU s",
        "make RSS MB",
        "floor RSS MB",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        st = r["stages_s"]
        cells = [
            r["kind"],
            f"{r['n_points']:,}",
            f"{r['file_mb']:.1f}",
            *(f"{st.get(s, 0.0):.2f}" for s in STAGE_ORDER),
            f"{r['make_s']:.2f}",
            f"{r['floor_s']:.2f}",
            f"{r['ratio']:.1f}",
            f"{r['make_cpu_s']:.2f}",
            f"{r['floor_cpu_s']:.2f}",
            f"{r['make_rss_mb']:.0f}",
            f"{r['floor_rss_mb']:.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    text += (
        "\n\nStage columns: seconds inside one process (python -m benchmarks.stages); import and "
        "start-up are in `make s`, the wall time of the real `scan2insole make` process "
        "(median of the repeats); CPU s is that process's user + system time."
    )
    big = [r for r in rows if r["n_points"] >= 900_000]
    for r in big:
        verdict = [
            f"make {r['make_s']:.2f} s {'<=' if r['make_s'] <= TARGET_MAKE_S else '>'} "
            f"{TARGET_MAKE_S} s",
            f"make/floor {r['ratio']:.1f} {'<=' if r['ratio'] <= TARGET_RATIO else '>'} "
            f"{TARGET_RATIO}",
            f"RSS {r['make_rss_mb']:.0f} MB {'<=' if r['make_rss_mb'] <= TARGET_RSS_MB else '>'} "
            f"{TARGET_RSS_MB:.0f} MB",
        ]
        text += f"\n- {r['kind']} {r['n_points']:,} points: " + "; ".join(verdict)
    if any(not r["stages_stl_equals_make_stl"] for r in rows):
        text += "\n- WARNING: the stage run's STL differs from make's for some scans"
    return text


def batch_line(batch: dict[str, Any]) -> str:
    """Batch throughput with one and two workers, with the verdict on the issue's target."""

    def verdict(speedup: float) -> str:
        return f"{speedup:.2f} ({'>=' if speedup >= TARGET_SPEEDUP else '<'} {TARGET_SPEEDUP})"

    return (
        f"Batch of {batch['n_scans']} scans of {batch['n_points']:,} points: "
        f"1 worker {batch['j1_s']:.1f} s (pictures on both cores), 1 worker pinned to one core "
        f"{batch['j1_one_core_s']:.1f} s, 2 workers {batch['j2_s']:.1f} s; speedup of 2 "
        f"workers over the pinned one {verdict(batch['speedup_one_core'])}, over the unpinned "
        f"one {batch['speedup']:.2f}; done {batch['j1_done']} / {batch['j1_one_core_done']} / "
        f"{batch['j2_done']}; CPU {batch['j1_cpu_s']:.1f} / {batch['j1_one_core_cpu_s']:.1f} / "
        f"{batch['j2_cpu_s']:.1f} s."
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="50 k points only, batch of 6")
    parser.add_argument("--repeats", type=int, default=None, help="runs per figure (3; 1 quick)")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch throughput")
    parser.add_argument("--no-make", action="store_true", help="skip make, floor and stages")
    parser.add_argument("--sizes", type=int, nargs="+", default=None, help="points per scan")
    parser.add_argument("--work", type=Path, default=None, help="scans and outputs folder")
    parser.add_argument("--json", type=Path, default=None, help="write raw figures here")
    args = parser.parse_args(argv)
    repo = Path(__file__).resolve().parents[1]
    repeats = args.repeats or (1 if args.quick else 3)
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    with tempfile.TemporaryDirectory(prefix="scan2insole-bench-") as tmp:
        work = args.work or Path(tmp)
        results: dict[str, Any] = {"cores": os.cpu_count(), "repeats": repeats}
        rows: list[dict[str, Any]] = []
        if not args.no_make:
            load = os.getloadavg()[0]
            for n in sizes:
                for kind in KINDS:
                    scan = make_scan(work / "scans", n, kind)
                    print(f"timing {scan.path.name} ...", file=sys.stderr)
                    rows.append(bench_scan(scan, work=work, repeats=repeats, repo=repo))
            results["scans"] = rows
            results["make_load_average"] = [load, os.getloadavg()[0]]
            print(
                f"{os.cpu_count()} cores; 1-min load average {load:.2f} before, "
                f"{os.getloadavg()[0]:.2f} after; repeats {repeats}\n"
            )
            print(make_table(rows), flush=True)
            _save(args.json, results)
        if not args.no_batch:
            print("timing batch ...", file=sys.stderr)
            load = os.getloadavg()[0]
            batch = bench_batch(
                work=work,
                n_scans=QUICK_BATCH_SCANS if args.quick else BATCH_SCANS,
                n_points=QUICK_BATCH_POINTS if args.quick else BATCH_POINTS,
                repo=repo,
            )
            results["batch"] = batch
            results["batch_load_average"] = [load, os.getloadavg()[0]]
            print(batch_line(batch))
            print(f"(1-min load average {load:.2f} before, {os.getloadavg()[0]:.2f} after)")
            _save(args.json, results)


def _save(path: Path | None, results: dict[str, Any]) -> None:
    if path is not None:
        path.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
