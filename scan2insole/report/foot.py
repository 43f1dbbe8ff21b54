"""One foot's part of a report: its pictures and the page sections that show them.

The sections, in the order a clinician reads them: the scan and its measurements, the
footprint and foot type, the insole, sections through it, the prescription asked and realized,
then scan quality, print checks and provenance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scan2insole.report import html
from scan2insole.report.figures_footprint import footprint_figure
from scan2insole.report.figures_insole import insole_figure
from scan2insole.report.figures_scan import scan_figure
from scan2insole.report.parallel import draw_all
from scan2insole.report.prescription import prescription_rows, realized_entries
from scan2insole.report.rasters import display_points
from scan2insole.report.readout import NOT_AVAILABLE, number
from scan2insole.report.sections import heel_section_figure, side_sections_figure
from scan2insole.report.tables import (
    Table,
    checks_table,
    landmarks_table,
    measurements_table,
    mesh_figures_table,
    plausibility_notes,
    printer_table,
    provenance_table,
    quality_table,
    sensitivity_table,
)

PICTURES = ("scan", "footprint", "insole", "heel_section", "side_sections")
"""Picture names, in page order; a picture's PNG file is ``<stem>.report_<name>.png``."""
PICTURE_COST = {
    "scan": 2.5,
    "footprint": 0.9,
    "insole": 2.0,
    "heel_section": 1.0,
    "side_sections": 1.5,
}
"""Relative drawing times (seconds x 10 on a 1 M-point cloud), to split the pictures evenly
between two processes."""

_STATUS_CLASS = {
    "within": "ok",
    "outside": "bad",
    "no tolerance": "",
    "not measured": "na",
    "not available": "na",
}


def foot_pictures(result: Any, *, processes: int | None = None) -> dict[str, bytes]:
    """The five pictures of one ``MakeResult`` as PNG bytes, keyed by name in page order,
    drawn on ``processes`` cores (``parallel.draw_all``)."""
    return draw_all(picture_jobs(result), cost=PICTURE_COST, processes=processes)


def picture_jobs(result: Any) -> dict[str, Callable[[], bytes]]:
    """A function drawing each of the five pictures of one ``MakeResult``, in page order."""
    a = result.analysis
    points = display_points(a.foot.points_mm, a.foot.faces)
    entries = realized_entries(getattr(result, "realized", None))
    d, p = result.design, result.profile
    return {
        "scan": lambda: scan_figure(a, points),
        "footprint": lambda: footprint_figure(a),
        "insole": lambda: insole_figure(a, d),
        "heel_section": lambda: heel_section_figure(a, d, points, p, entries),
        "side_sections": lambda: side_sections_figure(a, d, points, p, entries),
    }


def prescription_table(result: Any) -> tuple[Table, dict[str, int]]:
    """The prescription table and how many rows have each status."""
    rows = prescription_rows(result.profile, getattr(result, "realized", None))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    table = Table(
        header=("parameter", "meaning", "asked", "realized", "tolerance", "status"),
        rows=tuple(
            (
                (r.parameter, r.meaning, r.asked, r.realized, r.tolerance, r.status),
                _STATUS_CLASS[r.status],
            )
            for r in rows
        ),
    )
    return table, counts


def summary(result: Any) -> str:
    """One box of the facts a reader wants first."""
    a = result.analysis
    m = a.measurements
    _, counts = prescription_table(result)
    measured = counts.get("within", 0) + counts.get("outside", 0)
    if getattr(result, "realized", None) is None:
        proof = f"realized values {NOT_AVAILABLE}"
    else:
        proof = f"{counts.get('within', 0)} of {measured} measured parameters within tolerance"
        if counts.get("outside", 0):
            proof += f", {counts['outside']} OUTSIDE"
    items = [
        f"{a.foot.frame.side} foot",
        f"{number(m.foot_length_mm, 'mm')} × {number(m.ball_width_mm, 'mm')}",
        f"foot type: {getattr(m, 'foot_type', None) or NOT_AVAILABLE}",
        f"profile: {result.profile.name}",
        f"printable: {'yes' if result.verify.printable else 'NO'}",
        proof,
    ]
    spans = "".join(f"<span>{html.text(i)}</span>" for i in items)
    return f'<div class="summary">{spans}</div>'


