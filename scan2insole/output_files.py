"""The files one scan, and one person's pair of scans, give: file name -> bytes.

``scan2insole make`` and ``scan2insole batch`` write the same files through these functions, so
one scan gives the same names and the same bytes whichever command made it. Per scan, in this
order: ``<stem>.insole.stl``, ``<stem>.insole.3mf`` (placed on the profile's bed), the clinical
report ``<stem>.report.html`` and its pictures ``<stem>.report_<picture>.png`` (unless the report
is off), and ``<stem>.report.json`` (always; its ``outputs`` block names the scan's files and,
for one foot of a pair, the pair's 3MF). Per pair: the pair report ``<key>.pair.report.html``
(+ ``<key>.pair.report_*.png``) and ``<key>.pair.3mf`` with both insoles on one bed.

Names are bare file names: the caller chooses the folder. Nothing here writes a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typing only: importing this module loads neither numpy nor the pipeline
    from scan2insole.bed_layout import Layout
    from scan2insole.pipeline import MakeResult
    from scan2insole.profile import Profile

FORMATS = ("stl", "3mf")
"""Insole file formats, in the order their files are listed."""


def pair_3mf_name(key: str) -> str:
    """The pair 3MF's name for the person ``key``."""
    return f"{key}.pair.3mf"


def scan_output_names(
    stem: str,
    *,
    formats: Sequence[str] = FORMATS,
    report: bool = True,
    pair_key: str | None = None,
) -> dict[str, str]:
    """The JSON report's ``outputs`` block: kind -> file name, pictures left out.

    Kinds, in this order: ``stl``, ``3mf``, ``pair_3mf`` (one foot of a pair, when 3MF is among
    the formats), ``report_html`` (when the report is on), ``report_json``.
    """
    names = {fmt: f"{stem}.insole.{fmt}" for fmt in FORMATS if fmt in formats}
    if pair_key is not None and "3mf" in formats:
        names["pair_3mf"] = pair_3mf_name(pair_key)
    if report:
        names["report_html"] = f"{stem}.report.html"
    names["report_json"] = f"{stem}.report.json"
    return names


def json_report_file(
    result: MakeResult,
    *,
    stem: str,
    formats: Sequence[str] = FORMATS,
    report: bool = True,
    pair_key: str | None = None,
) -> tuple[str, bytes]:
    """``(name, bytes)`` of the scan's JSON report alone (cheap: draws nothing)."""
    from scan2insole.export import json_bytes
    from scan2insole.pipeline import report_dict

    names = scan_output_names(stem, formats=formats, report=report, pair_key=pair_key)
    return names["report_json"], json_bytes(report_dict(result, outputs=names))


def scan_files(
    result: MakeResult,
    *,
    stem: str,
    formats: Sequence[str] = FORMATS,
    report: bool = True,
    pair_key: str | None = None,
    processes: int | None = None,
) -> dict[str, bytes]:
    """Every file of one scan: name -> bytes, in the order of the module docstring.

    Parameters
    ----------
    result : ``pipeline.MakeResult`` of the scan; its profile gives the bed and 3MF metadata.
    stem : file stem, already safe (``cli.safe_stem``, ``batch.outputs.output_stems``).
    formats : insole formats to include, from ``FORMATS``.
    report : include the HTML clinical report and its PNG pictures (the JSON is always there).
    pair_key : the person's key when this foot is one of a pair whose pair 3MF is written too
        (the JSON names it); None otherwise.
    processes : cores to draw the pictures on (``report.parallel``); None chooses.
    """
    from scan2insole.export import layout_on_bed, stl_bytes, threemf_bytes

    files: dict[str, bytes] = {}
    names = scan_output_names(stem, formats=formats, report=report, pair_key=pair_key)
    if "stl" in names:
        files[names["stl"]] = stl_bytes(result.insole)
    if "3mf" in names:
        title = f"{stem} {result.insole.side} insole"
        files[names["3mf"]] = threemf_bytes(
            [result.insole],
            names=[title],
            layout=layout_on_bed([result.insole], bed_mm=bed_mm(result.profile)),
            metadata=_metadata(title, [result]),
        )
    if report:
        from scan2insole.report import report_files

        files.update(report_files(result, stem=stem, processes=processes))
    name, data = json_report_file(
        result, stem=stem, formats=formats, report=report, pair_key=pair_key
    )
    files[name] = data
    return files


