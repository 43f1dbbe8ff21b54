"""Measurement accuracy on synthetic feet with exact ground truth: the error table of issue 5.

Run as ``python -m benchmarks.accuracy`` (``--quick`` for one size instead of three). For every
foot of the set (three arch types x three sizes x both sides) and every scanner scenario (clean
mesh; random pose; pose + noise; pose + plantar holes; pose + a foot written in m / cm / in;
pose + a scanning plate under the foot; a noisy point cloud), the scan is read through the whole
pipeline (clean -> frame -> analyse) and each measurement is compared with
``scan2insole.synthetic.foot_truth``. It prints, per measurement, the mean absolute error (MAE),
the maximum absolute error, the 95th percentile and how often the stated uncertainty covers the
error, then the foot-type confusion.

``--speed`` times ``scan2insole measure`` on a 1M-point cloud instead.

Two frames are reported: ``pipeline`` is what a user gets; ``true frame`` puts the cleaned scan
into the truth's design frame (``truth.design_from_scanner``) before ``analyse``, so the gap
between the two rows is the frame stage's share of the error.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

import numpy as np

from scan2insole.analyse import analyse_foot
from scan2insole.clean import clean_scan
from scan2insole.frame import LEG_CUT_HEIGHT_MM, frame_foot
from scan2insole.records import CleanScan, FootFrame, FramedFoot, RawScan
from scan2insole.synthetic import ARCH_SHAPES, Artefacts, FootParams, synthetic_scan

SEED = 5
MEASURES = (
    "foot_length_mm",
    "ball_width_mm",
    "heel_width_mm",
    "arch_length_mm",
    "dorsal_height_50_mm",
    "arch_height_index",
    "medial_arch_height_mm",
    "arch_index",
)
# Issue 5's targets: MAE (and max) per measurement on this set.
TARGET_MAE = {
    "foot_length_mm": 1.0,
    "ball_width_mm": 1.5,
    "heel_width_mm": 2.0,
    "arch_length_mm": 3.0,
    "medial_arch_height_mm": 1.5,
}
TARGET_MAX = {"foot_length_mm": 2.0}
SIZES_MM = (230.0, 265.0, 295.0)  # ANSUR II women's mean-ish, men's mean, men's P95
SCENARIOS: dict[str, dict] = {
    "mesh": {},
    "posed": {"rotate": True, "translate_mm": 400.0},
    "noisy": {"rotate": True, "noise_mm": 0.3},
    "holed": {"rotate": True, "n_holes": 3, "hole_radius_mm": 12.0},
    "units": {"rotate": True, "unit": None},  # unit cycles through m, cm, in
    "floor": {"rotate": True, "floor": True},
    "cloud": {"rotate": True, "point_cloud": True, "n_points": 200_000, "noise_mm": 0.2},
}
UNITS = ("m", "cm", "in")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Row:
    scenario: str
    arch_type: str
    side: str
    size_mm: float
    errors: dict[str, float]
    covered: dict[str, bool]
    foot_type: str | None
    seconds: float


def feet(quick: bool) -> list[FootParams]:
    """The benchmark's feet: every arch type at every size, both sides; the medial arch height
    walks through its class's range (low, middle, high) with the size."""
    out = []
    sizes = SIZES_MM[1:2] if quick else SIZES_MM
    for arch, shape in ARCH_SHAPES.items():
        lo, hi = shape.height_range_mm
        for k, length in enumerate(sizes):
            frac = (0.15, 0.5, 0.85)[k] if not quick else 0.5
            for side in ("right", "left"):
                out.append(
                    FootParams(
                        foot_length_mm=length,
                        ball_width_mm=round(0.377 * length, 1),
                        heel_width_mm=round(0.712 * 0.377 * length, 1),
                        dorsal_height_50_mm=round(0.257 * length, 1),
                        arch_type=arch,  # type: ignore[arg-type]
                        medial_arch_height_mm=lo + frac * (hi - lo),
                        side=side,  # type: ignore[arg-type]
                    )
                )
    return out


def true_frame(clean: CleanScan, design_from_scanner: np.ndarray, side: str) -> FramedFoot:
    """The cleaned scan put into the truth's design frame, leg cut as ``frame`` cuts it."""
    m = design_from_scanner
    pts = clean.points_mm @ m[:3, :3].T + m[:3, 3]
    keep = pts[:, 2] <= LEG_CUT_HEIGHT_MM
    faces = clean.faces
    if len(faces):
        faces = faces[keep[faces].all(axis=1)]
        faces = (np.cumsum(keep) - 1)[faces]
        if side == "left":
            faces = faces[:, ::-1]
    frame = FootFrame(
        foot_from_scanner=m,
        side=side,  # type: ignore[arg-type]
        side_detected=False,
        side_confidence_frac=1.0,
        side_reason="truth",
    )
    return FramedFoot(
        points_mm=pts[keep],
        faces=faces,
        frame=frame,
        units=clean.units,
        quality=clean.quality,
        name=clean.name,
        sha256=clean.sha256,
    )


