"""The frozen records passed between pipeline stages, one module per stage.

Every record is ``frozen, slots, kw_only, eq=False`` (generated ``==`` on arrays raises); arrays are
coerced, checked for shape and finiteness, and made read-only in ``__post_init__``, so a record that
exists is valid. Lengths are millimetres unless a field says otherwise.

- ``frozen.py``: the dataclass options and :func:`frozen_array`, which every record uses.
- ``scan.py``: load and clean (``RawScan``, ``UnitsDecision``, ``ScanQuality``, ``CleanScan``).
- ``frame.py``: frame (``FootFrame``, ``FramedFoot``) and ``Side``.
- ``height_map.py``: ``HeightMap``, shared by analysis and design.
- ``analysis.py``: analyse (``Measurements``, ``Landmarks``, ``FootAnalysis``).
- ``insole.py``: design and solid (``InsoleDesign``, ``InsoleMesh``).
- ``checks.py``: verify (``Check``, ``VerifyReport``).

Import records from here (``from scan2insole.records import RawScan``); the modules are the layout.
"""

from __future__ import annotations

from scan2insole.records.analysis import (
    LANDMARK_FIELDS,
    FootAnalysis,
    FootType,
    Landmarks,
    Measurements,
)
from scan2insole.records.checks import Check, VerifyReport
from scan2insole.records.frame import FootFrame, FramedFoot, Side
from scan2insole.records.frozen import frozen_array
from scan2insole.records.height_map import HeightMap
from scan2insole.records.insole import InsoleDesign, InsoleMesh
from scan2insole.records.scan import CleanScan, RawScan, ScanQuality, Unit, UnitsDecision

__all__ = [
    "LANDMARK_FIELDS",
    "Check",
    "CleanScan",
    "FootAnalysis",
    "FootFrame",
    "FootType",
    "FramedFoot",
    "HeightMap",
    "InsoleDesign",
    "InsoleMesh",
    "Landmarks",
    "Measurements",
    "RawScan",
    "ScanQuality",
    "Side",
    "Unit",
    "UnitsDecision",
    "VerifyReport",
    "frozen_array",
]
