"""Footprint indices, the foot type they imply, and the profile suggested for it (CLINICAL.md §2).

On the contact print without toes (``contact.py``), with lengths along the foot axis (+x):

- **arch index** (Cavanagh & Rodgers 1987): the print's length split into equal thirds,
  AI = middle-third area / total area (formula V [S26], thresholds U);
- **Chippaux-Smirak index**: narrowest contact width of the middle third / widest contact width
  of the front third x 100 %, both across the axis (formula V [S27], adult thresholds U);
- **Staheli index**: contact width across the medial tangent line (the line touching the medial
  forefoot and the medial heel) through its midpoint / contact width across it through the heel
  tangency point (construction V [S27][S29][S30]; adult thresholds not retrieved).

A width is the contact length along the cross line (gaps are not counted), so a print broken in
the midfoot has a midfoot width of 0.

**Foot type** comes from the arch index alone (thresholds U, see below); the CSI and SI are
reported for the clinician, not used. Flat maps to the ``pronation`` profile, high to
``supination``, normal to ``neutral`` (E: a low arch is the usual sign of a pronated foot, a high
arch of a supinated one; FPI-6 [S34] would need more than a footprint). The other shipped
profiles (plantar_fasciitis, metatarsalgia, sport, diabetic) answer complaints a scan cannot
show, so they are never suggested.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import ConvexHull, QhullError

from scan2insole.records import FootType, HeightMap

# Cavanagh & Rodgers arch-index classes. Status U: widely quoted (high <= 0.21, normal 0.21-0.26,
# flat >= 0.26) but the thresholds were not found in the retrieved text (CLINICAL.md §2.2, §6).
HIGH_ARCH_MAX_AI = 0.21  # U
FLAT_ARCH_MIN_AI = 0.26  # U
# A standing foot's contact print without toes covers about half its footprint or more; below
# this share the scan is probably not weight-bearing (a template, a foot in the air) and the
# indices do not describe the arch (E).
MIN_CONTACT_OF_FOOTPRINT_FRAC = 0.25
PROFILE_FOR_FOOT_TYPE: dict[str, str] = {
    "flat": "pronation",
    "normal": "neutral",
    "high": "supination",
}
SUGGESTABLE_PROFILES = (
    "neutral",
    "pronation",
    "supination",
    "plantar_fasciitis",
    "metatarsalgia",
    "sport",
    "diabetic",
)
_LINE_STEP_MM = 0.25  # sampling step along a cross line for the Staheli widths


def _column_counts(contact: np.ndarray) -> np.ndarray:
    return contact.sum(axis=0).astype(np.float64)


def _print_span(contact: np.ndarray, hm: HeightMap) -> tuple[float, float] | None:
    cols = np.flatnonzero(contact.any(axis=0))
    if len(cols) == 0:
        return None
    x = hm.x_mm
    return float(x[cols[0]] - 0.5 * hm.cell_mm), float(x[cols[-1]] + 0.5 * hm.cell_mm)


def _third_weights(hm: HeightMap, start: float, stop: float, which: int) -> np.ndarray:
    """Share of each grid column inside third ``which`` (0 heel, 1 middle, 2 front) of the print."""
    third = (stop - start) / 3.0
    a, b = start + which * third, start + (which + 1) * third
    x = hm.x_mm
    left = np.clip(x - 0.5 * hm.cell_mm, a, b)
    right = np.clip(x + 0.5 * hm.cell_mm, a, b)
    return (right - left) / hm.cell_mm


def arch_index(contact: np.ndarray, hm: HeightMap) -> float:
    """Cavanagh & Rodgers arch index of a toe-less contact print on ``hm``'s grid (NaN if empty)."""
    span = _print_span(contact, hm)
    if span is None:
        return float("nan")
    counts = _column_counts(contact)
    middle = float(np.sum(counts * _third_weights(hm, *span, 1)))
    return middle / float(counts.sum())


def chippaux_smirak_pct(contact: np.ndarray, hm: HeightMap) -> float:
    """Narrowest middle-third width / widest front-third width x 100 (NaN if no print)."""
    span = _print_span(contact, hm)
    if span is None:
        return float("nan")
    widths = _column_counts(contact) * hm.cell_mm
    middle = _third_weights(hm, *span, 1) >= 1.0
    front = _third_weights(hm, *span, 2) >= 1.0
    if not middle.any() or not front.any() or widths[front].max() <= 0:
        return float("nan")
    return 100.0 * float(widths[middle].min() / widths[front].max())