def foot_parts(result: Any, pictures: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """(heading, pictures HTML, tables HTML) of each page section for one foot."""
    a = result.analysis
    m = a.measurements
    side = a.foot.frame.side
    frame_note = (
        "Right-foot design frame: origin at the pternion on the support plane, +x heel to toe "
        "along the foot axis, +y medial, z up"
        + ("; this LEFT foot is shown mirrored into it." if side == "left" else ".")
    )
    landmarks = landmarks_table(getattr(a, "landmarks", None))
    sensitivity = sensitivity_table(m)
    prescription, _ = prescription_table(result)
    printer = printer_table(result.profile)
    scan_pictures = html.image(
        pictures["scan"],
        alt=f"{side} foot scan from above and from the medial side",
        caption=f"{side} foot. {frame_note} Lengths and widths are drawn where they were measured.",
    )
    scan_tables = "".join(
        [
            html.table(measurements_table(m), numeric_columns=(1,)),
            html.notes(plausibility_notes(m), title="Implausible against population ratios:"),
            "<h3>Landmarks (mm)</h3>" + html.table(landmarks, numeric_columns=(1, 2, 3))
            if landmarks is not None
            else f"<p>Landmarks: {NOT_AVAILABLE}</p>",
        ]
    )
    footprint = html.image(
        pictures["footprint"],
        alt=f"{side} foot contact footprint with arch-index thirds",
        caption=f"{side} foot. Contact = plantar surface within 2 mm of the support plane "
        "(Bookstein et al. 2015), toes removed; the print's length is cut into equal thirds "
        "(Cavanagh & Rodgers).",
    )
    footprint_tables = (
        "<h3>Arch index by contact height</h3>" + html.table(sensitivity, numeric_columns=(0, 1))
        if sensitivity is not None
        else ""
    )
    insole = html.image(
        pictures["insole"],
        alt=f"{side} insole thickness map and outline",
        caption=f"{side} insole. Thickness = top − bottom of the designed insole, seen from "
        "above; contour lines are marked on the colour bar. Below: the insole outline over the "
        "foot's footprint.",
    )
    cuts = html.image(
        pictures["heel_section"],
        alt=f"{side} insole frontal section through the heel",
        caption=f"{side} insole. Frontal cut through the heel centre, seen from behind a right "
        "foot (medial on the left).",
    ) + html.image(
        pictures["side_sections"],
        alt=f"{side} insole sagittal sections",
        caption=f"{side} insole. Sagittal cuts seen from the medial side: along the medial arch, "
        "and through the metatarsal pad (or under the 2nd metatarsal head).",
    )
    proof = (
        html.table(prescription, numeric_columns=(2, 3, 4), status_column=5)
        + '<p class="note">Asked: the profile; realized: measured back off the exported insole '
        "mesh by each parameter's own geometric definition; red rows are outside their "
        "tolerance.</p>"
    )
    checks = "".join(
        [
            "<h3>Scan quality</h3>",
            html.table(quality_table(a.foot)),
            "<h3>Print checks</h3>",
            html.table(checks_table(result.verify), numeric_columns=(2, 3), status_column=1),
            html.table(mesh_figures_table(result.verify), numeric_columns=(1,)),
            html.table(printer, numeric_columns=(1,)) if printer is not None else "",
            "<h3>Provenance</h3>",
            html.table(provenance_table(result)),
        ]
    )
    return [
        ("1. The scan and its measurements", scan_pictures, scan_tables),
        ("2. The footprint and the foot type", footprint, footprint_tables),
        ("3. The insole", insole, ""),
        ("4. Sections", cuts, ""),
        ("5. Prescription: asked and realized", "", proof),
        ("6. Scan quality, print checks and provenance", "", checks),
    ]
