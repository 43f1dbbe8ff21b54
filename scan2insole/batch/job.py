"""What a batch worker is given (:class:`Job`) and what it gives back (:class:`JobResult`).

Both cross a process boundary, so they hold plain values only (strings, numbers, tuples, the
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
class Job:
    """One scan to make."""

    index: int
    """Position in the batch (sorted by input path); results are matched back by it."""
    rel: str
    """Input path relative to the input folder; the worker runs in that folder, so messages name
    the scan by this path and never by an absolute one."""
    profile: Profile
    side: Literal["auto", "left", "right"]
    units: Literal["auto", "mm", "cm", "m", "in"]
    out_dir: str
    """The output folder (absolute: workers do not share the parent's working folder)."""
    stl: str
    """Insole STL path relative to ``out_dir``."""
    report: str | None
    """Report JSON path relative to ``out_dir``; None with ``--no-report``."""


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
    """``(kind, path relative to the output folder, sha256 of the bytes)`` per file written."""
    measurements: tuple[tuple[str, float], ...] = ()
    """Foot measurements, mm, keyed by names that carry the unit."""
    figures: tuple[tuple[str, float], ...] = field(default=())
    """The insole's figures measured off the mesh by ``verify`` (mm, deg, mm3, mm2)."""
    realized_post: tuple[tuple[str, float | None, float | None], ...] = ()
    """``(name, asked, realized)`` of each post angle (deg) measured back off the insole."""
    printable: bool | None = None
    failed_checks: tuple[str, ...] = ()
