"""The clinical report: pictures that show the foot, the correction and the proof.

:func:`report_files` turns one ``MakeResult`` into ``<stem>.report.html`` (one self-contained
page, pictures embedded) and the same pictures as ``<stem>.report_<name>.png``;
:func:`pair_report_files` puts a left and a right foot side by side with an asymmetry table.
Everything is drawn headless with matplotlib's Agg canvas (no display, no network), and the same
result gives the same bytes.

Modules: ``canvas`` (deterministic figures), ``rasters`` and ``cuts`` (what is drawn),
``figures_scan``, ``figures_footprint``, ``figures_insole``, ``sections`` (the pictures),
``prescription`` and ``tables`` (the tables), ``html`` (the page), ``foot`` (one foot's
sections), ``pair`` (two feet).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scan2insole.report import html
from scan2insole.report.foot import PICTURES, foot_parts, foot_pictures, summary

if TYPE_CHECKING:  # the pipeline does not import the report; typing only, no cycle at run time
    from scan2insole.pipeline import MakeResult

__all__ = ["pair_report_files", "report_files", "report_pictures"]


def report_files(
    result: MakeResult, *, stem: str, processes: int | None = None
) -> dict[str, bytes]:
    """The report of one foot: file name -> bytes.

    Parameters
    ----------
    result : ``pipeline.MakeResult``; optional parts (landmarks, foot type, ``realized``) are
        shown when present and read ``not available`` when not.
    stem : output file stem (already safe, e.g. ``cli.safe_stem``).
    processes : cores to draw the pictures on (``report.parallel``); None: two where there are.

    Returns
    -------
    dict
        ``<stem>.report.html`` first, then ``<stem>.report_<name>.png`` for each picture.
    """
    pictures = foot_pictures(result, processes=processes)
    side = result.analysis.foot.frame.side
    title = f"scan2insole report: {result.raw.name}, {side} foot, profile {result.profile.name}"
    body = [f"<h1>{html.text(title)}</h1>", summary(result)]
    for heading, figures, tables in foot_parts(result, pictures):
        body.append(f"<h2>{html.text(heading)}</h2>{figures}{tables}")
    files = {f"{stem}.report.html": html.page(title=title, body="".join(body))}
    for name, png in pictures.items():
        files[f"{stem}.report_{name}.png"] = png
    return files


def report_pictures(files: dict[str, bytes], *, stem: str) -> dict[str, bytes]:
    """The pictures (name -> PNG) inside ``report_files(..., stem=stem)``'s output, to hand to
    :func:`pair_report_files` as ``drawn``."""
    return {name: files[f"{stem}.report_{name}.png"] for name in PICTURES}


def pair_report_files(
    left: MakeResult,
    right: MakeResult,
    *,
    stem: str,
    processes: int | None = None,
    drawn: tuple[dict[str, bytes], dict[str, bytes]] | None = None,
) -> dict[str, bytes]:
    """The report of a left and a right foot side by side, with an asymmetry table.

    Parameters
    ----------
    left, right : ``pipeline.MakeResult`` of the two feet of one person.
    stem : output file stem.
    processes : as in :func:`report_files`.
    drawn : each foot's pictures (``report_pictures``) when its own report already drew them:
        the same bytes, not drawn twice.

    Returns
    -------
    dict
        ``<stem>.report.html``, ``<stem>.report_pair.png`` (both feet from above as they stand,
        and their outlines laid over each other) and each foot's pictures as
        ``<stem>.report_<side>_<name>.png``.
    """
    from scan2insole.report.pair import pair_files

    return pair_files(left, right, stem=stem, processes=processes, drawn=drawn)
