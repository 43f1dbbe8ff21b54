"""Intake: clean and frame a scan, settling the unit when its size alone cannot.

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

from scan2insole.clean import clean_scan
from scan2insole.errors import ScanError
from scan2insole.frame import frame_foot
from scan2insole.records import FramedFoot, RawScan, Unit

# Foot lengths an insole lab sees (E: ANSUR II P5 women 226 mm, P95 men 293 mm; children from
# ~EU 22 upward; the largest adult feet ~330 mm).
PLAUSIBLE_FOOT_LENGTH_MM = (140.0, 335.0)


def _plausible(foot: FramedFoot) -> bool:
    length = float(np.ptp(foot.points_mm[:, 0]))
    return PLAUSIBLE_FOOT_LENGTH_MM[0] <= length <= PLAUSIBLE_FOOT_LENGTH_MM[1]


def clean_and_frame(
    raw: RawScan,
    *,
    units: Unit | None = None,
    side: Literal["auto", "left", "right"] = "auto",
) -> FramedFoot:
    """The cleaned scan in the right-foot frame, with the unit settled (see module docstring)."""
    first_error: ScanError | None = None
    try:
        foot = frame_foot(clean_scan(raw, units=units), side=side)
        if _plausible(foot) or units is not None or not foot.units.alternatives:
            return foot
        candidates = foot.units.alternatives
        first = foot
    except ScanError as err:
        if units is not None:
            raise
        from scan2insole.units import detect_units

        candidates = detect_units(raw.vertices).alternatives
        if not candidates:
            raise
        first, first_error = None, err
    for unit in candidates:
        try:
            other = frame_foot(clean_scan(raw, units=unit), side=side)
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
