"""Bed layout: the smallest turn that fits, a pair side by side with its gap, and the bed a pair
needs when none fits."""

from __future__ import annotations

import numpy as np
import pytest

from scan2insole.bed_layout import PART_GAP_MM, ROOMY_MARGIN_MM, fit_turn_deg, lay_out
from scan2insole.verify.plate import plate_checks
from tests.meshes import slab


def _placed(mesh: tuple[np.ndarray, np.ndarray], m: np.ndarray) -> np.ndarray:
    return mesh[0] @ m[:3, :3].T + m[:3, 3]


def _insole_like(length_mm: float, ball_mm: float, heel_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """A slab trimmed to a foot-like outline: heel narrow, ball wide, both ends rounded."""
    v, f = slab(length_mm, ball_mm, 3.0, cell_mm=2.0)
    x = v[:, 0] / length_mm
    width = np.interp(
        x,
        [0, 0.05, 0.2, 0.65, 0.9, 1],
        [0.4 * heel_mm, heel_mm, heel_mm, ball_mm, 0.8 * ball_mm, 0.3 * ball_mm],
    )
    v = v.copy()
    v[:, 1] = (v[:, 1] / ball_mm - 0.5) * width
    return v, f


def test_fit_turn_is_the_smallest_that_fits() -> None:
    rect = np.array([[0, 0], [270, 0], [270, 40], [0, 40]], dtype=np.float64)
    turn = fit_turn_deg(rect, (250.0, 210.0))
    assert turn is not None

    def fits(deg: float) -> bool:
        a = np.radians(deg)
        return 270 * np.cos(a) + 40 * np.sin(a) <= 250 and 270 * np.sin(a) + 40 * np.cos(a) <= 210

    assert fits(abs(turn)) and not fits(abs(turn) - 1)
    assert fit_turn_deg(rect[:, ::-1] * [1, 0.5], (250.0, 210.0)) == 0.0  # 20 x 135: straight
    assert fit_turn_deg(rect * [1.5, 2.5], (250.0, 210.0)) is None  # 405 x 100


def test_a_pair_that_fits_lies_apart_on_the_bed() -> None:
    a = _insole_like(230.0, 90.0, 60.0)
    b = (a[0] * [1.0, -1.0, 1.0], a[1][:, ::-1])  # the other foot: the mirror image
    layout = lay_out([a, b], (250.0, 210.0))
    assert layout.fits
    placed = [_placed(a, layout.bed_from_part[0]), _placed(b, layout.bed_from_part[1])]
    xy = np.vstack(placed)[:, :2]
    assert (xy >= 0).all() and (xy <= [250.0, 210.0]).all()
    assert (layout.extent_mm[0], layout.extent_mm[1]) == pytest.approx(np.ptp(xy, axis=0))
    for m in layout.bed_from_part:  # rigid turns about z, nothing else
        np.testing.assert_allclose(m[:3, :3] @ m[:3, :3].T, np.eye(3), atol=1e-12)
        assert np.linalg.det(m[:3, :3]) == pytest.approx(1.0)
        assert m[2, 3] == 0.0
    fit, overlap = plate_checks(
        [("a", placed[0], a[1]), ("b", placed[1], b[1])], bed_mm=(250.0, 210.0)
    )
    assert fit.passed and overlap.passed, (fit.message, overlap.message)
    # the gap: no point of one within PART_GAP_MM of the other (up to the 2 mm sampling)
    from scipy.spatial import cKDTree

    d, _ = cKDTree(placed[0][:, :2]).query(placed[1][:, :2])
    assert d.min() >= PART_GAP_MM - 2.0
    # same input, same layout
    again = lay_out([a, b], (250.0, 210.0))
    for m1, m2 in zip(layout.bed_from_part, again.bed_from_part, strict=True):
        np.testing.assert_array_equal(m1, m2)


def test_a_single_part_goes_straight_when_it_has_room_and_turned_when_it_must() -> None:
    small = slab(200.0, 80.0, 3.0)
    layout = lay_out([small], (250.0, 210.0))
    assert layout.fits and layout.turn_deg == 0.0
    xy = _placed(small, layout.bed_from_part[0])[:, :2]
    np.testing.assert_allclose(xy.min(axis=0) + xy.max(axis=0), [250.0, 210.0])  # centred
    assert (xy.min(axis=0) >= ROOMY_MARGIN_MM).all()
    long = _insole_like(280.0, 110.0, 70.0)
    layout = lay_out([long], (250.0, 210.0))
    assert layout.fits and layout.turn_deg != 0.0
    xy = _placed(long, layout.bed_from_part[0])[:, :2]
    assert (xy >= 0).all() and (xy <= [250.0, 210.0]).all()


def test_a_pair_that_cannot_fit_says_what_bed_it_needs() -> None:
    a = _insole_like(280.0, 118.0, 75.0)
    b = (a[0] * [1.0, -1.0, 1.0], a[1][:, ::-1])
    layout = lay_out([a, b], (250.0, 210.0))
    assert not layout.fits
    need = np.ceil(layout.extent_mm)
    bigger = lay_out([a, b], (float(need[0]), float(need[1])))
    assert bigger.fits
