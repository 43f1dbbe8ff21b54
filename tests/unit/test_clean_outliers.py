"""The point-cloud outlier rule is open3d's ``remove_radius_outlier``, computed with scipy."""

from __future__ import annotations

import numpy as np
import pytest

from scan2insole.clean import OUTLIER_MIN_NEIGHBOURS, OUTLIER_RADIUS_MM, isolated_points
from scan2insole.sampling import surface_samples


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_isolated_points_match_open3d(seed: int) -> None:
    from scan2insole.open3d_import import open3d

    rng = np.random.default_rng(seed)
    # a dense sheet (every point has many neighbours), sparse strays around it, and pairs and
    # triples of points (below the neighbour count) so both sides of the rule are exercised
    sheet = np.c_[rng.uniform(0, 60, (3000, 2)), rng.normal(0, 0.3, 3000)]
    strays = rng.uniform(-40, 100, (200, 3))
    clumps = np.repeat(rng.uniform(150, 300, (30, 3)), rng.integers(2, 7, 30), axis=0)
    clumps = clumps + rng.normal(0, 1.0, clumps.shape)
    pts = np.concatenate([sheet, strays, clumps])
    o3d = open3d()
    cloud = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(pts))
    _, inliers = cloud.remove_radius_outlier(OUTLIER_MIN_NEIGHBOURS, OUTLIER_RADIUS_MM)
    expected = np.ones(len(pts), dtype=bool)
    expected[np.asarray(inliers, dtype=np.int64)] = False
    got = isolated_points(pts)
    assert 0 < expected.sum() < len(pts)
    assert np.array_equal(got, expected)


def test_isolated_points_empty() -> None:
    assert isolated_points(np.zeros((0, 3))).shape == (0,)


def test_surface_samples_keep_vertices_and_fill_long_edges() -> None:
    # one 10 mm triangle and one 0.5 mm triangle: only the big one is filled in
    v = np.array([[0, 0, 0], [10, 0, 0], [0, 10, 0], [20, 0, 0], [20.5, 0, 0], [20, 0.5, 0]], float)
    f = np.array([[0, 1, 2], [3, 4, 5]])
    pts = surface_samples(v, f, spacing_mm=1.0)
    assert np.array_equal(pts[:6], v)  # the vertices first, as given
    extra = pts[6:]
    # the 14.1 mm hypotenuse needs 15 steps: a lattice of 16 * 17 / 2 points less 3 corners
    assert len(extra) == 136 - 3
    assert (extra[:, 0] <= 10).all()  # nothing added on the small triangle
    # every point of the big triangle lies within 1 mm of a sample
    grid = np.stack(np.meshgrid(np.linspace(0, 10, 41), np.linspace(0, 10, 41)), -1).reshape(-1, 2)
    grid = grid[grid.sum(axis=1) <= 10]
    d = np.linalg.norm(grid[:, None, :] - pts[None, :, :2], axis=2).min(axis=1)
    assert d.max() <= 1.0
