"""Draw the pictures of docs/measurements.md: where each measurement is taken, on a real analysis.

Run as ``python docs/make_figures.py`` from the repository root. Each figure shows the analysis
of a synthetic right foot (``scan2insole.synthetic``, default adult male, normal arch) put into
its design frame, with the points and lines the measurement is made of as ``analyse_foot``
found them. Writes ``docs/img/measure_*.png`` (matplotlib Agg, fixed size and fonts).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from scan2insole.analyse import GRID_MM, _footprint, analyse_foot
from scan2insole.analyse.border import border_points
from scan2insole.analyse.contact import CONTACT_HEIGHT_MM, contact_print, sole_map
from scan2insole.analyse.foot_type import FLAT_ARCH_MIN_AI, HIGH_ARCH_MAX_AI
from scan2insole.analyse.landmarks import HEEL_MAX_HEIGHT_MM, HEEL_REGION_FRAC
from scan2insole.analyse.measurements import (
    MEDIAL_ARCH_LINE_FRAC,
    MEDIAL_ARCH_RANGE_FRAC,
    MEDIAL_OUTLINE_HEIGHT_MM,
    plantar_heights,
)
from scan2insole.records import (
    FootAnalysis,
    FramedFoot,
)
from scan2insole.sampling import surface_samples
from scan2insole.synthetic import Artefacts, FootParams, in_true_frame, synthetic_scan

OUT = Path(__file__).resolve().parent / "img"
DPI = 100
GREY = "0.75"
plt.rcParams.update({"font.size": 9, "figure.dpi": DPI, "savefig.dpi": DPI})


def _framed(params: FootParams) -> FramedFoot:
    scan = synthetic_scan(params, Artefacts(), rng=np.random.default_rng(0))
    return in_true_frame(scan.vertices, scan.faces)


def _contact(foot: FramedFoot, a: FootAnalysis):  # type: ignore[no-untyped-def]
    dense = surface_samples(foot.points_mm, foot.faces, spacing_mm=0.7 * GRID_MM)
    low, footprint = _footprint(dense)
    sole, unseen = sole_map(low, a.plantar, footprint)
    mask = contact_print(
        sole,
        unseen,
        footprint,
        height_mm=CONTACT_HEIGHT_MM,
        first_mth_x_mm=float(a.landmarks.first_mth_mm[0]),
        foot_length_mm=a.measurements.foot_length_mm,
    )
    return sole, footprint, mask


def _top(ax, a: FootAnalysis, title: str) -> None:  # type: ignore[no-untyped-def]
    """Top view: the foot's projection (grey points) and its 25 mm footprint outline."""
    pts = a.foot.points_mm
    ax.scatter(pts[:, 0], pts[:, 1], s=0.15, color="0.85", rasterized=True, zorder=0)
    o = np.vstack([a.outline_mm, a.outline_mm[:1]])
    ax.plot(o[:, 0], o[:, 1], color="0.45", lw=0.8, zorder=2)
    ax.set_aspect("equal")
    ax.set_xlabel("x (mm, heel to toe)")
    ax.set_ylabel("y (mm, medial +)")
    ax.set_title(title)


def _mark(ax, p, label: str, color: str = "C3", dx: float = 2.0, dy: float = 3.0) -> None:  # type: ignore[no-untyped-def]
    ax.plot(p[0], p[1], "o", color=color, ms=4)
    ax.annotate(label, (p[0], p[1]), (p[0] + dx, p[1] + dy), color=color, fontsize=8)


def _dim(ax, p, q, text: str, color: str = "C0", offset=(0, 0)) -> None:  # type: ignore[no-untyped-def]
    ax.annotate(
        "",
        q,
        p,
        arrowprops={"arrowstyle": "<->", "color": color, "lw": 1.2, "shrinkA": 0, "shrinkB": 0},
    )
    mid = 0.5 * (np.asarray(p) + np.asarray(q)) + np.asarray(offset)
    ax.text(mid[0], mid[1], text, color=color, ha="center", va="bottom", fontsize=9)


def _print(ax, mask: np.ndarray, ext: list[float]) -> None:  # type: ignore[no-untyped-def]
    ax.imshow(
        np.where(mask, 1.0, np.nan), origin="lower", extent=ext, cmap="Blues", vmin=0, vmax=1.5
    )


