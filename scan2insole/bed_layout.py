"""Parts on a print bed: the smallest turn that fits one part, and a layout for a left+right pair.

An insole (~280 mm) is longer than many beds (250 x 210 mm) but narrow at both ends, so turned
about z it often fits across the diagonal. Turns are searched in whole degrees in the order
0, +1, -1, +2, -2, ... +90, -90 (footprint boxes repeat every 180 deg), so the result is the
smallest turn and is deterministic. A pair is laid out as one rigid plate: the second part beside
the first, either parallel or head to tail, at every whole-millimetre shift along the first's
length, pushed sideways until a ``PART_GAP_MM`` gap separates them; then the plate is turned like a
single part. A plate goes on straight, or at the smallest turn, when that leaves
``ROOMY_MARGIN_MM`` all round; otherwise at the turn with the most room, which, when nothing
fits, is the layout needing the smallest bed of the same shape (its size is reported). A pair
keeps the arrangement and shift with the most room.

Footprints are taken per 1 mm column of the part's own x (an insole's outline crosses each line
across it twice, so each column is one interval), from surface samples every
``FOOTPRINT_SAMPLE_MM``; each column's interval is widened to its neighbours' so sampling can only
make the gap larger than it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scan2insole.sampling import surface_samples

PART_GAP_MM = 5.0
"""Clear space between two parts on one plate: PrusaSlicer's arrange keeps ~6 mm between objects;
5 mm keeps nozzle travel and skirt clear of the neighbour while saving bed room."""
FOOTPRINT_SAMPLE_MM = 0.5
"""Surface sample spacing for footprints: half the 1 mm column width, so every column is hit."""
COLUMN_MM = 1.0
"""Width of a footprint column, and the step of the shifts tried between two parts."""
MAX_TURN_DEG = 90
ROOMY_MARGIN_MM = 10.0
"""Clear bed kept round a part placed straight or at a small turn: room for PrusaSlicer's default
skirt (6 mm out) and a brim. A part that needs a larger turn is turned to have the most room."""
FIT_TOL_MM = 1e-6
"""Float slack when comparing an extent to the bed (a part exactly as long as the bed fits)."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Layout:
    """Where each part goes on the bed."""

    bed_from_part: tuple[np.ndarray, ...]
    """One (4, 4) float64 rigid transform per part: its own frame (mm) to bed coordinates (mm,
    origin at a bed corner, z unchanged), in the parts' order."""
    turn_deg: float
    """Turn of the whole plate about z, whole degrees in [-90, 90]."""
    fits: bool
    """True when every part lies within the bed."""
    extent_mm: tuple[float, float]
    """x and y size of the laid-out plate (the smallest bed that holds it as placed)."""
    arrangement: str
    """``single``, ``parallel`` or ``head_to_tail``."""


def _turns() -> list[int]:
    out = [0]
    for d in range(1, MAX_TURN_DEG + 1):
        out += [d, -d]
    return out


TURNS_DEG = np.array(_turns(), dtype=np.float64)
"""Turns tried, smallest first."""


def _rot2(deg: float | np.ndarray) -> np.ndarray:
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)


def hull_xy(xy_mm: np.ndarray) -> np.ndarray:
    """Convex hull corners (k, 2) of a footprint: boxes of turned parts only depend on these."""
    from scipy.spatial import ConvexHull

    if len(xy_mm) < 3:
        return np.asarray(xy_mm, dtype=np.float64)
    return xy_mm[ConvexHull(xy_mm).vertices]


def _extents(hull: np.ndarray) -> np.ndarray:
    """(t, 2) x and y extents of ``hull`` turned by each of ``TURNS_DEG``."""
    turned = hull @ _AXES  # (k, 2t): x' then y' of every turn, one matrix product
    ext = turned.max(axis=0) - turned.min(axis=0)
    return ext.reshape(2, -1).T


# columns [x' of every turn | y' of every turn]: x' = c x - s y, y' = s x + c y
_AXES = np.hstack(
    [
        np.stack([np.cos(np.radians(TURNS_DEG)), -np.sin(np.radians(TURNS_DEG))]),
        np.stack([np.sin(np.radians(TURNS_DEG)), np.cos(np.radians(TURNS_DEG))]),
    ]
)


def fit_turn_deg(xy_mm: np.ndarray, bed_mm: tuple[float, float]) -> float | None:
    """Smallest turn about z (whole degrees, -90..90) that fits the footprint on the bed, or None.

    Parameters
    ----------
    xy_mm : (n, 2) float64, mm: the part's vertices projected on the bed.
    bed_mm : bed size along x and y.
    """
    ext = _extents(hull_xy(xy_mm))
    ok = (ext[:, 0] <= bed_mm[0] + FIT_TOL_MM) & (ext[:, 1] <= bed_mm[1] + FIT_TOL_MM)
    return float(TURNS_DEG[np.argmax(ok)]) if ok.any() else None


