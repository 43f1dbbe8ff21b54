"""The support-plane search: bounded cost on any body, and feet searched at the 4 mm voxel."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import ConvexHull

from scan2insole import support
from scan2insole.sampling import voxel_thin
from scan2insole.support import MAX_CONTACT_TESTS, SUPPORT_VOXEL_MM, support_plane
from scan2insole.synthetic import FootParams, foot_mesh

BALL_RADIUS_MM = 150.0
# The plane is a facet of the hull of voxel means, which sit inside a curved surface by the
# sagitta of a voxel (16 mm on a 150 mm ball: ~0.5 mm); 2 mm also covers the facet's tilt.
BALL_TANGENT_TOL_MM = 2.0
# SUPPORT_VOXEL_MM's comment: the orientation is good to a fraction of a degree on a foot.
FOOT_UP_TOL_DEG = 1.0
# The synthetic sole's flat contact lies on z = 0, so its voxel means do too (found: 0.0 mm).
FOOT_OFFSET_TOL_MM = 0.1


def _ball(radius_mm: float, n: int) -> np.ndarray:
    """(n, 3) points evenly spread on a sphere centred at the origin (Fibonacci lattice)."""
    i = np.arange(n) + 0.5
    z = 1.0 - 2.0 * i / n
    phi = np.pi * (1.0 + 5.0**0.5) * i
    r = np.sqrt(1.0 - z * z)
    return radius_mm * np.c_[r * np.cos(phi), r * np.sin(phi), z]


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[np.ndarray, np.ndarray]]:
    """Record what ``support_plane`` searched: the thinned points and the facet planes."""
    seen: list[tuple[np.ndarray, np.ndarray]] = []
    real = support._thin_hull

    def recording(pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        seen.append(real(pts))
        return seen[-1]

    monkeypatch.setattr(support, "_thin_hull", recording)
    return seen


def test_a_round_body_is_searched_within_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    pts = _ball(BALL_RADIUS_MM, 60_000)
    # at the foot's voxel a ball has about a facet per point: far over the budget
    thin = voxel_thin(pts, voxel_mm=SUPPORT_VOXEL_MM)
    n_facets = len(np.unique(np.round(ConvexHull(thin).equations, 9), axis=0))
    assert len(thin) * n_facets > 10 * MAX_CONTACT_TESTS
    seen = _spy(monkeypatch)
    up, offset_mm = support_plane(pts)
    ((searched, eqs),) = seen
    assert len(searched) * len(eqs) <= MAX_CONTACT_TESTS
    # still a tangent plane of the ball: at its radius, and nothing far below it
    assert np.linalg.norm(up) == pytest.approx(1.0)
    assert offset_mm == pytest.approx(-BALL_RADIUS_MM, abs=BALL_TANGENT_TOL_MM)
    assert (pts @ up - offset_mm).min() > -BALL_TANGENT_TOL_MM


def test_a_foot_is_searched_at_the_support_voxel(monkeypatch: pytest.MonkeyPatch) -> None:
    vertices, _ = foot_mesh(FootParams())
    seen = _spy(monkeypatch)
    up, offset_mm = support_plane(vertices)
    ((searched, eqs),) = seen
    # under the budget, so the search is exactly the 4 mm one
    np.testing.assert_array_equal(searched, voxel_thin(vertices, voxel_mm=SUPPORT_VOXEL_MM))
    assert len(searched) * len(eqs) < MAX_CONTACT_TESTS
    # the synthetic foot stands on z = 0 of its own frame
    assert np.degrees(np.arccos(up[2])) < FOOT_UP_TOL_DEG
    assert offset_mm == pytest.approx(0.0, abs=FOOT_OFFSET_TOL_MM)