def _width_across(contact: np.ndarray, hm: HeightMap, point: np.ndarray, normal: np.ndarray):
    """Contact length along the line through ``point`` in direction ``normal`` (mm)."""
    reach = hm.cell_mm * max(contact.shape)
    t = np.arange(-reach, reach, _LINE_STEP_MM)
    xy = point[None, :] + t[:, None] * normal[None, :]
    j = np.rint((xy[:, 0] - hm.origin_mm[0]) / hm.cell_mm).astype(np.int64)
    i = np.rint((xy[:, 1] - hm.origin_mm[1]) / hm.cell_mm).astype(np.int64)
    inside = (i >= 0) & (i < contact.shape[0]) & (j >= 0) & (j < contact.shape[1])
    hits = np.zeros(len(t), dtype=bool)
    hits[inside] = contact[i[inside], j[inside]]
    return float(hits.sum() * _LINE_STEP_MM)


def staheli_index(contact: np.ndarray, hm: HeightMap) -> float:
    """Staheli plantar arch index of a toe-less contact print (NaN if it cannot be built)."""
    span = _print_span(contact, hm)
    if span is None:
        return float("nan")
    ii, jj = np.nonzero(contact)
    pts = np.column_stack([hm.x_mm[jj], hm.y_mm[ii]])
    try:
        hull = pts[ConvexHull(pts).vertices]
    except (QhullError, ValueError):
        return float("nan")
    # the medial tangent: the hull edge on the +y side that spans the middle of the print
    x_mid = 0.5 * (span[0] + span[1])
    a, b = hull, np.roll(hull, -1, axis=0)
    lo, hi = np.minimum(a[:, 0], b[:, 0]), np.maximum(a[:, 0], b[:, 0])
    spans = (lo <= x_mid) & (hi >= x_mid) & (hi > lo)
    if not spans.any():
        return float("nan")
    dx = np.where(hi > lo, b[:, 0] - a[:, 0], 1.0)
    ymid = a[:, 1] + (b[:, 1] - a[:, 1]) * (x_mid - a[:, 0]) / dx
    k = int(np.argmax(np.where(spans, ymid, -np.inf)))
    heel_pt, fore_pt = (a[k], b[k]) if a[k, 0] < b[k, 0] else (b[k], a[k])
    tangent = (fore_pt - heel_pt) / np.linalg.norm(fore_pt - heel_pt)
    normal = np.array([tangent[1], -tangent[0]])
    mid_width = _width_across(contact, hm, 0.5 * (heel_pt + fore_pt), normal)
    heel_width = _width_across(contact, hm, heel_pt, normal)
    if heel_width <= 0:
        return float("nan")
    return mid_width / heel_width


def classify(ai: float, *, contact_of_footprint_frac: float) -> tuple[FootType | None, str, str]:
    """Foot type, the reason in words, and the suggested profile name."""
    if not np.isfinite(ai):
        return None, "no contact footprint: foot type unknown", "neutral"
    if contact_of_footprint_frac < MIN_CONTACT_OF_FOOTPRINT_FRAC:
        return (
            None,
            f"contact print covers {100 * contact_of_footprint_frac:.0f} % of the footprint "
            f"(< {100 * MIN_CONTACT_OF_FOOTPRINT_FRAC:.0f} %): the scan does not look "
            "weight-bearing, so the arch index does not classify it",
            "neutral",
        )
    if ai <= HIGH_ARCH_MAX_AI:
        kind: FootType = "high"
    elif ai >= FLAT_ARCH_MIN_AI:
        kind = "flat"
    else:
        kind = "normal"
    reason = (
        f"arch index {ai:.3f}: high <= {HIGH_ARCH_MAX_AI} < normal < {FLAT_ARCH_MIN_AI} <= flat "
        "(Cavanagh & Rodgers thresholds, status U: widely quoted, primary text not seen)"
    )
    return kind, reason, PROFILE_FOR_FOOT_TYPE[kind]
