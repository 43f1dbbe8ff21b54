"""The measured-back values: one per parameter, asked against realized, and the report's block."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scan2insole.realized.tolerances import UNMOVED_MM


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class RealizedValue:
    """One parameter: what the profile asked, what the exported mesh has."""

    name: str
    """Parameter name with its unit suffix."""
    asked: float | None
    """None when the profile does not set it (the realized value is then for information)."""
    realized: float | None
    """None when the mesh has no region to measure it on."""
    tolerance: float
    at_least: bool = False
    """True for a lower bound (the minimum thickness): within when realized >= asked."""

    @property
    def error(self) -> float | None:
        if self.asked is None or self.realized is None:
            return None
        return self.realized - self.asked

    @property
    def within(self) -> bool | None:
        if self.error is None:
            return None
        if self.at_least:
            return self.error >= -UNMOVED_MM
        return abs(self.error) <= self.tolerance


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Realized:
    """Every measured parameter of one exported insole."""

    values: tuple[RealizedValue, ...]

    @property
    def all_within(self) -> bool:
        return all(v.within is not False for v in self.values)


def realized_dict(realized: Realized) -> dict[str, Any]:
    """The report's ``realized`` block: one entry per parameter, in measurement order."""
    return {
        v.name: {
            "asked": v.asked,
            "realized": v.realized,
            "error": v.error,
            "tolerance": v.tolerance,
            "bound": "at_least" if v.at_least else "plus_minus",
            "within": v.within,
        }
        for v in realized.values
    }


def value(name: str, asked: float | None, realized: float | None, tol: float) -> RealizedValue:
    """A ``plus_minus`` value (the common case)."""
    return RealizedValue(name=name, asked=asked, realized=realized, tolerance=tol)
