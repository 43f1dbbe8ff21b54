"""What the exported insole really has: every profile parameter measured back off its STL bytes.

Nothing here reads the design's height fields. The insole's STL bytes are parsed again and its top
and bottom surfaces sampled on a ``MEASURE_CELL_MM`` grid (``mesh.py``, over
``mesh_heights.py``); where a parameter is defined as a difference (a post's tilt, a pad's
height), the same design with that one feature switched off is built, exported and parsed the
same way, and the two meshes are compared (``references.py``; CLINICAL §3: "compare against the
un-modified shell generated from the same scan"). Left insoles are mirrored back into the
right-foot frame first. ``measure.py`` runs the groups in the order the report lists them; each
group's module defines its parameters, all in that frame:

- ``shell.py``: ``length_mm``, ``min_thickness_mm``, ``top_cover_mm``, ``base_thickness_mm``;
- ``posting.py``: ``rearfoot_post_deg``, ``forefoot_post_deg``, ``medial_skive_mm``,
  ``lateral_skive_mm``;
- ``rim.py``: ``heel_cup_depth_mm``, ``medial_flange_mm``, ``lateral_flange_mm``;
- ``arch.py``: ``arch_extra_height_mm``, ``arch_fill_mm``, ``arch_apex_x_mm``;
- ``pads.py``: the metatarsal pad's and bar's, the cuboid pad's heights, places and sizes;
- ``raises.py``: Morton's extensions, heel lift, heel-spur relief, first-ray cut-out.

``values.py`` holds the records and the report's block, ``tolerances.py`` the acceptance figures,
``grid_measures.py`` the figures read off a change on the grid, ``context.py`` what every group
reads.
"""

from scan2insole.realized.context import FOREFOOT_CLEAR_MM, HEEL_CORE_START_FRAC, SEAT_CLEAR_MM
from scan2insole.realized.measure import measure_realized
from scan2insole.realized.mesh import MAX_STL_TRIANGLES, MEASURE_CELL_MM
from scan2insole.realized.references import exported_stl
from scan2insole.realized.shell import CONTACT_HEIGHT_MM
from scan2insole.realized.tolerances import (
    ANGLE_TOL_DEG,
    ARCH_APEX_TOL_MM,
    DIAMETER_TOL_MM,
    HEIGHT_TOL_MM,
    LENGTH_TOL_MM,
    PAD_APEX_TOL_MM,
    POSITION_TOL_MM,
    UNMOVED_MM,
)
from scan2insole.realized.values import Realized, RealizedValue, realized_dict

__all__ = [
    "ANGLE_TOL_DEG",
    "ARCH_APEX_TOL_MM",
    "CONTACT_HEIGHT_MM",
    "DIAMETER_TOL_MM",
    "FOREFOOT_CLEAR_MM",
    "HEEL_CORE_START_FRAC",
    "HEIGHT_TOL_MM",
    "LENGTH_TOL_MM",
    "MAX_STL_TRIANGLES",
    "MEASURE_CELL_MM",
    "PAD_APEX_TOL_MM",
    "POSITION_TOL_MM",
    "SEAT_CLEAR_MM",
    "UNMOVED_MM",
    "Realized",
    "RealizedValue",
    "exported_stl",
    "measure_realized",
    "realized_dict",
]
