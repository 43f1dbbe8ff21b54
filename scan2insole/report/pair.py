"""A left and a right foot in one report: both feet side by side and what differs between them.

The asymmetry table puts each measurement of the two feet next to each other with the right
minus left difference, and flags a difference larger than the two measurements' combined
uncertainty (the root sum of squares of their ~95 % bounds): below that, the feet cannot be
told apart by this scan. The pair picture shows both feet from above as they stand (toes up,
each foot its own side, the left one mirrored back out of the design frame) and, beside them,
both outlines laid over each other in the right-foot design frame (the left one mirrored in),
pternions together.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from scan2insole.report import html
from scan2insole.report.canvas import axes_at, drawing, new_figure, png_bytes
from scan2insole.report.cuts import contact_mask
from scan2insole.report.drawing import TEXT_BOX
from scan2insole.report.foot import PICTURE_COST, PICTURES, foot_parts, picture_jobs, summary
from scan2insole.report.parallel import draw_all
from scan2insole.report.readout import NOT_AVAILABLE, is_number, label_of, number, unit_of
from scan2insole.report.tables import MEASUREMENT_LABELS, Table, measurement_names

STANCE_GAP_MM = 40.0
"""Space between the two feet in the standing view."""
PAIR_COST = 2.0  # drawing time of the pair picture, on ``foot.PICTURE_COST``'s scale
_COLOURS = {"left": "#d95f02", "right": "#1b9e77"}


def asymmetry_table(left: Any, right: Any) -> Table:
    """Each measurement of both feet, right − left, and whether it exceeds the uncertainty."""
    ml, mr = left.analysis.measurements, right.analysis.measurements
    ul = getattr(ml, "uncertainty", None) or {}
    ur = getattr(mr, "uncertainty", None) or {}
    rows = []
    for name in measurement_names(mr):
        a, b = getattr(ml, name, None), getattr(mr, name, None)
        unit = unit_of(name)
        label = MEASUREMENT_LABELS.get(name, label_of(name))
        if not (is_number(a) and is_number(b)):
            rows.append(((label, number(a, unit), number(b, unit), NOT_AVAILABLE, ""), "na"))
            continue
        diff = float(b) - float(a)
        u = [x for x in (ul.get(name), ur.get(name)) if is_number(x)]
        if len(u) == 2:
            bound = math.hypot(*u)
            beyond = abs(diff) > bound
            verdict = (
                f"{'BEYOND' if beyond else 'within'} the uncertainty (± {number(bound, unit)})"
            )
        else:
            beyond, verdict = False, "no uncertainty given"
        pct = f" ({100 * diff / float(a):+.1f} %)" if float(a) != 0 and unit == "mm" else ""
        rows.append(
            (
                (label, number(a, unit), number(b, unit), f"{number(diff, unit)}{pct}", verdict),
                "warn" if beyond else "",
            )
        )
    tl, tr = getattr(ml, "foot_type", None), getattr(mr, "foot_type", None)
    same = "same" if tl == tr else "DIFFERENT"
    rows.append(
        (
            (
                "foot type",
                tl or NOT_AVAILABLE,
                tr or NOT_AVAILABLE,
                same if tl and tr else NOT_AVAILABLE,
                "",
            ),
            "warn" if tl and tr and tl != tr else "",
        )
    )
    return Table(
        header=("measurement", "left", "right", "right − left", "difference vs uncertainty"),
        rows=tuple(rows),
    )


def _origin(result: Any) -> np.ndarray:
    """(2,) x, y of the pternion in the design frame (the footprint's rear centre without it)."""
    p = getattr(getattr(result.analysis, "landmarks", None), "pternion_mm", None)
    if p is not None and np.isfinite(p[:2]).all():
        return np.asarray(p[:2], dtype=np.float64)
    o = result.analysis.outline_mm
    return np.array([o[:, 0].min(), 0.5 * (o[:, 1].min() + o[:, 1].max())])


def _standing(ax: Axes, left: Any, right: Any) -> None:
    """Both feet from above, toes up: screen x = medial-lateral as seen, screen y = heel→toe."""
    # a right foot seen from above with its toes up has its medial (+y) side on the left;
    # a real left foot (mirrored back out of the design frame) has it on the right
    placed = []
    for key, result, sign in (("left", left, 1.0), ("right", right, -1.0)):
        a = result.analysis
        o = _origin(result)
        hm = a.plantar
        xx, yy = np.meshgrid(hm.x_mm - o[0], hm.y_mm - o[1])
        outline = np.vstack([a.outline_mm, a.outline_mm[:1]]) - o
        placed.append((key, result, sign, xx, yy, outline, a))
    half_widths = [np.ptp(p[5][:, 1]) / 2 for p in placed]
    offset = {
        "left": -(half_widths[0] + 0.5 * STANCE_GAP_MM),
        "right": half_widths[1] + 0.5 * STANCE_GAP_MM,
    }
    for key, _result, sign, xx, yy, outline, a in placed:
        centre_y = 0.5 * (outline[:, 1].min() + outline[:, 1].max())
        sx = sign * (yy - centre_y) + offset[key]
        ax.contourf(sx, xx, a.footprint.astype(float), levels=[0.5, 1.5], colors=["#e0e0e0"])
        ax.contourf(sx, xx, contact_mask(a).astype(float), levels=[0.5, 1.5], colors=["#9ecae1"])
        ax.plot(
            sign * (outline[:, 1] - centre_y) + offset[key],
            outline[:, 0],
            color=_COLOURS[key],
            lw=1.8,
        )
        m = a.measurements
        ax.text(
            offset[key],
            -18,
            f"{a.foot.frame.side} foot\nlength {number(m.foot_length_mm, 'mm')}\n"
            f"ball width {number(m.ball_width_mm, 'mm')}\n"
            f"foot type {getattr(m, 'foot_type', None) or NOT_AVAILABLE}",
            ha="center",
            va="top",
            fontsize=9.5,
            bbox=TEXT_BOX,
        )
    ax.set_aspect("equal")
    ax.set_ylim(-75, None)
    ax.set_xlabel("across the feet (mm)")
    ax.set_ylabel("heel → toe (mm)")
    ax.set_title("Both feet from above, as they stand")


def _overlay(ax: Axes, left: Any, right: Any) -> None:
    for key, result in (("left", left), ("right", right)):
        a = result.analysis
        o = _origin(result)
        outline = np.vstack([a.outline_mm, a.outline_mm[:1]]) - o
        # toes up, medial (+y) to the left, as a right foot is seen from above
        ax.plot(
            -outline[:, 1],
            outline[:, 0],
            color=_COLOURS[key],
            lw=1.8,
            label=f"{a.foot.frame.side} foot" + (" (mirrored)" if key == "left" else ""),
        )
    ax.set_aspect("equal")
    ax.set_xlabel("medial ←   across the foot (mm)   → lateral")
    ax.set_title("Outlines over each other\n(right-foot frame, pternions together)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, ncol=1)


def pair_figure(left: Any, right: Any) -> bytes:
    """PNG: both feet from above as they stand, and their outlines laid over each other."""
    with drawing():
        fig = new_figure(13.0, 8.0)
        _standing(axes_at(fig, (0.06, 0.07, 0.55, 0.86), anchor="C"), left, right)
        _overlay(axes_at(fig, (0.66, 0.16, 0.32, 0.77), anchor="C"), left, right)
        return png_bytes(fig)


def pair_files(
    left: Any,
    right: Any,
    *,
    stem: str,
    processes: int | None = None,
    drawn: tuple[dict[str, bytes], dict[str, bytes]] | None = None,
) -> dict[str, bytes]:
    """The pair report's files; see :func:`scan2insole.report.pair_report_files`."""
    jobs = {"pair": lambda: pair_figure(left, right)}
    cost = {"pair": PAIR_COST}
    if drawn is None:
        for key, result in (("left", left), ("right", right)):
            for name, job in picture_jobs(result).items():
                jobs[f"{key}/{name}"] = job
                cost[f"{key}/{name}"] = PICTURE_COST[name]
    done = draw_all(jobs, cost=cost, processes=processes)
    pictures = {
        key: drawn[i] if drawn else {name: done[f"{key}/{name}"] for name in PICTURES}
        for i, key in enumerate(("left", "right"))
    }
    both = done["pair"]
    sides = (left.analysis.foot.frame.side, right.analysis.foot.frame.side)
    profiles = dict.fromkeys((left.profile.name, right.profile.name))
    title = (
        f"scan2insole report: {left.raw.name} and {right.raw.name}, profile {' / '.join(profiles)}"
    )
    body = [f"<h1>{html.text(title)}</h1>"]
    if sides != ("left", "right"):
        body.append(
            f'<p class="note"><b>Note:</b> the scans were detected as {sides[0]} and '
            f"{sides[1]} feet; they are shown in the order given.</p>"
        )
    body.append(f'<div class="pair"><div>{summary(left)}</div><div>{summary(right)}</div></div>')
    body.append("<h2>Both feet</h2>")
    body.append(
        html.image(
            both,
            alt="both feet side by side and overlaid",
            caption="Footprint (grey), contact within 2 mm (blue), outline.",
        )
    )
    body.append("<h2>Asymmetry: right − left</h2>")
    body.append(html.table(asymmetry_table(left, right), numeric_columns=(1, 2, 3)))
    parts_l = foot_parts(left, pictures["left"])
    parts_r = foot_parts(right, pictures["right"])
    for (heading, figs_l, tabs_l), (_, figs_r, tabs_r) in zip(parts_l, parts_r, strict=True):
        # pictures one under the other at full width (legible); tables side by side
        body.append(f"<h2>{html.text(heading)}</h2>{figs_l}{figs_r}")
        if tabs_l or tabs_r:
            body.append(
                f'<div class="pair"><div><h3>{html.text(sides[0])} foot</h3>{tabs_l}</div>'
                f"<div><h3>{html.text(sides[1])} foot</h3>{tabs_r}</div></div>"
            )
    files = {f"{stem}.report.html": html.page(title=title, body="".join(body))}
    files[f"{stem}.report_pair.png"] = both
    for key, side in (("left", sides[0]), ("right", sides[1])):
        label = side if sides[0] != sides[1] else key
        for name, png in pictures[key].items():
            files[f"{stem}.report_{label}_{name}.png"] = png
    return files