def _columns(vertices_mm: np.ndarray, faces: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """Footprint per 1 mm column: first column index and (c,) lowest / highest y (NaN: empty)."""
    pts = surface_samples(vertices_mm, faces, spacing_mm=FOOTPRINT_SAMPLE_MM)[:, :2]
    col = np.floor(pts[:, 0] / COLUMN_MM).astype(np.int64)
    c0 = int(col.min())
    n = int(col.max()) - c0 + 1
    lo = np.full(n, np.inf)
    hi = np.full(n, -np.inf)
    np.minimum.at(lo, col - c0, pts[:, 1])
    np.maximum.at(hi, col - c0, pts[:, 1])
    # widen to the neighbours: a column's true interval lies within its samples' and theirs
    lo_w = np.minimum(lo, np.minimum(np.r_[np.inf, lo[:-1]], np.r_[lo[1:], np.inf]))
    hi_w = np.maximum(hi, np.maximum(np.r_[-np.inf, hi[:-1]], np.r_[hi[1:], -np.inf]))
    return c0, lo_w, hi_w


def _translation(xy: np.ndarray) -> np.ndarray:
    m = np.eye(4)
    m[:2, 3] = xy
    return m


def _rotation(deg: float) -> np.ndarray:
    m = np.eye(4)
    m[:2, :2] = _rot2(deg)
    return m


def _best_turn(hull: np.ndarray, bed_mm: tuple[float, float]) -> tuple[int, float, bool]:
    """Index into ``TURNS_DEG`` of the chosen turn, its bed scale, and whether it fits.

    The smallest turn that leaves ``ROOMY_MARGIN_MM`` all round; else the turn with the most room
    (the smallest bed scale), which is also the one needing the smallest bed when none fits.
    """
    ext = _extents(hull)
    scale = np.maximum(ext[:, 0] / bed_mm[0], ext[:, 1] / bed_mm[1])
    roomy = (ext[:, 0] <= bed_mm[0] - 2 * ROOMY_MARGIN_MM) & (
        ext[:, 1] <= bed_mm[1] - 2 * ROOMY_MARGIN_MM
    )
    i = int(np.argmax(roomy)) if roomy.any() else int(np.argmin(scale))
    return i, float(scale[i]), bool(scale[i] <= 1.0 + FIT_TOL_MM / max(bed_mm))


def _plate(
    parts_xy: Sequence[np.ndarray],
    part_from_own: Sequence[np.ndarray],
    bed_mm: tuple[float, float],
    arrangement: str,
) -> tuple[Layout, float]:
    """Turn and centre a plate of parts already placed relative to each other."""
    # the box of turned points is the box of their hulls: the hulls' corners are enough
    hull = np.vstack(
        [pts @ m[:2, :2].T + m[:2, 3] for pts, m in zip(parts_xy, part_from_own, strict=True)]
    )
    i, scale, fits = _best_turn(hull, bed_mm)
    turn = float(TURNS_DEG[i])
    turned = hull @ _rot2(turn).T
    lo, hi = turned.min(axis=0), turned.max(axis=0)
    centre = 0.5 * np.asarray(bed_mm, dtype=np.float64) - 0.5 * (lo + hi)
    bed_from_plate = _translation(centre) @ _rotation(turn)
    ext = hi - lo
    return (
        Layout(
            bed_from_part=tuple(bed_from_plate @ m for m in part_from_own),
            turn_deg=turn,
            fits=fits,
            extent_mm=(float(ext[0]), float(ext[1])),
            arrangement=arrangement,
        ),
        scale,
    )


def lay_out(
    parts: Sequence[tuple[np.ndarray, np.ndarray]],
    bed_mm: tuple[float, float],
    *,
    gap_mm: float = PART_GAP_MM,
) -> Layout:
    """Place one part, or a pair side by side, on a bed.

    Parameters
    ----------
    parts : one or two ``(vertices_mm (n, 3) float64, faces (m, 3) int64)`` meshes in their own
        frame (x along the part's length).
    bed_mm : bed size along x and y, mm.
    gap_mm : clear space kept between the two parts of a pair.

    Returns
    -------
    Layout
        Transforms that turn each part about z and move it into the bed's coordinates, centred on
        the bed. When nothing fits, the layout needing the smallest bed of the same shape.
    """
    if len(parts) not in (1, 2):
        raise ValueError(f"lay_out takes one or two parts, got {len(parts)}")
    xy = [hull_xy(v[:, :2]) for v, _ in parts]
    if len(parts) == 1:
        return _plate(xy, [np.eye(4)], bed_mm, "single")[0]
    (va, fa), (vb, fb) = parts
    a0, a_lo, a_hi = _columns(va, fa)
    best: tuple[tuple[bool, float, float], Layout] | None = None
    for arrangement, own in (("parallel", np.eye(4)), ("head_to_tail", _rotation(180.0))):
        vb_own = vb @ own[:3, :3].T
        b0, b_lo, b_hi = _columns(vb_own, fb)
        # B's middle within half a length of A's: staggering further only lengthens the plate
        centre = (a0 + 0.5 * len(a_lo)) - (b0 + 0.5 * len(b_lo))
        reach = max(len(a_lo), len(b_lo)) // 2
        for shift in range(round(centre) - reach, round(centre) + reach + 1):
            # columns of B, shifted by ``shift`` columns, laid over A's
            start = b0 + shift - a0
            ia = np.arange(max(0, start), min(len(a_lo), start + len(b_lo)))
            if len(ia) == 0:
                continue
            ib = ia - start
            for sign in (1.0, -1.0):
                # B above A (+y) needs B's lowest over A's highest; below is the mirror case
                need = a_hi[ia] - b_lo[ib] if sign > 0 else b_hi[ib] - a_lo[ia]
                need = need[np.isfinite(need)]
                if len(need) == 0:
                    continue
                offset = sign * (float(need.max()) + gap_mm)
                move = _translation(np.array([shift * COLUMN_MM, offset])) @ own
                layout, scale = _plate(xy, [np.eye(4), move], bed_mm, arrangement)
                # fitting first, then the most room
                key = (not layout.fits, scale)
                if best is None or key < best[0]:
                    best = (key, layout)
    assert best is not None  # two non-empty parts always overlap in some shift
    return best[1]
