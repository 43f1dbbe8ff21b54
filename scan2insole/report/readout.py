"""Reading a result defensively and writing its numbers with their units.

The records grow while the project does (landmarks, foot type, a ``realized`` block): the report
reads every optional part with :func:`optional`, and a part that is missing, None or NaN is
written as :data:`NOT_AVAILABLE` instead of failing.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

NOT_AVAILABLE = "not available"

# unit suffix of a field name -> (unit written after the number, decimals)
_SUFFIX_UNITS: tuple[tuple[str, str, int], ...] = (
    ("_mm3", "mm³", 0),
    ("_mm2", "mm²", 0),
    ("_mm", "mm", 1),
    ("_deg", "°", 1),
    ("_pct", "%", 1),
    ("_frac", "", 2),
    ("_s", "s", 2),
)
# profile metadata unit -> the unit written in the report
_PROFILE_UNITS = {"mm": "mm", "deg": "°", "frac": "", "size": "", "": ""}
_DECIMALS = {"mm": 1, "°": 1, "%": 1, "mm²": 0, "mm³": 0, "s": 2}


def optional(obj: object, name: str) -> Any:
    """``obj.name``, or None when the attribute does not exist (yet)."""
    return getattr(obj, name, None)


def is_number(value: object) -> bool:
    """A real, finite number (bools are not numbers here)."""
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, int | float | np.integer | np.floating):
        return math.isfinite(float(value))
    return False


def unit_of(name: str) -> str:
    """The unit a field name carries in its suffix (``ball_width_mm`` -> ``mm``), or ``""``."""
    for suffix, unit, _ in _SUFFIX_UNITS:
        if name.endswith(suffix):
            return unit
    return ""


def profile_unit(unit: str) -> str:
    """The report's spelling of a profile field's unit (``deg`` -> ``°``)."""
    return _PROFILE_UNITS.get(unit, unit)


def decimals_for(unit: str, *, dimensionless: int = 3) -> int:
    return _DECIMALS.get(unit, dimensionless)


def number(value: object, unit: str = "", *, decimals: int | None = None) -> str:
    """``value`` with its unit (``275.9 mm``, ``4.0°``, ``0.357``), or ``not available``."""
    if not is_number(value):
        return NOT_AVAILABLE
    d = decimals_for(unit) if decimals is None else decimals
    text = f"{float(value):.{d}f}"
    if text.startswith("-") and float(text) == 0.0:
        text = text[1:]  # "-0.0" reads as a sign error
    if not unit:
        return text
    return f"{text}{unit}" if unit == "°" else f"{text} {unit}"


def field_number(name: str, value: object) -> str:
    """A field's value written with the unit its name carries."""
    return number(value, unit_of(name))


def plain(value: object) -> str:
    """A profile value of any type as text (bools as yes/no)."""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if is_number(value):
        return f"{float(value):g}"
    if value is None:
        return NOT_AVAILABLE
    return str(value)


def label_of(name: str) -> str:
    """A field name as words, without its unit suffix (``ball_width_mm`` -> ``ball width``)."""
    for suffix, _, _ in _SUFFIX_UNITS:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name.replace("_", " ")
