"""What a scan shows: a foot, a foam-box impression, or a plantar-only sheet.

Labs receive three kinds of scan (issue 10):

- ``foot``: a closed-ish body, mesh or cloud, with or without a floor; seen along any direction
  most of it shows two surfaces (sole and dorsum, heel and toes);
- ``foam``: the top of a foam block, a plane around a foot-shaped hole with the imprint hanging
  under it, one surface deep (``foam_plane.py``), maybe with box walls and a table;
- ``plantar``: an open sheet of the sole seen from below: along its thin axis almost every
  part of it shows one surface, and its rim stands higher than its middle (a bowl, open upward).

The decision runs on a thinned copy of the scan in millimetres, before ``clean`` removes a floor:
``clean``'s floor search is built for feet and takes a foam top or a plantar sheet's flat contact
for a floor. Each decision carries a confidence (how far its deciding figures lie from their
thresholds) and a one-line reason; ``--kind`` overrides it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from scipy import ndimage

from scan2insole.errors import ScanError
from scan2insole.foam_plane import (
    CELL_MM,
    LAYER_GAP_MM,
    MAX_DOUBLE_FRAC,
    MIN_DEPTH_MM,
    MIN_ONE_SIDE_FRAC,
    PLANE_BAND_MM,
    Cavity,
    basis_from_up,
    cavity_under,
    dominant_axes,
    is_foam,
    local_normals,
    plane_candidates,
)
from scan2insole.records import frozen_array
from scan2insole.sampling import surface_samples, voxel_thin

Kind = Literal["foot", "foam", "plantar"]
KINDS: tuple[Kind, ...] = ("foot", "foam", "plantar")  # the choices of ``--kind`` (and auto)
KIND_VOXEL_MM = 4.0  # working copy of the decision: fast on 1M points, finer than any feature
# Share of a scan's cells that show two surfaces along its thinnest direction (E: closed
# synthetic feet 0.75-0.9 in every direction, the real dupontgu and FIND feet 0.81-0.87; plantar
# sheets and foam boxes 0-0.16).
SHEET_MAX_DOUBLE_FRAC = 0.35
# Cells of the double-surface count are at least this many sampling spacings wide (E: 2 keeps
# a 3000-point foot cloud, ~6 mm apart, above the sheet threshold).
SPARSE_CELLS_PER_SPACING = 2.0
MIN_SURVEY_POINTS = 50  # thinned points; fewer and the foot path rejects the scan
_DOUBLE_SCALE = 0.2  # how far from the threshold a decision is certain (confidence 1)
_DEPTH_SCALE_MM = 6.0
_SIDE_SCALE = 0.1


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class KindDecision:
    """Which kind of scan it is, how sure, why; and the geometry the decision found."""

    kind: Kind
    confidence_frac: float
    """0.5: on a threshold; 1.0: every deciding figure at least a scale away from its own."""
    reason: str
    detected: bool
    """False when the user forced the kind with ``--kind``."""
    cavity: Cavity | None = None
    """The foam's top plane and hole (foam only)."""
    up: np.ndarray | None = None
    """(3,) unit vector, scan frame: out of the sole into the foot (the sheet's open side)."""

    def __post_init__(self) -> None:
        if self.up is not None:
            up = frozen_array(self.up, dtype=np.float64, shape=(3,), name="up")
            object.__setattr__(self, "up", up)


def _certainty(margin: float, scale: float) -> float:
    return 0.5 + 0.5 * float(np.clip(margin / scale, 0.0, 1.0))


def _thin(
    points_mm: np.ndarray, faces: np.ndarray, finer: tuple[np.ndarray, np.ndarray] | None
) -> np.ndarray:
    if finer is not None:  # a finer thinned copy, coarsened: the same means, far fewer points
        thin, counts = finer
        return voxel_thin(thin, voxel_mm=KIND_VOXEL_MM, weights=counts.astype(np.float64))
    samples = surface_samples(points_mm, faces, spacing_mm=KIND_VOXEL_MM)
    return voxel_thin(samples, voxel_mm=KIND_VOXEL_MM)


