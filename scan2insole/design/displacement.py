"""A feature's effect: how far it moves the top and the bottom height fields, cell by cell."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Displacement:
    """One feature's displacement of the insole's two height fields (mm, + is up)."""

    name: str
    """The profile section the feature comes from."""
    top_mm: np.ndarray
    """(ny, nx) float64 added to the top field."""
    bottom_mm: np.ndarray
    """(ny, nx) float64 added to the bottom field."""

    @property
    def active(self) -> bool:
        return bool(np.any(self.top_mm) or np.any(self.bottom_mm))


def zero(name: str, shape: tuple[int, ...]) -> Displacement:
    """The displacement of a feature that is switched off."""
    return Displacement(name=name, top_mm=np.zeros(shape), bottom_mm=np.zeros(shape))


def top_only(name: str, top_mm: np.ndarray) -> Displacement:
    return Displacement(name=name, top_mm=top_mm, bottom_mm=np.zeros_like(top_mm))
