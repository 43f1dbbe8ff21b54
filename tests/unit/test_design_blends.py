"""The fall-off functions the features are shaped with, and the landmarks they are placed by."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from scan2insole.design.anatomy import MTH1_FRAC, MTH_WINDOW_FRAC, foot_anatomy
from scan2insole.design.falloff import band, dome, ramp, smooth_max, smooth_min, smoothstep
from scan2insole.records import Landmarks
from tests.design_feet import synthetic_analysis


def test_smoothstep_is_a_c2_step() -> None:
    t = np.linspace(-0.5, 1.5, 20001)
    s = smoothstep(t)
    assert s[t <= 0].max() == 0.0 and s[t >= 1].min() == 1.0
    assert smoothstep(0.5) == pytest.approx(0.5)
    h = t[1] - t[0]
    d1, d2 = np.gradient(s, h), np.gradient(np.gradient(s, h), h)
    # no jump in the first or second derivative anywhere, ends included
    assert np.abs(np.diff(d1)).max() < 1e-3 and np.abs(np.diff(d2)).max() < 0.05
    assert np.all(np.diff(s) >= 0)


def test_ramp_band_and_dome_shapes() -> None:
    assert ramp(np.array([0.0, 5.0, 10.0]), 0.0, 10.0).tolist() == [0.0, 0.5, 1.0]
    assert ramp(np.array([0.0, 10.0]), 10.0, 0.0).tolist() == [1.0, 0.0]  # falling
    b = band(np.array([-7.0, -2.0, 0.0, 5.0, 10.0, 12.0, 17.0]), 0.0, 10.0, fall=4.0)
    assert b.tolist() == [0.0, 0.5, 1.0, 1.0, 1.0, 0.5, 0.0]
    r = np.linspace(0, 1.2, 1201)
    d = dome(r)
    assert d[0] == 1.0 and d[r >= 1].max() == 0.0 and np.all(np.diff(d) <= 0)
    assert np.abs(np.gradient(d, r)[r > 0.999][:3]).max() < 1e-3  # flat where it ends


def test_smooth_max_and_min_bound_the_exact_ones() -> None:
    a = np.linspace(-3, 3, 601)
    b = np.zeros_like(a)
    m = smooth_max(a, b, 1.0)
    assert np.all(m >= np.maximum(a, b)) and np.all(m <= np.maximum(a, b) + 0.25 + 1e-12)
    assert np.array_equal(m[np.abs(a) >= 1.0], np.maximum(a, b)[np.abs(a) >= 1.0])
    n = smooth_min(a, b, 1.0)
    assert np.all(n <= np.minimum(a, b)) and np.all(np.diff(n) >= 0)


def test_landmarks_from_the_analysis_are_used_when_plausible() -> None:
    foot = synthetic_analysis()
    an = foot_anatomy(foot)
    assert an.source == "landmarks"
    np.testing.assert_allclose(an.mth1_mm, foot.landmarks.first_mth_mm[:2])
    # a 1st head found at the medial bulge of the midfoot (0.5 L) is not a metatarsal head:
    # the footprint's own medial prominence near 0.72 L is used instead
    lm = foot.landmarks
    wrong = lm.first_mth_mm.copy()
    wrong[0] = an.heel_x_mm + (MTH1_FRAC - MTH_WINDOW_FRAC - 0.05) * an.foot_length_mm
    bad = replace(foot, landmarks=replace(lm, first_mth_mm=wrong))
    fallback = foot_anatomy(bad)
    assert fallback.source == "footprint"
    assert abs(fallback.mth1_mm[0] - an.mth1_mm[0]) < MTH_WINDOW_FRAC * an.foot_length_mm
    assert fallback.mth1_mm[1] == pytest.approx(an.medial_y_mm.max(), abs=1.0)
    none = foot_anatomy(replace(foot, landmarks=None))
    assert none.source == "footprint"
    np.testing.assert_allclose(none.heel_centre_mm, an.heel_centre_mm, atol=2.0)
    assert isinstance(foot.landmarks, Landmarks)