def double_frac(
    thin: np.ndarray, direction: np.ndarray, of_interest: np.ndarray, *, cell_mm: float = CELL_MM
) -> float:
    """Share of the grid cells across ``direction`` holding a point of interest where the scan
    shows two or more surfaces (points of one cell more than ``LAYER_GAP_MM`` apart along it)."""
    basis = basis_from_up(direction)
    ij = np.floor(thin @ basis[:2].T / cell_mm).astype(np.int64)
    ij -= ij.min(axis=0)
    key = ij[:, 0] * (int(ij[:, 1].max()) + 1) + ij[:, 1]
    h = thin @ direction
    order = np.lexsort((h, key))
    ks, hs = key[order], h[order]
    first = np.r_[True, ks[1:] != ks[:-1]]
    gap = np.r_[False, (~first[1:]) & (np.diff(hs) > LAYER_GAP_MM)]
    starts = np.flatnonzero(first)
    doubled = np.add.reduceat(gap.astype(np.int64), starts) > 0
    interesting = np.add.reduceat(of_interest[order].astype(np.int64), starts) > 0
    if not interesting.any():
        return 0.0
    return float(np.mean(doubled[interesting]))


def _open_side(thin: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """``axis`` or its opposite: the one along which the sheet's rim stands above its middle."""
    basis = basis_from_up(axis)
    ij = np.floor(thin @ basis[:2].T / CELL_MM).astype(np.int64)
    ij -= ij.min(axis=0)
    shape = tuple(ij.max(axis=0) + 1)
    h = thin @ axis
    total = np.zeros(shape)
    count = np.zeros(shape)
    np.add.at(total, (ij[:, 0], ij[:, 1]), h)
    np.add.at(count, (ij[:, 0], ij[:, 1]), 1.0)
    occ = count > 0
    filled = ndimage.binary_fill_holes(ndimage.binary_closing(occ, iterations=1))
    inner = ndimage.binary_erosion(filled, iterations=3)
    rim = occ & ~ndimage.binary_erosion(filled, iterations=1)
    middle = occ & inner
    if not rim.any() or not middle.any():
        return axis
    mean = np.where(occ, total / np.maximum(count, 1.0), 0.0)
    return axis if mean[rim].mean() >= mean[middle].mean() else -axis


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class _Survey:
    thin: np.ndarray
    cavities: list[Cavity]
    directions: list[np.ndarray]
    double_fracs: list[float]


def _survey(thin: np.ndarray) -> _Survey:
    """Planes with a cavity under them, and how often the scan is seen twice along its main
    directions (points on the planes found only count where something else lies too)."""
    normals, flat, spacing = local_normals(thin)
    # a sparse cloud leaves cells with one point: the cells grow with its spacing
    cell = max(CELL_MM, SPARSE_CELLS_PER_SPACING * spacing)
    axes = dominant_axes(normals, flat)
    planes = [p for axis in axes for p in plane_candidates(thin, normals, flat, axis)]
    cavities = [cavity_under(thin, normals, flat, n, off) for n, off in planes]
    on_plane = np.zeros(len(thin), dtype=bool)
    for n, off in planes:
        on_plane |= np.abs(thin @ n - off) < PLANE_BAND_MM
    of_interest = ~on_plane if (~on_plane).any() else np.ones(len(thin), dtype=bool)
    centred = thin - thin.mean(axis=0)
    directions = axes[:1] + list(np.linalg.eigh(centred.T @ centred)[1].T)
    return _Survey(
        thin=thin,
        cavities=[c for c in cavities if c is not None],
        directions=directions,
        double_fracs=[double_frac(thin, d, of_interest, cell_mm=cell) for d in directions],
    )


def _foam(cav: Cavity) -> KindDecision:
    confidence = min(
        _certainty(cav.depth_mm - MIN_DEPTH_MM, _DEPTH_SCALE_MM),
        _certainty(MAX_DOUBLE_FRAC - cav.double_frac, _DOUBLE_SCALE),
        _certainty(cav.one_side_frac - MIN_ONE_SIDE_FRAC, _SIDE_SCALE),
    )
    reason = (
        f"a plane around a {cav.hole_mm2 / 100:.0f} cm² hole with a cavity {cav.depth_mm:.1f} mm "
        f"deep under it ({100 * cav.one_side_frac:.0f} % on one side, "
        f"{100 * cav.double_frac:.0f} % seen twice): a foam impression"
    )
    return KindDecision(
        kind="foam", confidence_frac=confidence, reason=reason, detected=True, cavity=cav, up=cav.up
    )


def _sheet_or_foot(survey: _Survey) -> KindDecision:
    k = int(np.argmin(survey.double_fracs))
    frac = survey.double_fracs[k]
    certainty = _certainty(abs(frac - SHEET_MAX_DOUBLE_FRAC), _DOUBLE_SCALE)
    if frac <= SHEET_MAX_DOUBLE_FRAC:
        reason = (
            f"no plane with a cavity; an open sheet: {100 * frac:.0f} % of it seen twice along "
            f"its thin axis (a closed foot: > {100 * SHEET_MAX_DOUBLE_FRAC:.0f} %): plantar-only"
        )
        return KindDecision(
            kind="plantar",
            confidence_frac=certainty,
            reason=reason,
            detected=True,
            up=_open_side(survey.thin, survey.directions[k]),
        )
    reason = (
        f"no plane with a cavity; a closed body: at least {100 * frac:.0f} % of it seen twice "
        f"in every direction (a sheet: <= {100 * SHEET_MAX_DOUBLE_FRAC:.0f} %): a foot"
    )
    return KindDecision(kind="foot", confidence_frac=certainty, reason=reason, detected=True)


def detect_kind(
    points_mm: np.ndarray,
    faces: np.ndarray,
    *,
    forced: Kind | None = None,
    finer: tuple[np.ndarray, np.ndarray] | None = None,
) -> KindDecision:
    """Decide whether a scan is a foot, a foam-box impression or a plantar-only sheet.

    Parameters
    ----------
    points_mm : (n, 3) float64, mm, scan frame (units already decided), finite.
    faces : (m, 3) int64; m == 0 for a point cloud.
    forced : the kind the user gave (``--kind``): the decision takes it, with the geometry it
        needs (the best plane with a cavity for ``foam``, the sheet's open side for
        ``plantar``), and its reason says what the scan looked like.
    finer : (thin (k, 3) mm, counts (k,)): a thinned copy of the scan on a voxel dividing
        KIND_VOXEL_MM (``clean.working_copy``), coarsened instead of thinning the scan again.

    Raises
    ------
    ScanError
        ``forced="foam"`` on a scan with no plane around a hole with something under it.
    """
    thin = _thin(points_mm, faces, finer)
    if len(thin) < MIN_SURVEY_POINTS:
        # nothing to survey: the foot path says what is wrong with such a scan
        return KindDecision(
            kind="foot" if forced is None else forced,
            confidence_frac=0.5 if forced is None else 1.0,
            reason="too few points to tell the kind of scan",
            detected=forced is None,
        )
    survey = _survey(thin)
    foams = [c for c in survey.cavities if is_foam(c)]
    # a table's "hole" holds the whole box: the foam's top is the plane with the smallest
    auto = _foam(min(foams, key=lambda c: c.hole_mm2)) if foams else _sheet_or_foot(survey)
    if forced is None:
        return auto
    looks = f"forced by --kind {forced}; the scan looks like {auto.kind} ({auto.reason})"
    if forced == auto.kind:
        return replace(auto, detected=False, confidence_frac=1.0, reason=looks)
    if forced == "foam":
        usable = [c for c in survey.cavities if c.one_side_frac >= MIN_ONE_SIDE_FRAC]
        if not usable:
            raise ScanError(
                "--kind foam: expected a plane around a hole with the imprint under it, found "
                f"none ({auto.reason})"
            )
        cav = max(usable, key=lambda c: c.hole_mm2 * c.coverage_frac)
        return replace(_foam(cav), detected=False, confidence_frac=1.0, reason=looks)
    if forced == "plantar":
        k = int(np.argmin(survey.double_fracs))
        up = _open_side(survey.thin, survey.directions[k])
        return KindDecision(
            kind="plantar", confidence_frac=1.0, reason=looks, detected=False, up=up
        )
    return KindDecision(kind="foot", confidence_frac=1.0, reason=looks, detected=False)