def run(quick: bool) -> dict[str, list[Row]]:
    rng = np.random.default_rng(SEED)
    rows: dict[str, list[Row]] = {"pipeline": [], "true frame": []}
    n_unit = 0
    for params in feet(quick):
        for scenario, kwargs in SCENARIOS.items():
            kw = dict(kwargs)
            if "unit" in kw:
                kw["unit"] = UNITS[n_unit % len(UNITS)]
                n_unit += 1
            scan = synthetic_scan(params, Artefacts(**kw), rng=rng)
            truth = scan.truth
            raw = RawScan(
                vertices=scan.vertices,
                faces=scan.faces,
                format="synthetic",
                sha256="0" * 64,
                name="synthetic",
            )
            t0 = time.perf_counter()
            clean = clean_scan(raw)
            framed = frame_foot(clean)
            analysis = analyse_foot(framed)
            seconds = time.perf_counter() - t0
            oracle = analyse_foot(true_frame(clean, truth.design_from_scanner, params.side))
            for label, a in (("pipeline", analysis), ("true frame", oracle)):
                m = a.measurements
                errors = {k: float(getattr(m, k) - getattr(truth, k)) for k in MEASURES}
                covered = {
                    k: abs(errors[k]) <= m.uncertainty.get(k, np.nan)
                    for k in MEASURES
                    if k in m.uncertainty
                }
                rows[label].append(
                    Row(
                        scenario=scenario,
                        arch_type=params.arch_type,
                        side=params.side,
                        size_mm=params.foot_length_mm,
                        errors=errors,
                        covered=covered,
                        foot_type=m.foot_type,
                        seconds=seconds,
                    )
                )
    return rows


def table(rows: list[Row], label: str) -> str:
    lines = [
        f"{label}: {len(rows)} scans",
        f"{'measurement':24s} {'MAE':>8s} {'max':>8s} {'P95':>8s} {'bias':>8s} "
        f"{'covered':>8s} {'target':>14s}",
    ]
    for k in MEASURES:
        e = np.array([r.errors[k] for r in rows])
        ok = np.isfinite(e)
        a = np.abs(e[ok])
        cov = [r.covered[k] for r in rows if k in r.covered]
        target = ""
        if k in TARGET_MAE:
            target = f"MAE<={TARGET_MAE[k]}"
            if k in TARGET_MAX:
                target += f" max<={TARGET_MAX[k]}"
            met = a.mean() <= TARGET_MAE[k] and a.max() <= TARGET_MAX.get(k, np.inf)
            target += " ok" if met else " MISSED"
        missing = "" if ok.all() else f" ({int((~ok).sum())} NaN)"
        lines.append(
            f"{k:24s} {a.mean():8.3f} {a.max():8.3f} {np.percentile(a, 95):8.3f} "
            f"{e[ok].mean():+8.3f} {100 * np.mean(cov):7.0f}% {target:>14s}{missing}"
        )
    return "\n".join(lines)


def by_scenario(rows: list[Row]) -> str:
    lines = ["MAE by scenario (mm; arch index x 1000)"]
    head = f"{'scenario':10s}" + "".join(f"{k.replace('_mm', '')[:12]:>13s}" for k in MEASURES)
    lines.append(head)
    for sc in SCENARIOS:
        sel = [r for r in rows if r.scenario == sc]
        cells = []
        for k in MEASURES:
            a = np.abs([r.errors[k] for r in sel])
            scale = 1000.0 if k in ("arch_index", "arch_height_index") else 1.0
            cells.append(f"{scale * np.nanmean(a):13.3f}")
        lines.append(f"{sc:10s}" + "".join(cells))
    return "\n".join(lines)


def confusion(rows: list[Row]) -> str:
    kinds = ("flat", "normal", "high", None)
    lines = [
        "foot type (rows: truth, columns: measured)",
        " " * 8 + "".join(f"{k!s:>8s}" for k in kinds),
    ]
    for t in kinds[:3]:
        counts = [sum(1 for r in rows if r.arch_type == t and r.foot_type == k) for k in kinds]
        lines.append(f"{t:8s}" + "".join(f"{c:8d}" for c in counts))
    right = sum(1 for r in rows if r.arch_type == r.foot_type)
    lines.append(f"correct: {right} / {len(rows)}")
    return "\n".join(lines)


def speed(n_points: int, repeats: int) -> None:
    """Wall time of ``scan2insole measure --json`` on a synthetic cloud of ``n_points``."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from benchmarks.scans import make_scan
    from scan2insole.intake import clean_and_frame
    from scan2insole.load import load_scan

    with tempfile.TemporaryDirectory() as tmp:
        scan = make_scan(Path(tmp), n_points, "cloud-ply")
        walls = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "scan2insole", "measure", str(scan.path), "--json"],
                check=True,
                capture_output=True,
            )
            walls.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        raw = load_scan(scan.path)
        t1 = time.perf_counter()
        foot = clean_and_frame(raw)
        t2 = time.perf_counter()
        analyse_foot(foot)
        t3 = time.perf_counter()
    print(
        f"measure --json on a {scan.n_points}-point cloud (PLY): wall "
        f"{min(walls):.2f} s best / {np.median(walls):.2f} s median of {repeats} "
        f"(new process each, imports included); in-process load {t1 - t0:.2f} s, "
        f"clean+frame {t2 - t1:.2f} s, analyse {t3 - t2:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one size instead of three")
    parser.add_argument(
        "--speed",
        action="store_true",
        help="time `scan2insole measure` on a 1M-point cloud instead",
    )
    args = parser.parse_args()
    if args.speed:
        speed(1_000_000, 3)
        return
    t0 = time.perf_counter()
    rows = run(args.quick)
    for label, rs in rows.items():
        print(table(rs, label))
        print()
        print(by_scenario(rs))
        print()
        print(confusion(rs))
        print()
    secs = np.array([r.seconds for r in rows["pipeline"]])
    print(
        f"pipeline clean+frame+analyse per scan: median {np.median(secs):.2f} s, "
        f"max {secs.max():.2f} s; benchmark wall {time.perf_counter() - t0:.0f} s"
    )


if __name__ == "__main__":
    main()
