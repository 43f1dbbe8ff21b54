"""What a batch worker is given (:class:`Job`) and what it gives back (:class:`JobResult`).

A job is one scan, or the two scans of a pair, made in one worker so that the pair's files can be
made from both results without sending a result across processes. The worker sends a
:class:`JobReply` as each scan's files are written, the last one marked ``final``.

All three cross a process boundary, so they hold plain values only (strings, numbers, tuples, the
frozen :class:`~scan2insole.profile.Profile`), never arrays or open files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from scan2insole.profile import Profile

Status = Literal["pending", "done", "failed", "timeout", "crashed"]
"""``done``: outputs written. ``failed``: the scan or its settings were rejected (one line says
why). ``timeout``: past the per-scan time limit, its worker killed. ``crashed``: its worker died
(a bug, a signal, the out-of-memory killer). ``pending``: not finished yet."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ScanTask:
    """One scan of a job."""

    index: int
    """Position in the batch (sorted by input path); results are matched back by it."""
    rel: str
    """Input path relative to the input folder; the worker runs in that folder, so messages name
    the scan by this path and never by an absolute one."""
    profile: Profile
    side: Literal["auto", "left", "right"]
    units: Literal["auto", "mm", "cm", "m", "in"]
    stem: str
    """Output stem relative to the output folder (``folder/stem``); the files are named by
    ``output_files.scan_files``."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Job:
    """One scan, or the two scans of a pair: what one worker makes in one go."""

    scans: tuple[ScanTask, ...]
    """One scan, or the two of a pair (sorted by input path)."""
    pair_stem: str | None
    """``folder/person`` of the pair's files (``person.pair.3mf``, ...) relative to the output
    folder; None for a single scan."""
    out_dir: str
    """The output folder (absolute: workers do not share the parent's working folder)."""
    report: bool
    """Write the HTML clinical report and its pictures (the JSON report is always written)."""
    processes: int | None
    """Cores to draw a report's pictures on: 1 when several workers already keep every core
    busy, None to let the report choose."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class JobResult:
    """What became of one job."""

    index: int
    status: Status
    error: str = ""
    """One line: why the scan failed; empty when done."""
    seconds: float = 0.0
    """Wall time of the job in its worker (for a timeout: the time until it was killed)."""
    input_sha256: str = ""
    format: str = ""
    side: str = ""
    """The side the insole was made for (detected from the anatomy unless forced)."""
    side_detected: bool = False
    side_confidence_frac: float | None = None
    outputs: tuple[tuple[str, str, str], ...] = ()
    """``(kind, path relative to the output folder, sha256 of the bytes)`` per file written:
    the scan's own (``stl``, ``3mf``, ``report_json``, ``report_html``, ``report_png``), then, for
    one foot of a pair, the pair's (``pair_3mf``, ``pair_report_html``, ``pair_report_png``)."""
    measurements: tuple[tuple[str, float], ...] = ()
    """Foot measurements, mm, keyed by names that carry the unit."""
    figures: tuple[tuple[str, float], ...] = field(default=())
    """The insole's figures measured off the mesh by ``verify`` (mm, deg, mm3, mm2)."""
    realized_post: tuple[tuple[str, float | None, float | None], ...] = ()
    """``(name, asked, realized)`` of each post angle (deg) measured back off the insole."""
    printable: bool | None = None
    failed_checks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class JobReply:
    """A worker's message: results of scans of its job, and whether the job is over."""

    results: tuple[JobResult, ...]
    """A scan may be reported twice: the first foot of a pair when its own files are written,
    again with the pair's files once both feet are made (the later result replaces it)."""
    final: bool