def pictures_in(files: dict[str, bytes], *, stem: str) -> dict[str, bytes]:
    """The report pictures among one scan's :func:`scan_files` (name -> PNG), for ``drawn``."""
    from scan2insole.report import report_pictures

    return report_pictures(files, stem=stem)


def pair_bed_mm(left: MakeResult, right: MakeResult) -> tuple[float, float]:
    """The bed both insoles of a pair go on: the smaller of their profiles' beds, x and y, mm."""
    bed_l, bed_r = bed_mm(left.profile), bed_mm(right.profile)
    return (min(bed_l[0], bed_r[0]), min(bed_l[1], bed_r[1]))


def pair_layout(left: MakeResult, right: MakeResult) -> Layout:
    """Where the left and the right insole go on one bed (``pair_bed_mm``)."""
    from scan2insole.export import layout_on_bed

    return layout_on_bed([left.insole, right.insole], bed_mm=pair_bed_mm(left, right))


def pair_files(
    left: MakeResult,
    right: MakeResult,
    *,
    key: str,
    left_stem: str,
    right_stem: str,
    formats: Sequence[str] = FORMATS,
    report: bool = True,
    processes: int | None = None,
    layout: Layout | None = None,
    drawn: tuple[dict[str, bytes], dict[str, bytes]] | None = None,
) -> dict[str, bytes]:
    """The pair's own files: the pair report (when on), then ``<key>.pair.3mf`` (when 3MF is a
    format). Each foot's own files come from :func:`scan_files` with ``pair_key=key``.

    Parameters
    ----------
    left, right : ``pipeline.MakeResult`` of the left and of the right foot of one person.
    key : the person (file names ``<key>.pair.*``).
    left_stem, right_stem : the two scans' stems (part names in the 3MF).
    formats, report, processes : as in :func:`scan_files`.
    layout : :func:`pair_layout` of the two, if already computed (make reports it).
    drawn : the left and the right foot's report pictures, when their own reports drew them
        (``pictures_in``): the pair report shows the same bytes without drawing them again.
    """
    from scan2insole.export import threemf_bytes

    files: dict[str, bytes] = {}
    if report:
        from scan2insole.report import pair_report_files

        files.update(
            pair_report_files(left, right, stem=f"{key}.pair", processes=processes, drawn=drawn)
        )
    if "3mf" in formats:
        files[pair_3mf_name(key)] = threemf_bytes(
            [left.insole, right.insole],
            names=[f"{left_stem} left insole", f"{right_stem} right insole"],
            layout=pair_layout(left, right) if layout is None else layout,
            metadata=_metadata(f"{key} insoles, left and right", [left, right]),
        )
    return files


def bed_mm(profile: Profile) -> tuple[float, float]:
    """The profile's print bed, x and y, mm."""
    return (profile.printing.bed_x_mm, profile.printing.bed_y_mm)


def _metadata(title: str, results: Sequence[MakeResult]) -> dict[str, str]:
    """3MF metadata naming the profile; two different profiles (a batch sidecar may give each
    foot its own) are both named, left first."""
    from scan2insole.export import threemf_metadata

    profiles = list({r.profile.sha256(): r.profile for r in results}.values())
    if len(profiles) == 1:
        name, description = profiles[0].name, profiles[0].description
    else:
        name = " / ".join(p.name for p in profiles)
        description = " / ".join(p.description or f"profile {p.name}" for p in profiles)
    return threemf_metadata(
        title=title,
        profile_name=name,
        profile_description=description,
        scan_sha256=[r.raw.sha256 for r in results],
    )
