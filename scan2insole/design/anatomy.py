"""Where the design features go: the foot's landmarks in the right-foot design frame.

The analysis stage carries landmarks (``analysis.landmarks``: ``first_mth_mm``,
``fifth_mth_mm``, ``heel_centre_mm``); each one that is there, finite and inside the window
below is used (a metatarsal head found outside it is another prominence, e.g. the medial bulge
of a pronated midfoot). Otherwise each landmark is found on the footprint by its textbook
definition (CLINICAL.md §1.1), searched in a window around a documented fraction of foot length
L from the footprint's heel end:

- 1st metatarsal head (MT): the most medial footprint point within 0.72 L +- 0.08 L;
- 5th metatarsal head (MF): the most lateral footprint point within 0.64 L +- 0.08 L;
  (a footprint traced on a grid has flat extremes: the landmark is the middle of the outline
  points within ``FLAT_EXTREME_MM`` of the extreme);
  (ANSUR II ball length / L = 0.741 +- 0.015 is V; the 5th head ~0.10 L behind the 1st is E);
- heel centre: the middle of the footprint's widest stations (within ``FLAT_EXTREME_MM`` of
  the widest) in its rearmost 20 % (E; the analysis's own heel centre is the midpoint of the
  heel breadth, the same idea).

If the extreme sits on a window's end (no prominence inside it), the landmark falls back to the
fraction itself on the border. The metatarsal-head line is the straight line through MT and MF
(the metatarsal parabola simplified to its chord, E).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scan2insole.records import FootAnalysis

MTH1_FRAC = 0.72
MTH5_FRAC = 0.64
MTH_WINDOW_FRAC = 0.08
HEEL_REGION_FRAC = 0.20
# An extreme closer than this to a window end is not a prominence (E: two outline spacings).
WINDOW_EDGE_MM = 3.0
FLAT_EXTREME_MM = 0.25


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Anatomy:
    """Landmarks the design places features by (mm, right-foot design frame)."""

    foot_length_mm: float
    heel_x_mm: float
    """x of the footprint's rear end (the pternion's projection)."""
    toe_x_mm: float
    """x of the footprint's front end."""
    ball_width_mm: float
    """Widest footprint breadth perpendicular to x."""
    heel_centre_mm: np.ndarray
    """(2,) x, y."""
    mth1_mm: np.ndarray
    """(2,) 1st metatarsal head (medial prominence of the footprint)."""
    mth5_mm: np.ndarray
    """(2,) 5th metatarsal head (lateral prominence of the footprint)."""
    stations_x_mm: np.ndarray
    """(n,) x of the border table, 1 mm apart."""
    medial_y_mm: np.ndarray
    """(n,) largest footprint y at each station."""
    lateral_y_mm: np.ndarray
    """(n,) smallest footprint y at each station."""
    source: str
    """``"landmarks"`` when every landmark came from the analysis, else ``"footprint"``."""


def medial_y(anatomy: Anatomy, x_mm: np.ndarray | float) -> np.ndarray:
    """The footprint's medial border y at x (clamped to the footprint's ends)."""
    return np.interp(x_mm, anatomy.stations_x_mm, anatomy.medial_y_mm)


def lateral_y(anatomy: Anatomy, x_mm: np.ndarray | float) -> np.ndarray:
    """The footprint's lateral border y at x (clamped to the footprint's ends)."""
    return np.interp(x_mm, anatomy.stations_x_mm, anatomy.lateral_y_mm)


def mth_line_x(anatomy: Anatomy, y_mm: np.ndarray | float) -> np.ndarray:
    """x of the metatarsal-head line at y (the line through MT and MF)."""
    (x1, y1), (x5, y5) = anatomy.mth1_mm, anatomy.mth5_mm
    return x1 + (np.asarray(y_mm, dtype=np.float64) - y1) * (x5 - x1) / (y5 - y1)


