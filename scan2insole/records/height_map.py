"""The height-field record shared by analysis (the plantar surface) and design (insole faces)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scan2insole.records.frozen import RECORD, frozen_array, set_field


@dataclass(**RECORD)
class HeightMap:
    """A height field z(x, y) sampled on a regular grid in the design frame."""

    origin_mm: np.ndarray
    """(2,) float64: x, y of the centre of cell [0, 0]."""
    cell_mm: float
    z_mm: np.ndarray
    """(ny, nx) float64; row i is y = origin[1] + i * cell, column j is x = origin[0] + j * cell.
    NaN where there is no data."""

    def __post_init__(self) -> None:
        set_field(
            self,
            "origin_mm",
            frozen_array(self.origin_mm, dtype=np.float64, shape=(2,), name="origin_mm"),
        )
        set_field(
            self,
            "z_mm",
            frozen_array(
                self.z_mm, dtype=np.float64, shape=(None, None), name="z_mm", finite=False
            ),
        )

    @property
    def x_mm(self) -> np.ndarray:
        return self.origin_mm[0] + self.cell_mm * np.arange(self.z_mm.shape[1])

    @property
    def y_mm(self) -> np.ndarray:
        return self.origin_mm[1] + self.cell_mm * np.arange(self.z_mm.shape[0])