def _save(fig, name: str) -> None:  # type: ignore[no-untyped-def]
    fig.tight_layout()
    fig.savefig(OUT / f"measure_{name}.png", metadata={"Software": None})
    plt.close(fig)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    foot = _framed(FootParams())
    a = analyse_foot(foot)
    m, lm = a.measurements, a.landmarks
    pts = foot.points_mm
    length = m.foot_length_mm
    x0 = float(lm.pternion_mm[0])

    # foot length
    fig, ax = plt.subplots(figsize=(8, 3.6))
    _top(ax, a, f"Foot length = {m.foot_length_mm:.1f} mm (pternion to most distal toe, along x)")
    tip = pts[np.argmax(pts[:, 0])]
    for x in (lm.pternion_mm[0], lm.pternion_mm[0] + length):
        ax.axvline(x, color="C0", ls="--", lw=0.8)
    _dim(ax, (x0, -62), (x0 + length, -62), f"{length:.1f} mm")
    _mark(ax, lm.pternion_mm, "pternion")
    _mark(ax, tip, "hallux tip", dx=-30)
    ax.set_ylim(-70, 60)
    _save(fig, "foot_length")

    # ball width
    fig, ax = plt.subplots(figsize=(8, 3.6))
    _top(ax, a, f"Ball width = {m.ball_width_mm:.1f} mm (caliper breadth across the axis)")
    ymax, ymin = pts[:, 1].max(), pts[:, 1].min()
    for y in (ymax, ymin):
        ax.axhline(y, color="C0", ls="--", lw=0.8)
    xb = 0.5 * (lm.first_mth_mm[0] + lm.fifth_mth_mm[0])
    _dim(ax, (xb + 40, ymin), (xb + 40, ymax), f"{m.ball_width_mm:.1f} mm", offset=(14, 0))
    _mark(ax, lm.first_mth_mm, "1st MTH", dy=4)
    _mark(ax, lm.fifth_mth_mm, "5th MTH", dy=-8)
    _save(fig, "ball_width")

    # heel width
    fig, ax = plt.subplots(figsize=(8, 3.6))
    _top(ax, a, f"Heel width = {m.heel_width_mm:.1f} mm (rear 20 %, below 40 mm height)")
    ax.axvspan(x0, x0 + HEEL_REGION_FRAC * length, color="C1", alpha=0.15, label="rear 20 %")
    heel = pts[(pts[:, 0] <= x0 + HEEL_REGION_FRAC * length) & (pts[:, 2] <= HEEL_MAX_HEIGHT_MM)]
    hy0, hy1 = heel[:, 1].min(), heel[:, 1].max()
    for y in (hy0, hy1):
        ax.plot([x0, x0 + HEEL_REGION_FRAC * length], [y, y], color="C0", ls="--", lw=0.8)
    _dim(ax, (x0 + 25, hy0), (x0 + 25, hy1), f"{m.heel_width_mm:.1f} mm", offset=(0, 8))
    _mark(ax, lm.heel_centre_mm, "heel centre", dy=-9)
    ax.legend(loc="upper right")
    _save(fig, "heel_width")

    # arch length
    fig, ax = plt.subplots(figsize=(8, 3.6))
    _top(ax, a, f"Arch length = {m.arch_length_mm:.1f} mm (pternion to 1st MTH, along x)")
    _mark(ax, lm.pternion_mm, "pternion")
    _mark(ax, lm.first_mth_mm, "1st MTH (most medial point)", dx=-70, dy=5)
    ax.axvline(lm.first_mth_mm[0], color="C0", ls="--", lw=0.8)
    _dim(ax, (x0, 62), (lm.first_mth_mm[0], 62), f"{m.arch_length_mm:.1f} mm")
    ax.set_ylim(-60, 75)
    _save(fig, "arch_length")

    # dorsal height at 50 %, arch height index
    x50 = x0 + 0.5 * length
    for name, title in (
        ("dorsal_height_50", f"Dorsal height at 50 % = {m.dorsal_height_50_mm:.1f} mm"),
        (
            "arch_height_index",
            f"Arch height index = {m.dorsal_height_50_mm:.1f} / {m.arch_length_mm:.1f} = "
            f"{m.arch_height_index:.3f}",
        ),
    ):
        fig, ax = plt.subplots(figsize=(8, 3.4))
        ax.scatter(pts[:, 0], pts[:, 2], s=0.2, color=GREY, rasterized=True)
        ax.axvline(x50, color="C0", ls="--", lw=0.8)
        ax.plot([x50], [m.dorsal_height_50_mm], "o", color="C3", ms=4)
        _dim(ax, (x50 + 6, 0), (x50 + 6, m.dorsal_height_50_mm), "", color="C3")
        ax.text(x50 + 9, 0.5 * m.dorsal_height_50_mm, f"{m.dorsal_height_50_mm:.1f} mm", color="C3")
        if name == "arch_height_index":
            _dim(ax, (x0, -8), (lm.first_mth_mm[0], -8), f"arch length {m.arch_length_mm:.1f} mm")
            ax.set_ylim(-15, None)
        ax.set_aspect("equal")
        ax.set_xlabel("x (mm)")
        ax.set_ylabel("z (mm)")
        ax.set_title(title + " (side view, section at half the foot length)")
        _save(fig, name)

    # medial arch height
    sole, footprint, mask = _contact(foot, a)
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(8, 6.4), height_ratios=(1.6, 1))
    _top(ax, a, f"Medial arch height = {m.medial_arch_height_mm:.1f} mm")
    ext = [sole.x_mm[0], sole.x_mm[-1], sole.y_mm[0], sole.y_mm[-1]]
    im = ax.imshow(
        np.where(footprint, sole.z_mm, np.nan),
        origin="lower",
        extent=ext,
        cmap="viridis",
        vmin=0,
        vmax=25,
    )
    fig.colorbar(im, ax=ax, label="plantar height (mm)", shrink=0.8)
    samples = surface_samples(foot.points_mm, foot.faces, spacing_mm=2.5)
    xs = np.arange(x0 + MEDIAL_ARCH_RANGE_FRAC[0] * length, x0 + MEDIAL_ARCH_RANGE_FRAC[1] * length)
    border = border_points(samples, xs, side=1, max_height_mm=MEDIAL_OUTLINE_HEIGHT_MM)
    ok = np.isfinite(border[:, 1])
    xs, border = xs[ok], border[ok]
    line = border[:, 1] - MEDIAL_ARCH_LINE_FRAC * m.ball_width_mm
    ax.plot(xs, border[:, 1], color="C1", lw=1.5, label="medial outline")
    ax.plot(xs, line, color="C3", lw=1.5, label=f"{MEDIAL_ARCH_LINE_FRAC:.0%} of ball width in")
    _mark(ax, lm.medial_arch_apex_mm, "apex", color="w")
    ax.legend(loc="lower right", fontsize=8)
    dense = surface_samples(foot.points_mm, foot.faces, spacing_mm=0.7 * GRID_MM)
    ax2.plot(xs, plantar_heights(dense, sole, np.column_stack([xs, line])), color="C3")
    ax2.plot(lm.medial_arch_apex_mm[0], m.medial_arch_height_mm, "o", color="C3")
    ax2.set_xlabel("x (mm) along the line, 30-60 % of foot length")
    ax2.set_ylabel("plantar height (mm)")
    ax2.grid(alpha=0.3)
    _save(fig, "medial_arch_height")

    # contact print, thirds: arch index
    cols = np.flatnonzero(mask.any(axis=0))
    start = sole.x_mm[cols[0]] - 0.5 * GRID_MM
    stop = sole.x_mm[cols[-1]] + 0.5 * GRID_MM
    third = (stop - start) / 3
    fig, ax = plt.subplots(figsize=(8, 3.8))
    _top(ax, a, f"Arch index = B / (A + B + C) = {m.arch_index:.3f} (2 mm contact, toes removed)")
    ax.imshow(
        np.where(mask, 1.0, np.nan), origin="lower", extent=ext, cmap="Blues", vmin=0, vmax=1.5
    )
    for k, lab in enumerate(("C (heel)", "B (midfoot)", "A (forefoot)")):
        ax.axvline(start + k * third, color="k", lw=0.8)
        ax.text(start + (k + 0.5) * third, 52, lab, ha="center")
    ax.axvline(stop, color="k", lw=0.8)
    ax.set_ylim(-60, 62)
    _save(fig, "arch_index")

    # Chippaux-Smirak: narrowest midfoot width / widest forefoot width
    counts = mask.sum(axis=0)
    xc = sole.x_mm
    mid = (xc - 0.5 >= start + third) & (xc + 0.5 <= start + 2 * third)
    front = (xc - 0.5 >= start + 2 * third) & (xc + 0.5 <= stop)
    jb = int(np.flatnonzero(mid)[np.argmin(counts[mid])])
    ja = int(np.flatnonzero(front)[np.argmax(counts[front])])
    fig, ax = plt.subplots(figsize=(8, 3.8))
    _top(
        ax,
        a,
        f"Chippaux-Smirak index = b / a = {m.chippaux_smirak_index_pct:.1f} %",
    )
    ax.imshow(
        np.where(mask, 1.0, np.nan), origin="lower", extent=ext, cmap="Blues", vmin=0, vmax=1.5
    )
    for j, lab in ((ja, "a (widest forefoot)"), (jb, "b (narrowest midfoot)")):
        ys = sole.y_mm[mask[:, j]]
        ax.plot([xc[j], xc[j]], [ys.min(), ys.max()], color="C3", lw=2)
        ax.text(xc[j], ys.max() + 3, lab, color="C3", ha="center")
    _save(fig, "chippaux_smirak")

    # Staheli: medial tangent, widths across it at its midpoint and at the heel tangency
    from scipy.spatial import ConvexHull

    ii, jj = np.nonzero(mask)
    p2 = np.column_stack([sole.x_mm[jj], sole.y_mm[ii]])
    hull = p2[ConvexHull(p2).vertices]
    xm = 0.5 * (start + stop)
    best = None
    for p, q in zip(hull, np.roll(hull, -1, axis=0), strict=True):
        lo, hi = sorted((p[0], q[0]))
        if lo <= xm <= hi and hi > lo:
            y = p[1] + (q[1] - p[1]) * (xm - p[0]) / (q[0] - p[0])
            if best is None or y > best[0]:
                best = (y, p, q) if p[0] < q[0] else (y, q, p)
    _, heel_pt, fore_pt = best  # type: ignore[misc]
    t = (fore_pt - heel_pt) / np.linalg.norm(fore_pt - heel_pt)
    n = np.array([t[1], -t[0]])
    fig, ax = plt.subplots(figsize=(8, 3.8))
    _top(ax, a, f"Staheli index = b / c = {m.staheli_index:.2f}")
    ax.imshow(
        np.where(mask, 1.0, np.nan), origin="lower", extent=ext, cmap="Blues", vmin=0, vmax=1.5
    )
    ax.plot(*np.array([heel_pt - 20 * t, fore_pt + 20 * t]).T, color="C1", lw=1.2)
    for base, lab in ((0.5 * (heel_pt + fore_pt), "b"), (heel_pt, "c")):
        seg = np.array([base, base + 60 * n])
        ax.plot(seg[:, 0], seg[:, 1], color="C3", lw=1.5)
        ax.text(base[0] + 2, base[1] + 3, lab, color="C3", fontsize=11)
    _save(fig, "staheli")

    # landmarks
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(8, 6.2))
    _top(ax, a, "Landmarks (design frame: +x heel to toe, +y medial, z up)")
    names = {
        "pternion_mm": "pternion",
        "hallux_tip_mm": "hallux tip",
        "first_mth_mm": "1st MTH",
        "fifth_mth_mm": "5th MTH",
        "navicular_mm": "navicular (estimate)",
        "medial_arch_apex_mm": "arch apex",
        "heel_centre_mm": "heel centre",
    }
    for k, (field, label) in enumerate(names.items()):
        p = getattr(lm, field)
        _mark(ax, p, label, color=f"C{k}", dx=-20 if field == "hallux_tip_mm" else 2)
        ax2.plot(p[0], p[2], "o", color=f"C{k}", ms=4)
        ax2.annotate(label, (p[0], p[2]), (p[0] + 2, p[2] + 2), color=f"C{k}", fontsize=8)
    ax2.scatter(pts[:, 0], pts[:, 2], s=0.2, color=GREY, rasterized=True)
    ax2.set_aspect("equal")
    ax2.set_xlabel("x (mm)")
    ax2.set_ylabel("z (mm)")
    _save(fig, "landmarks")

    # foot type: arch index of the three synthetic arch types against the thresholds
    fig, ax = plt.subplots(figsize=(8, 2.8))
    for k, arch in enumerate(("high", "normal", "flat")):
        ak = analyse_foot(_framed(FootParams(arch_type=arch))).measurements  # type: ignore[arg-type]
        ax.barh(k, ak.arch_index, color=f"C{k}")
        ax.text(
            ak.arch_index + 0.005,
            k,
            f"{arch} arch: AI {ak.arch_index:.3f} -> {ak.foot_type}",
            va="center",
        )
    ax.axvline(HIGH_ARCH_MAX_AI, color="k", ls="--", lw=0.8)
    ax.axvline(FLAT_ARCH_MIN_AI, color="k", ls="--", lw=0.8)
    ax.text(HIGH_ARCH_MAX_AI, 2.6, f"{HIGH_ARCH_MAX_AI}", ha="center")
    ax.text(FLAT_ARCH_MIN_AI, 2.6, f"{FLAT_ARCH_MIN_AI}", ha="center")
    ax.set_yticks([])
    ax.set_xlim(0, 0.45)
    ax.set_ylim(-0.6, 2.9)
    ax.set_xlabel("Cavanagh & Rodgers arch index (thresholds: status U)")
    ax.set_title("Foot type from the arch index: high <= 0.21 < normal < 0.26 <= flat")
    _save(fig, "foot_type")


if __name__ == "__main__":
    main()
