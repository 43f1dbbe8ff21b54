"""Intake: what kind of scan it is, cleaned and framed, with the unit settled when its size
alone cannot.

The kind (``kind.py``) picks the path: a foot goes through ``clean`` and ``frame``; a foam-box
impression or a plantar-only sheet through ``impression.py``, which hands back the same
``FramedFoot`` holding the plantar surface only. ``--kind`` forces the kind.

A scan's longest extent sometimes fits two units: 14 units is a 356 mm foot-and-leg in inches or a
140 mm foot in centimetres. ``units.py`` picks the likelier; if the foot that comes out of the
frame under that unit is not an adult or child foot (``PLAUSIBLE_FOOT_LENGTH_MM``), the other
candidates are tried in turn and the first that gives a plausible foot wins. The report's unit
reason says when this happened.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import numpy as np

from scan2insole.clean import clean_scan, working_copy
from scan2insole.errors import ScanError
from scan2insole.frame import frame_foot
from scan2insole.impression import frame_impression
from scan2insole.kind import Kind, detect_kind
from scan2insole.records import FramedFoot, RawScan, Unit
from scan2insole.units import detect_units

# Foot lengths an insole lab sees (E: ANSUR II P5 women 226 mm, P95 men 293 mm; children from
# ~EU 22 upward; the largest adult feet ~330 mm).
PLAUSIBLE_FOOT_LENGTH_MM = (140.0, 335.0)


def _plausible(foot: FramedFoot) -> bool:
    length = float(np.ptp(foot.points_mm[:, 0]))
    return PLAUSIBLE_FOOT_LENGTH_MM[0] <= length <= PLAUSIBLE_FOOT_LENGTH_MM[1]


def _clean_and_frame_once(
    raw: RawScan,
    *,
    units: Unit | None,
    side: Literal["auto", "left", "right"],
    kind: Literal["auto"] | Kind,
) -> FramedFoot:
    """One attempt under one unit: the kind, then the path for it."""
    if kind == "foot":  # forced: the foot path exactly, nothing decided
        foot = frame_foot(clean_scan(raw, units=units), side=side)
        return replace(
            foot, kind="foot", kind_confidence_frac=1.0, kind_reason="forced by --kind foot"
        )
    work = working_copy(raw, units=units)
    decision = detect_kind(
        work.points_mm,
        raw.faces,
        forced=None if kind == "auto" else kind,
        finer=(work.thin_mm, work.counts),
    )
    if decision.kind == "foot":
        foot = frame_foot(clean_scan(raw, units=units, working=work), side=side)
        return replace(
            foot,
            kind="foot",
            kind_confidence_frac=decision.confidence_frac,
            kind_reason=decision.reason,
        )
    return frame_impression(raw, work, decision, side=side)


def clean_and_frame(
    raw: RawScan,
    *,
    units: Unit | None = None,
    side: Literal["auto", "left", "right"] = "auto",
    kind: Literal["auto"] | Kind = "auto",
) -> FramedFoot:
    """The scan's kind decided, cleaned and in the right-foot frame, with the unit settled (see
    the module docstring). ``kind`` forces the kind; ``auto`` detects it."""
    first_error: ScanError | None = None
    try:
        foot = _clean_and_frame_once(raw, units=units, side=side, kind=kind)
        if _plausible(foot) or units is not None or not foot.units.alternatives:
            return foot
        candidates = foot.units.alternatives
        first = foot
    except ScanError as err:
        if units is not None:
            raise
        candidates = detect_units(raw.vertices).alternatives
        if not candidates:
            raise
        first, first_error = None, err
    for unit in candidates:
        try:
            other = _clean_and_frame_once(raw, units=unit, side=side, kind=kind)
        except ScanError:
            continue
        if _plausible(other):
            was = first.units.unit if first is not None else "the size rule's first choice"
            why = (
                f"{other.units.reason.replace('forced by --units', 'read as')}: as {was} "
                f"the scan gives no plausible foot"
            )
            return replace(other, units=replace(other.units, detected=True, reason=why))
    if first_error is not None:
        raise first_error
    assert first is not None
    return first
