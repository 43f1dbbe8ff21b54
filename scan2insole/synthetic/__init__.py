"""Parametric feet with measurements known by construction, and scanner artefacts on demand.

Tests and benchmarks compare what the pipeline measures with :class:`FootTruth`. A foot is
built in the foot frame (origin the pternion on the ground, +x heel to toe along the pternion ->
2nd-toe axis, +z up, z = 0 the support plane, +y medial for a right foot; a left foot is the
mirror image) as two height fields over its footprint outline, so its projection on the ground is
exactly :func:`outline_mm` and its plantar surface exactly :func:`plantar_height_mm`.

Modules: ``params`` (what a foot is), ``outline`` (its footprint), ``surface`` (its height
fields), ``footprint`` (the sole's contact print, and tuning the arch to its type), ``mesh``
(the closed mesh, cap by cap), ``truth`` (its measurements), ``artefacts`` (what a scanner makes
of it). The plantar surface alone is ``mesh.cap_mesh(..., top=False)`` plus the rim ring;
``impressions`` builds what labs also receive from the same feet: foam-box impressions and
plantar-only sheets.
"""

from scan2insole.synthetic.artefacts import Artefacts, SyntheticScan, synthetic_scan
from scan2insole.synthetic.footprint import CONTACT_HEIGHT_MM, plantar_height_mm
from scan2insole.synthetic.framed import in_true_frame
from scan2insole.synthetic.impressions import (
    FoamBox,
    PlantarSheet,
    foam_impression,
    plantar_scan,
)
from scan2insole.synthetic.mesh import foot_mesh
from scan2insole.synthetic.outline import outline_mm
from scan2insole.synthetic.params import (
    ARCH_SHAPES,
    ArchShape,
    ArchType,
    FootParams,
    scaled_foot_params,
)
from scan2insole.synthetic.truth import FootTruth, foot_truth

__all__ = [
    "ARCH_SHAPES",
    "CONTACT_HEIGHT_MM",
    "ArchShape",
    "ArchType",
    "Artefacts",
    "FoamBox",
    "FootParams",
    "FootTruth",
    "PlantarSheet",
    "SyntheticScan",
    "foam_impression",
    "foot_mesh",
    "foot_truth",
    "in_true_frame",
    "outline_mm",
    "plantar_height_mm",
    "plantar_scan",
    "scaled_foot_params",
    "synthetic_scan",
]
