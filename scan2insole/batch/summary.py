"""The batch summary: one row a scan, as ``summary.csv`` (for people) and ``summary.json``.

Both are rewritten atomically each time a scan finishes, so a batch killed at any moment leaves
a summary of everything it finished (and every scan still ``pending``). ``summary.json`` is the
one ``--resume`` reads: it records each output's sha256. Paths are relative to the input and
output folders; nothing absolute, no timestamps (``seconds`` are durations).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scan2insole.batch.job import JobResult, Status
from scan2insole.export import json_bytes, write_atomically

SUMMARY_CSV = "summary.csv"
SUMMARY_JSON = "summary.json"
SUMMARY_FORMAT = 2
"""Version of the summary layout; ``--resume`` ignores a summary of another version (2: every
file ``make`` writes, by kind, and the pairs' files)."""
MEASUREMENTS = ("foot_length_mm", "ball_width_mm", "heel_width_mm")
_CSV_FILES = ("stl", "3mf", "report_json")
"""Files the CSV names with their sha256 (the report's pictures are in ``summary.json`` only)."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Row:
    """One scan of the batch: what it is, how it was to be made, what became of it."""

    input: str
    """Path relative to the input folder."""
    pair: str | None
    side_from_name: str | None
    settings: str
    """Where its settings came from (``command line``, ``profiles.csv row 3``, a sidecar)."""
    profile: str
    profile_sha256: str
    side_setting: str
    units_setting: str
    status: Status = "pending"
    error: str = ""
    warning: str = ""
    seconds: float | None = None
    reused: bool = False
    """True when ``--resume`` found its outputs complete and valid and did not redo it."""
    result: JobResult | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        return {
            "input": self.input,
            "status": self.status,
            "error": self.error,
            "warning": self.warning,
            "pair": self.pair,
            "side": r.side if r and r.side else None,
            "side_from_name": self.side_from_name,
            "side_detected": r.side_detected if r and r.side else None,
            "side_confidence": r.side_confidence_frac if r else None,
            "input_sha256": r.input_sha256 if r else "",
            "format": r.format if r else "",
            "settings": self.settings,
            "profile": self.profile,
            "profile_sha256": self.profile_sha256,
            "side_setting": self.side_setting,
            "units_setting": self.units_setting,
            "outputs": [
                {"kind": kind, "path": path, "sha256": digest}
                for kind, path, digest in (r.outputs if r else ())
            ],
            "measurements": dict(r.measurements) if r else {},
            "insole": dict(r.figures) if r else {},
            "realized_post": {
                name: {"asked": asked, "realized": got}
                for name, asked, got in (r.realized_post if r else ())
            },
            "printable": r.printable if r else None,
            "failed_checks": list(r.failed_checks) if r else [],
            "seconds": self.seconds,
            "reused": self.reused,
        }


def result_from_dict(index: int, row: dict[str, Any]) -> JobResult:
    """The :class:`JobResult` a summary row recorded (for rows ``--resume`` keeps)."""
    return JobResult(
        index=index,
        status=row["status"],
        error=row.get("error", ""),
        seconds=float(row.get("seconds") or 0.0),
        input_sha256=row.get("input_sha256", ""),
        format=row.get("format", ""),
        side=row.get("side") or "",
        side_detected=bool(row.get("side_detected")),
        side_confidence_frac=row.get("side_confidence"),
        outputs=tuple((o["kind"], o["path"], o["sha256"]) for o in row.get("outputs", [])),
        measurements=tuple((k, float(v)) for k, v in row.get("measurements", {}).items()),
        figures=tuple((k, v) for k, v in row.get("insole", {}).items()),
        realized_post=tuple(
            (k, v.get("asked"), v.get("realized")) for k, v in row.get("realized_post", {}).items()
        ),
        printable=row.get("printable"),
        failed_checks=tuple(row.get("failed_checks", [])),
    )


def warning_for(row: Row, result: JobResult) -> str:
    """What the operator should look at in a scan that was made: a side that contradicts the
    file name, an insole that fails its print checks."""
    notes = []
    if row.side_from_name and result.side and result.side != row.side_from_name:
        how = "detected from the anatomy" if result.side_detected else "set"
        notes.append(f"name says {row.side_from_name} foot, but the side {how} is {result.side}")
    if result.failed_checks:
        notes.append(f"fails print checks: {', '.join(result.failed_checks)} (see its report)")
    return "; ".join(notes)


def pair_report(rows: list[Row]) -> list[dict[str, Any]]:
    """Each pair: its scans, whether they came out one left and one right, its files (the pair
    3MF and pair report), and, when it has none, why."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        if row.pair is not None:
            groups.setdefault(row.pair, []).append(row)
    out = []
    for ident, members in groups.items():
        done = [r for r in members if r.status == "done" and r.result]
        sides = sorted(r.result.side for r in done if r.result)
        files = [
            path
            for kind, path, _ in (done[0].result.outputs if done and done[0].result else ())
            if kind.startswith("pair_")
        ]
        if len(sides) < len(members):
            status = "incomplete"
            why = ", ".join(f"{r.input} {r.status}" for r in members if r not in done)
            note = f"no pair files: {why}"
        elif sides == ["left", "right"]:
            status, note = "ok", ""
        else:
            status = f"both {sides[0]}: check which scan is which foot"
            note = f"no pair files: both scans were made as {sides[0]} feet"
        out.append(
            {
                "pair": ident,
                "scans": [r.input for r in members],
                "status": status,
                "outputs": files,
                "note": note,
            }
        )
    return out


def counts(rows: list[Row]) -> dict[str, int]:
    out = {"scans": len(rows), "done": 0, "failed": 0, "timeout": 0, "crashed": 0, "pending": 0}
    for row in rows:
        out[row.status] += 1
    out["reused"] = sum(r.reused for r in rows)
    return out


def summary_dict(
    rows: list[Row],
    *,
    version: str,
    profile: str,
    pairs: list[dict[str, Any]],
    warnings: list[str],
) -> dict[str, Any]:
    return {
        "summary_format": SUMMARY_FORMAT,
        "scan2insole_version": version,
        "profile": profile,
        "counts": counts(rows),
        "warnings": warnings,
        "pairs": pairs,
        "scans": [row.to_dict() for row in rows],
    }


def csv_bytes(rows: list[Row]) -> bytes:
    """The summary as CSV: one row a scan, measurements and the insole's figures as columns."""
    dicts = [row.to_dict() for row in rows]
    figure_names = sorted({k for d in dicts for k in d["insole"]})
    post_names = sorted({k for d in dicts for k in d["realized_post"]})
    header = [
        "input",
        "status",
        "error",
        "warning",
        "pair",
        "side",
        "side_from_name",
        *MEASUREMENTS,
        *(f"realized_{k}" for k in post_names),
        *(f"insole_{k}" for k in figure_names),
        "printable",
        *(c for kind in _CSV_FILES for c in (kind, f"{kind}_sha256")),
        "report_html",
        "pair_3mf",
        "profile",
        "settings",
        "seconds",
        "reused",
    ]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for d in dicts:
        out = {o["kind"]: o for o in d["outputs"]}
        writer.writerow(
            [
                d["input"],
                d["status"],
                d["error"],
                d["warning"],
                d["pair"] or "",
                d["side"] or "",
                d["side_from_name"] or "",
                *(_num(d["measurements"].get(k)) for k in MEASUREMENTS),
                *(_num(d["realized_post"].get(k, {}).get("realized")) for k in post_names),
                *(_num(d["insole"].get(k)) for k in figure_names),
                "" if d["printable"] is None else str(d["printable"]).lower(),
                *(out.get(k, {}).get(v, "") for k in _CSV_FILES for v in ("path", "sha256")),
                out.get("report_html", {}).get("path", ""),
                out.get("pair_3mf", {}).get("path", ""),
                d["profile"],
                d["settings"],
                _num(d["seconds"], digits=2),
                str(d["reused"]).lower(),
            ]
        )
    return buf.getvalue().encode()


def _num(value: float | None, *, digits: int = 4) -> str:
    if value is None or value != value:  # None or NaN
        return ""
    return f"{value:.{digits}f}"


def write_summary(out_dir: Path, summary: dict[str, Any], rows: list[Row]) -> None:
    """Write ``summary.csv`` and ``summary.json`` atomically (temp files, then renames)."""
    write_atomically(
        {out_dir / SUMMARY_CSV: csv_bytes(rows), out_dir / SUMMARY_JSON: json_bytes(summary)},
        overwrite=True,
    )


def read_previous(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Rows of an earlier run's ``summary.json`` keyed by input, each with the ``version`` that
    made it; empty if there is none or it is unreadable.

    An unreadable summary (a foreign file, another layout) means nothing is known to be done,
    so everything is made again: slower, never wrong.
    """
    try:
        data = json.loads((out_dir / SUMMARY_JSON).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("summary_format") != SUMMARY_FORMAT:
        return {}
    scans = data.get("scans")
    if not isinstance(scans, list):
        return {}
    version = data.get("scan2insole_version")
    return {
        s["input"]: {**s, "version": version}
        for s in scans
        if isinstance(s, dict) and isinstance(s.get("input"), str)
    }
