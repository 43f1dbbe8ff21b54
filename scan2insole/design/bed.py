"""The underside that lies on the print bed: most of it must, for the insole to print flat.

Only an extrinsic rearfoot post lifts the bottom (its wedge face rises off the bed at the post
angle, see ``posting.py``); the rest of the underside stays on z = 0, the face the insole is
printed on. ``verify`` demands that half the underside's area rests on the bed; a post so long
that it lifts more than ``MAX_LIFTED_FRAC`` of it cannot be printed flat and is a
``DesignError`` (shorten it or make it intrinsic).
"""

from __future__ import annotations

import numpy as np

from scan2insole.design.domain import Domain
from scan2insole.errors import DesignError

# Below verify's 0.5 by a margin for the difference between grid cells and mesh faces (E).
MAX_LIFTED_FRAC = 0.45
ON_BED_MM = 0.01


def check_bed_contact(domain: Domain, bottom_mm: np.ndarray, *, post_length_mm: float) -> None:
    """Raise ``DesignError`` if too much of the underside is lifted off the bed."""
    lifted = float(np.mean(bottom_mm[domain.inside] > ON_BED_MM))
    if lifted > MAX_LIFTED_FRAC:
        raise DesignError(
            f"an extrinsic rearfoot post {post_length_mm:.0f} mm long lifts {100 * lifted:.0f} % "
            f"of the underside off the print bed; at most {100 * MAX_LIFTED_FRAC:.0f} % can be: "
            "shorten rearfoot_post.length_mm or make the post intrinsic"
        )
