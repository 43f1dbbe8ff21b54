"""The base shell: total contact with the foot, before any correction.

The top is the foot's plantar surface (clipped at the support plane) lifted by
``base_thickness_mm``: the sole rests on that much material where it touches the ground and the
arch is filled up to the foot. The bottom is flat on z = 0. Every feature is a displacement of
these two fields; the top cover is added last, over everything.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.domain import Domain
from scan2insole.profile import ShellParams


def shell_top(domain: Domain, shell: ShellParams) -> np.ndarray:
    """(ny, nx) top of the base shell, mm."""
    return domain.plantar_mm + shell.base_thickness_mm


def shell_bottom(domain: Domain) -> np.ndarray:
    """(ny, nx) bottom of the base shell: the support plane."""
    return np.zeros_like(domain.plantar_mm)
