"""The one constraint every design must meet: the top stays min thickness above the bottom.

The profile loader already rejects the only combinations that take more material out than the
shell has (``profile.check_consistent``), and every other feature only adds material, so this
check holds for every loaded profile. It is still enforced here, for profiles built in code and
against bugs: a shortfall beyond ``THICKNESS_SLACK_MM`` is a ``DesignError`` that names where it
happens and which features lowered the top there.
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.displacement import Displacement
from scan2insole.design.domain import Domain
from scan2insole.errors import DesignError

# Rounding in the blends may leave the top this far under the limit (far below print tolerance).
THICKNESS_SLACK_MM = 1e-6
# Cells this far outside the outline still feed the solid's bilinear samples on the outline.
OUTSIDE_REACH_MM = 1.5


def check_thickness(
    domain: Domain,
    top_mm: np.ndarray,
    bottom_mm: np.ndarray,
    *,
    min_thickness_mm: float,
    features: list[Displacement],
) -> None:
    """Raise ``DesignError`` if the top is not ``min_thickness_mm`` above the bottom."""
    used = domain.dist_mm >= -OUTSIDE_REACH_MM
    short = np.where(used, bottom_mm + min_thickness_mm - top_mm, -np.inf)
    worst = np.unravel_index(int(np.argmax(short)), short.shape)
    if short[worst] <= THICKNESS_SLACK_MM:
        return
    lowering = sorted(
        (f for f in features if f.top_mm[worst] - f.bottom_mm[worst] < 0.0),
        key=lambda f: f.top_mm[worst] - f.bottom_mm[worst],
    )
    names = ", ".join(f.name for f in lowering) or "the base shell"
    raise DesignError(
        f"the insole would be {top_mm[worst] - bottom_mm[worst]:.2f} mm thick at "
        f"x={domain.x_mm[worst]:.0f} mm, y={domain.y_mm[worst]:.0f} mm (thinned by {names}); "
        f"the minimum thickness is {min_thickness_mm} mm"
    )
