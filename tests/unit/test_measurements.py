"""Measurements, landmarks, footprint indices and foot type against exact ground truth.

The synthetic feet of ``scan2insole.synthetic`` are put straight into their own (true) design
frame, so these tests check ``analyse`` alone; the whole pipeline's accuracy, frame included, is
``benchmarks/accuracy.py``. Each tolerance below says why it is what it is.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from scan2insole.analyse import analyse_foot
from scan2insole.analyse.extreme_points import extreme_point
from scan2insole.analyse.foot_type import (
    FLAT_ARCH_MIN_AI,
    HIGH_ARCH_MAX_AI,
    arch_index,
    chippaux_smirak_pct,
    classify,
    staheli_index,
)
from scan2insole.analyse.plausibility import implausible
from scan2insole.analyse.report import MEASUREMENT_KEYS, measure_dict
from scan2insole.analyse.uncertainty import uncertainties
from scan2insole.records import (
    FootAnalysis,
    HeightMap,
    Landmarks,
)
from scan2insole.synthetic import Artefacts, FootParams, foot_truth, in_true_frame, synthetic_scan
from tests.conftest import SAMPLE_SCANS

# Tolerances on a clean 2 mm synthetic mesh in its true frame (E, each well inside issue 5's MAE
# targets, which also cover noise, pose and the frame): extremes are fitted, so lengths and
# breadths are good to a few tenths; the 1st MTH sits on a border that falls only 0.2 mm within
# 10 mm of it, so its x (the arch length) is good to ~1.5 mm; heights are good to half a mm.
LENGTH_TOL_MM = 0.3
BREADTH_TOL_MM = 0.5
ARCH_LENGTH_TOL_MM = 1.5
HEIGHT_TOL_MM = 0.6
ARCH_INDEX_TOL = 0.01  # the 1 mm analysis grid against the truth's 0.25 mm grid
LANDMARK_TOL_MM = 1.0  # pternion, hallux tip: points on a fitted cap
MTH_X_TOL_MM = 3.0  # x of a metatarsal head on a nearly straight border (see above)


_CACHE: dict[str, tuple[FootAnalysis, object]] = {}


def _analysed(arch: str) -> tuple[FootAnalysis, object]:
    """Analysis of the default-size foot of an arch type, right side, clean mesh (cached)."""
    if arch not in _CACHE:
        params = FootParams(arch_type=arch)  # type: ignore[arg-type]
        scan = synthetic_scan(params, Artefacts(), rng=np.random.default_rng(0))
        _CACHE[arch] = (analyse_foot(in_true_frame(scan.vertices, scan.faces)), foot_truth(params))
    return _CACHE[arch]


@pytest.mark.parametrize("arch", ["flat", "normal", "high"])
def test_measurements_match_the_truth(arch: str) -> None:
    analysis, truth = _analysed(arch)
    m = analysis.measurements
    assert m.foot_length_mm == pytest.approx(truth.foot_length_mm, abs=LENGTH_TOL_MM)
    assert m.ball_width_mm == pytest.approx(truth.ball_width_mm, abs=BREADTH_TOL_MM)
    assert m.heel_width_mm == pytest.approx(truth.heel_width_mm, abs=BREADTH_TOL_MM)
    assert m.arch_length_mm == pytest.approx(truth.arch_length_mm, abs=ARCH_LENGTH_TOL_MM)
    assert m.dorsal_height_50_mm == pytest.approx(truth.dorsal_height_50_mm, abs=HEIGHT_TOL_MM)
    assert m.medial_arch_height_mm == pytest.approx(truth.medial_arch_height_mm, abs=HEIGHT_TOL_MM)
    assert m.arch_index == pytest.approx(truth.arch_index, abs=ARCH_INDEX_TOL)
    assert m.arch_height_index == pytest.approx(m.dorsal_height_50_mm / m.arch_length_mm, rel=1e-12)


@pytest.mark.parametrize(
    ("arch", "profile"), [("flat", "pronation"), ("normal", "neutral"), ("high", "supination")]
)
def test_foot_type_and_suggested_profile(arch: str, profile: str) -> None:
    m = _analysed(arch)[0].measurements
    assert m.foot_type == arch
    assert m.suggested_profile == profile
    assert m.plausibility == ()


def test_arch_measures_order_the_arch_types() -> None:
    flat, normal, high = (_analysed(a)[0].measurements for a in ("flat", "normal", "high"))
    assert flat.arch_index > normal.arch_index > high.arch_index
    assert flat.medial_arch_height_mm < normal.medial_arch_height_mm < high.medial_arch_height_mm
    # the midfoot contact narrows as the arch rises: CSI and Staheli fall with it
    assert flat.chippaux_smirak_index_pct > normal.chippaux_smirak_index_pct
    assert normal.chippaux_smirak_index_pct > high.chippaux_smirak_index_pct
    assert flat.staheli_index > normal.staheli_index > high.staheli_index


def test_landmarks_match_the_truth() -> None:
    analysis, truth = _analysed("normal")
    marks = analysis.landmarks
    assert isinstance(marks, Landmarks)
    t = truth.landmarks
    np.testing.assert_allclose(marks.pternion_mm[:2], t["pternion"][:2], atol=LANDMARK_TOL_MM)
    np.testing.assert_allclose(marks.hallux_tip_mm[:2], t["hallux_tip"][:2], atol=LANDMARK_TOL_MM)
    assert marks.first_mth_mm[0] == pytest.approx(t["mth1"][0], abs=MTH_X_TOL_MM)
    assert marks.first_mth_mm[1] == pytest.approx(t["mth1"][1], abs=BREADTH_TOL_MM)
    assert marks.fifth_mth_mm[0] == pytest.approx(t["mth5"][0], abs=MTH_X_TOL_MM)
    assert marks.fifth_mth_mm[1] == pytest.approx(t["mth5"][1], abs=BREADTH_TOL_MM)
    apex = marks.medial_arch_apex_mm
    assert apex[2] == pytest.approx(analysis.measurements.medial_arch_height_mm)
    assert apex[2] == pytest.approx(t["arch_apex"][2], abs=HEIGHT_TOL_MM)
    assert 0.3 * truth.foot_length_mm <= apex[0] <= 0.6 * truth.foot_length_mm
    assert marks.heel_centre_mm[2] == 0.0
    assert abs(marks.heel_centre_mm[1]) < BREADTH_TOL_MM  # the synthetic heel is centred on y = 0


def test_noise_does_not_widen_the_foot() -> None:
    """A 0.5 mm noisy cloud: the raw extremes overshoot by ~3 sigma each end, the fits do not."""
    params = FootParams()
    truth = foot_truth(params)
    art = Artefacts(point_cloud=True, n_points=150_000, noise_mm=0.5)
    scan = synthetic_scan(params, art, rng=np.random.default_rng(1))
    naive_length = float(np.ptp(scan.vertices[:, 0]))
    assert naive_length - truth.foot_length_mm > 1.5  # the bias the fit must remove
    m = analyse_foot(in_true_frame(scan.vertices, scan.faces, noise_mm=0.5)).measurements
    # noise 0.5 mm on 150k points: the fitted extreme is good to ~0.3 mm (E, measured margin 2x)
    assert m.foot_length_mm == pytest.approx(truth.foot_length_mm, abs=0.6)
    assert m.ball_width_mm == pytest.approx(truth.ball_width_mm, abs=0.6)
    assert m.heel_width_mm == pytest.approx(truth.heel_width_mm, abs=0.6)


def test_extreme_point_of_a_noisy_sphere() -> None:
    rng = np.random.default_rng(2)
    d = rng.normal(size=(40_000, 3))
    sphere = 20.0 * d / np.linalg.norm(d, axis=1, keepdims=True)
    noisy = sphere + rng.normal(0.0, 0.4, sphere.shape)
    top = extreme_point(noisy, np.array([0.0, 0.0, 1.0]))
    assert noisy[:, 2].max() - 20.0 > 1.0  # raw extreme: ~+3.5 sigma
    assert top[2] == pytest.approx(20.0, abs=0.15)
    side = extreme_point(noisy, np.array([1.0, 0.0, 0.0]), candidates=noisy[:, 2] < -10.0)
    # the farthest point in +x among z < -10 lies on the circle z = -10: x = sqrt(400 - 100)
    assert side[0] == pytest.approx(math.sqrt(300.0), abs=0.3)


def _grid(mask: np.ndarray) -> HeightMap:
    return HeightMap(origin_mm=np.zeros(2), cell_mm=1.0, z_mm=np.zeros(mask.shape))


def test_footprint_indices_on_drawn_prints() -> None:
    # a 90 x 30 mm rectangle: every third holds a third of the area; widths are all equal
    rect = np.zeros((60, 120), dtype=bool)
    rect[10:40, 10:100] = True
    assert arch_index(rect, _grid(rect)) == pytest.approx(1 / 3, abs=1e-9)
    assert chippaux_smirak_pct(rect, _grid(rect)) == pytest.approx(100.0)
    assert staheli_index(rect, _grid(rect)) == pytest.approx(1.0, abs=0.02)
    # heel 30 wide, midfoot 10 wide (lateral), forefoot 40 wide: AI = 300 / (900 + 300 + 1200)
    foot = np.zeros((60, 120), dtype=bool)
    foot[10:40, 10:40] = True
    foot[10:20, 40:70] = True
    foot[10:50, 70:100] = True
    assert arch_index(foot, _grid(foot)) == pytest.approx(300 / 2400, abs=1e-9)
    assert chippaux_smirak_pct(foot, _grid(foot)) == pytest.approx(25.0)
    # the medial tangent runs from the heel's medial corner to the forefoot's; its midpoint's
    # perpendicular crosses the 10 mm midfoot strip, the heel's crosses the 30 mm heel
    assert staheli_index(foot, _grid(foot)) == pytest.approx(10 / 30, abs=0.05)
    # a broken midfoot: no contact in the middle third
    broken = foot.copy()
    broken[:, 40:70] = False
    assert chippaux_smirak_pct(broken, _grid(broken)) == 0.0
    assert arch_index(broken, _grid(broken)) == pytest.approx(0.0, abs=1e-9)


def test_classify_uses_the_cavanagh_thresholds() -> None:
    assert classify(HIGH_ARCH_MAX_AI, contact_of_footprint_frac=0.6)[0] == "high"
    assert classify(0.5 * (HIGH_ARCH_MAX_AI + FLAT_ARCH_MIN_AI), contact_of_footprint_frac=0.6)[
        0
    ] == ("normal")
    kind, reason, profile = classify(FLAT_ARCH_MIN_AI, contact_of_footprint_frac=0.6)
    assert (kind, profile) == ("flat", "pronation")
    assert "status U" in reason
    # a foot that barely touches the ground (a template, a foot in the air) is not classified
    kind, reason, profile = classify(0.05, contact_of_footprint_frac=0.1)
    assert kind is None and profile == "neutral" and "weight-bearing" in reason
    assert classify(float("nan"), contact_of_footprint_frac=0.6)[0] is None


def test_plausibility_flags_ansur_outliers() -> None:
    good = {"foot_length_mm": 265.0, "ball_width_mm": 100.0, "heel_width_mm": 70.0}
    good["arch_length_mm"] = 196.0
    assert implausible(good) == ()
    flags = implausible({**good, "arch_length_mm": 150.0})
    assert len(flags) == 1 and "arch_length_mm / foot_length_mm = 0.566" in flags[0]
    assert len(implausible({**good, "ball_width_mm": 140.0})) == 2  # breadth and heel ratio
    assert implausible({**good, "arch_length_mm": float("nan")}) == ()


def test_uncertainty_grows_with_noise_and_contact_sensitivity() -> None:
    values = dict.fromkeys(MEASUREMENT_KEYS.values(), 1.0)
    values.update(dorsal_height_50_mm=70.0, arch_length_mm=195.0, arch_height_index=70 / 195)
    flat = ((1.0, 0.25), (2.0, 0.25), (3.0, 0.25))
    steep = ((1.0, 0.20), (2.0, 0.25), (3.0, 0.30))
    quiet = uncertainties(values, flat, noise_mm=0.0)
    noisy = uncertainties(values, steep, noise_mm=1.0)
    assert set(quiet) == set(MEASUREMENT_KEYS.values())
    assert all(v > 0 for v in quiet.values())
    assert noisy["foot_length_mm"] > quiet["foot_length_mm"]
    assert noisy["arch_index"] > quiet["arch_index"]
    assert uncertainties({**values, "arch_length_mm": math.nan}, flat, noise_mm=0.0)[
        "arch_height_index"
    ] != pytest.approx(0.0)


def test_landmarks_record_is_frozen_and_allows_unknown_points() -> None:
    pts = {
        name: np.zeros(3)
        for name in (
            "pternion_mm",
            "hallux_tip_mm",
            "first_mth_mm",
            "fifth_mth_mm",
            "navicular_mm",
            "medial_arch_apex_mm",
            "heel_centre_mm",
        )
    }
    pts["navicular_mm"] = np.full(3, np.nan)
    marks = Landmarks(**pts)
    assert np.isnan(marks.navicular_mm).all()
    with pytest.raises(ValueError):
        marks.pternion_mm[0] = 1.0
    with pytest.raises(ValueError, match="shape"):
        Landmarks(**{**pts, "pternion_mm": np.zeros(2)})


def test_measure_dict_has_the_issue_keys() -> None:
    data = json.loads(json.dumps(measure_dict(_analysed("normal")[0]), default=float))
    for key in (
        "side",
        "units_detected",
        "foot_length_mm",
        "ball_width_mm",
        "heel_width_mm",
        "arch_length_mm",
        "dorsal_height_50_mm",
        "arch_height_index",
        "medial_arch_height_mm",
        "arch_index",
        "chippaux_smirak_index",
        "staheli_index",
        "foot_type",
        "suggested_profile",
        "landmarks",
        "foot_from_scanner",
        "quality",
        "uncertainty",
    ):
        assert key in data, key
    assert set(data["landmarks"]) >= {
        "pternion",
        "hallux_tip",
        "first_mth",
        "fifth_mth",
        "navicular",
        "medial_arch_apex",
    }
    assert set(data["uncertainty"]) == set(MEASUREMENT_KEYS)
    assert np.asarray(data["foot_from_scanner"]).shape == (4, 4)
    assert set(data["quality"]) == {"score", "reasons"}


def test_measure_cli_json_and_table(run_cli) -> None:
    scan = SAMPLE_SCANS / "dupontgu_right_foot.stl"
    res = run_cli("measure", scan, "--json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["side"] == "right"
    assert data["units_detected"] == "m"
    # the scan's mesh spans ~275 x 109 mm (real_scans README, PCA extents)
    assert 265.0 < data["foot_length_mm"] < 285.0
    assert 100.0 < data["ball_width_mm"] < 120.0
    assert data["foot_type"] in ("flat", "normal", "high")
    again = run_cli("measure", scan, "--json")
    assert again.stdout == res.stdout  # deterministic
    table = run_cli("measure", scan)
    assert table.exit_code == 0
    assert "foot length" in table.stdout and "suggested profile" in table.stdout
    assert f"{data['foot_length_mm']:.1f}" in table.stdout


def test_measure_cli_rejects_a_non_foot(run_cli, tmp_path) -> None:
    from scan2insole.formats import stl

    # a 40 mm cube is no foot
    v = np.array([[x, y, z] for x in (0, 40) for y in (0, 40) for z in (0, 40)], dtype=float)
    f = np.array(
        [[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
         [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]]
    )  # fmt: skip
    path = tmp_path / "cube.stl"
    path.write_bytes(stl.write_binary(v, f))
    res = run_cli("measure", path, "--json")
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr.startswith("scan2insole: error: ")
    assert res.stderr.count("\n") == 1