def _borders(analysis: FootAnalysis) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    fp = analysis.footprint
    hm = analysis.plantar
    cols = np.nonzero(fp.any(axis=0))[0]
    rows = np.arange(fp.shape[0])[:, None]
    top = np.where(fp[:, cols], rows, -1).max(axis=0)
    bottom = np.where(fp[:, cols], rows, fp.shape[0]).min(axis=0)
    x = hm.origin_mm[0] + hm.cell_mm * cols
    # cell centres; the border lies half a cell beyond the outermost footprint cell
    hi = hm.origin_mm[1] + hm.cell_mm * (top + 0.5)
    lo = hm.origin_mm[1] + hm.cell_mm * (bottom - 0.5)
    stations = np.arange(np.floor(x.min()), np.ceil(x.max()) + 1.0)
    return stations, np.interp(stations, x, hi), np.interp(stations, x, lo)


def _extreme(
    outline: np.ndarray, centre_x: float, half_mm: float, *, medial: bool
) -> np.ndarray | None:
    sel = np.abs(outline[:, 0] - centre_x) <= half_mm
    if not sel.any():
        return None
    pts = outline[sel]
    y = pts[:, 1] if medial else -pts[:, 1]
    top = pts[y >= y.max() - FLAT_EXTREME_MM]
    x = float(np.median(top[:, 0]))
    if half_mm - abs(x - centre_x) < WINDOW_EDGE_MM:
        return None
    return np.array([x, float(pts[int(np.argmax(y)), 1])])


def _landmark(landmarks: object, name: str) -> np.ndarray | None:
    value = getattr(landmarks, name, None)
    if value is None:
        return None
    arr = np.asarray(value, dtype=np.float64).ravel()
    return arr[:2].copy() if arr.size >= 2 and np.isfinite(arr[:2]).all() else None


def foot_anatomy(analysis: FootAnalysis) -> Anatomy:
    """The landmarks of one analysed foot (see the module docstring for their definitions)."""
    outline = analysis.outline_mm
    stations, med, lat = _borders(analysis)
    heel_x = float(outline[:, 0].min())
    toe_x = float(outline[:, 0].max())
    length = float(analysis.measurements.foot_length_mm)

    breadth = np.where(stations <= heel_x + HEEL_REGION_FRAC * length, med - lat, -np.inf)
    hx = float(np.median(stations[breadth >= breadth.max() - FLAT_EXTREME_MM]))
    heel_centre = np.array([hx, 0.5 * float(np.interp(hx, stations, med + lat))])

    mth1 = _extreme(outline, heel_x + MTH1_FRAC * length, MTH_WINDOW_FRAC * length, medial=True)
    if mth1 is None:
        x1 = heel_x + MTH1_FRAC * length
        mth1 = np.array([x1, float(np.interp(x1, stations, med))])
    mth5 = _extreme(outline, heel_x + MTH5_FRAC * length, MTH_WINDOW_FRAC * length, medial=False)
    if mth5 is None:
        x5 = heel_x + MTH5_FRAC * length
        mth5 = np.array([x5, float(np.interp(x5, stations, lat))])

    source = "footprint"
    landmarks = getattr(analysis, "landmarks", None)
    if landmarks is not None:
        found = {
            name: _landmark(landmarks, name)
            for name in ("first_mth_mm", "fifth_mth_mm", "heel_centre_mm")
        }
        for name, frac in (("first_mth_mm", MTH1_FRAC), ("fifth_mth_mm", MTH5_FRAC)):
            p = found[name]
            if p is not None and abs(p[0] - heel_x - frac * length) > MTH_WINDOW_FRAC * length:
                found[name] = None
        if found["first_mth_mm"] is not None:
            mth1 = found["first_mth_mm"]
        if found["fifth_mth_mm"] is not None:
            mth5 = found["fifth_mth_mm"]
        if found["heel_centre_mm"] is not None:
            heel_centre = found["heel_centre_mm"]
        if all(v is not None for v in found.values()):
            source = "landmarks"

    return Anatomy(
        foot_length_mm=length,
        heel_x_mm=heel_x,
        toe_x_mm=toe_x,
        ball_width_mm=float((med - lat).max()),
        heel_centre_mm=heel_centre,
        mth1_mm=mth1,
        mth5_mm=mth5,
        stations_x_mm=stations,
        medial_y_mm=med,
        lateral_y_mm=lat,
        source=source,
    )
