"""Issue 10: foam-box impressions and plantar-only scans through the pipeline.

Three parametric feet are scanned three ways (``synthetic``): as a foot, as a foam-box impression
(mesh with box walls and a table, and a noisy cloud) and as a plantar-only sheet (mesh with a
little of the sides, and a noisy cloud), each in a random pose and a different unit. Every case
must come out as its kind and side, with foot length, ball width and medial arch height within
``TOL_MM`` of the truth, and an insole whose top surface lies within ``TOP_RMS_MM`` RMS of the
insole designed from the same foot's full scan. Then the kind detection alone, over several
poses, meshes and clouds, never takes a foot for a foam box or the reverse; and the real scans
in ../shared/real_scans (feet only: there is no real foam-box or plantar-only scan) stay feet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.path import Path
from scipy import ndimage

from scan2insole.analyse import analyse_foot
from scan2insole.design import design_insole
from scan2insole.errors import ScanError
from scan2insole.heightmap import envelope, sample
from scan2insole.intake import clean_and_frame
from scan2insole.kind import detect_kind
from scan2insole.load import load_scan
from scan2insole.profile import load_profile
from scan2insole.records import FootAnalysis, FramedFoot, InsoleDesign, RawScan
from scan2insole.sampling import surface_samples
from scan2insole.synthetic import Artefacts, FootParams, synthetic_scan
from scan2insole.synthetic.impressions import FoamBox, PlantarSheet, foam_impression, plantar_scan
from tests.conftest import real_scan

TOL_MM = 2.0  # issue 10: length, ball width and medial arch height against the truth
TOP_RMS_MM = 1.0  # issue 10: the insole's top surface against the full-foot scan's insole
# A foam box shows the sole only where the foot reached the foam. The default high arch's medial
# border stands 48 mm above the ground (edge of the synthetic surface), deeper than the 40 mm
# the boxes go: its imprint's medial edge lies inside the foot's there, so the medial
# arch line (25 % of the ball width in from that edge) reads low. For these cases the test asks
# for what the pipeline says instead: the open edge is reported and the arch reads low.
SHALLOW_FOR_THE_ARCH = {("high-left", "foam mesh"), ("high-left", "foam cloud")}
SHALLOW_READS_LOW_MM = (-6.0, 0.0)

FEET = {
    "normal-right": FootParams(),
    "high-left": FootParams(
        arch_type="high",
        side="left",
        foot_length_mm=245.0,
        ball_width_mm=93.0,
        heel_width_mm=65.0,
        dorsal_height_50_mm=66.0,
    ),
    "flat-right": FootParams(
        arch_type="flat",
        foot_length_mm=285.0,
        ball_width_mm=110.0,
        heel_width_mm=78.0,
        dorsal_height_50_mm=70.0,
    ),
}
# impression depth (mm) of the foam mesh and the foam cloud of each foot (issue: 15-40 mm)
DEPTHS_MM = {"normal-right": (40.0, 35.0), "high-left": (40.0, 38.0), "flat-right": (25.0, 30.0)}
CASES = ("foam mesh", "foam cloud", "plantar mesh", "plantar cloud")


def _scans(name: str, params: FootParams, seed: int) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    deep_mesh, deep_cloud = DEPTHS_MM[name]
    return {
        "foot": synthetic_scan(params, Artefacts(rotate=True, translate_mm=200.0), rng=rng),
        "foam mesh": foam_impression(
            params,
            FoamBox(depth_mm=deep_mesh, box_walls=True, table=True),
            Artefacts(rotate=True, translate_mm=300.0, unit="cm"),
            rng=rng,
        ),
        "foam cloud": foam_impression(
            params,
            FoamBox(depth_mm=deep_cloud),
            Artefacts(
                rotate=True,
                point_cloud=True,
                n_points=150_000,
                noise_mm=0.3,
                unit="m",
                permute=True,
            ),
            rng=rng,
        ),
        "plantar mesh": plantar_scan(
            params, PlantarSheet(sides_mm=8.0), Artefacts(rotate=True, unit="in"), rng=rng
        ),
        "plantar cloud": plantar_scan(
            params,
            PlantarSheet(),
            Artefacts(rotate=True, point_cloud=True, n_points=100_000, noise_mm=0.3),
            rng=rng,
        ),
    }


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Outcome:
    foot: FramedFoot
    analysis: FootAnalysis
    design: InsoleDesign
    truth: object


def _raw(scan) -> RawScan:
    return RawScan(vertices=scan.vertices, faces=scan.faces, format="x", sha256="0", name="s")


def top_rms_mm(reference: Outcome, other: Outcome) -> float:
    """RMS height difference (mm) of two insoles' top surfaces over their common outline.

    The reference's top (its grid points inside its outline) is carried into the other's design
    frame through the scanner and the foot's truth frame, so the insoles are compared as objects
    under the foot, whatever frame each scan was put in, and sampled there on the other's top.
    """
    hm = reference.design.top
    x, y = np.meshgrid(hm.x_mm, hm.y_mm)
    pts = np.column_stack([x.ravel(), y.ravel(), hm.z_mm.ravel()])
    pts = pts[Path(reference.design.outline_mm).contains_points(pts[:, :2])]
    m = (
        other.foot.frame.foot_from_scanner
        @ np.linalg.inv(other.truth.design_from_scanner)
        @ reference.truth.design_from_scanner
        @ np.linalg.inv(reference.foot.frame.foot_from_scanner)
    )
    there = pts @ m[:3, :3].T + m[:3, 3]
    common = Path(other.design.outline_mm).contains_points(there[:, :2])
    diff = sample(other.design.top, there[common, :2]) - there[common, 2]
    diff = diff[np.isfinite(diff)]
    return float(np.sqrt(np.mean(diff * diff)))


@pytest.fixture(scope="module")
def outcomes() -> dict[tuple[str, str], Outcome]:
    profile = load_profile("neutral")
    out = {}
    for seed, (name, params) in enumerate(FEET.items()):
        for case, scan in _scans(name, params, seed).items():
            foot = clean_and_frame(_raw(scan))
            analysis = analyse_foot(foot)
            out[(name, case)] = Outcome(
                foot=foot,
                analysis=analysis,
                design=design_insole(analysis, profile),
                truth=scan.truth,
            )
    return out


ALL = [(name, case) for name in FEET for case in CASES]


@pytest.mark.parametrize(("name", "case"), [(n, "foot") for n in FEET] + ALL)
def test_kind_and_side_are_detected(outcomes, name, case):
    o = outcomes[(name, case)]
    assert o.foot.kind == case.split()[0]
    assert o.foot.frame.side == FEET[name].side
    assert o.foot.kind_confidence_frac >= 0.75


@pytest.mark.parametrize(("name", "case"), ALL)
def test_length_width_and_arch_match_the_truth(outcomes, name, case):
    o = outcomes[(name, case)]
    m, truth = o.analysis.measurements, o.truth
    assert m.foot_length_mm == pytest.approx(truth.foot_length_mm, abs=TOL_MM)
    assert m.ball_width_mm == pytest.approx(truth.ball_width_mm, abs=TOL_MM)
    arch_error = m.medial_arch_height_mm - truth.medial_arch_height_mm
    if (name, case) in SHALLOW_FOR_THE_ARCH:
        assert SHALLOW_READS_LOW_MM[0] < arch_error < SHALLOW_READS_LOW_MM[1]
        assert any("sole stood higher than the foam" in r for r in o.foot.quality.reasons)
    else:
        assert abs(arch_error) <= TOL_MM


@pytest.mark.parametrize(("name", "case"), ALL)
def test_insole_top_matches_the_full_foot_insole(outcomes, name, case):
    assert top_rms_mm(outcomes[(name, "foot")], outcomes[(name, case)]) <= TOP_RMS_MM


def test_the_comparison_sees_a_different_foot(outcomes):
    """The top-surface RMS is not blind: another foot's insole is far off."""
    a, b = outcomes[("normal-right", "foot")], outcomes[("flat-right", "plantar mesh")]
    assert top_rms_mm(a, b) > 3 * TOP_RMS_MM


@pytest.mark.parametrize("case", ["foam cloud", "plantar mesh"])
def test_measures_of_the_dorsum_are_null_with_the_reason(outcomes, case):
    o = outcomes[("normal-right", case)]
    m = o.analysis.measurements
    assert math.isnan(m.dorsal_height_50_mm) and math.isnan(m.arch_height_index)
    assert any("shows no dorsum" in r for r in o.analysis.foot.quality.reasons)
    foot = outcomes[("normal-right", "foot")].analysis.measurements
    assert foot.dorsal_height_50_mm == pytest.approx(FEET["normal-right"].dorsal_height_50_mm, 2)


# --- the decision alone: feet and foam boxes in several poses, meshes and clouds -------------

POSES = (11, 12, 13)


def _detect(scan) -> str:
    return detect_kind(scan.vertices * scan.truth.mm_per_unit, scan.faces).kind


@pytest.mark.parametrize("cloud", [False, True])
@pytest.mark.parametrize("seed", POSES)
def test_a_foot_is_never_a_foam_box_and_a_foam_box_never_a_foot(seed, cloud):
    rng = np.random.default_rng(seed)
    params = FootParams(arch_type=("flat", "normal", "high")[seed % 3], side="left")
    art = Artefacts(rotate=True, point_cloud=cloud, n_points=80_000, noise_mm=0.3 * cloud)
    foot_art = Artefacts(
        rotate=True, point_cloud=cloud, n_points=80_000, noise_mm=0.3, floor=True, leg_stump=True
    )
    kinds = {
        "foot": _detect(synthetic_scan(params, art, rng=rng)),
        "foot with floor and leg": _detect(synthetic_scan(params, foot_art, rng=rng)),
        "foam": _detect(foam_impression(params, FoamBox(depth_mm=15.0 + seed), art, rng=rng)),
        "foam in a box on a table": _detect(
            foam_impression(params, FoamBox(box_walls=True, table=True), art, rng=rng)
        ),
        "plantar": _detect(plantar_scan(params, PlantarSheet(sides_mm=5.0), art, rng=rng)),
    }
    assert kinds == {
        "foot": "foot",
        "foot with floor and leg": "foot",
        "foam": "foam",
        "foam in a box on a table": "foam",
        "plantar": "plantar",
    }


def test_forced_kind_takes_over_and_says_what_the_scan_looked_like():
    scan = plantar_scan(
        FootParams(), artefacts=Artefacts(rotate=True), rng=np.random.default_rng(1)
    )
    forced = detect_kind(scan.vertices, scan.faces, forced="plantar")
    assert forced.kind == "plantar" and not forced.detected and forced.confidence_frac == 1.0
    assert forced.reason.startswith("forced by --kind plantar; the scan looks like plantar")
    foot = clean_and_frame(_raw(scan), kind="foot")  # the foot path, as asked
    assert foot.kind == "foot" and foot.kind_reason == "forced by --kind foot"
    assert len(foot.points_mm) < len(scan.vertices)  # clean took the sheet's contact for a floor


@pytest.mark.parametrize("kind", ["foam", "plantar"])
def test_same_sheet_same_frame_whatever_the_point_order(kind):
    params = FootParams(side="left")
    art = Artefacts(rotate=True, point_cloud=True, n_points=60_000, noise_mm=0.3)
    make = foam_impression if kind == "foam" else plantar_scan
    scan = make(params, artefacts=art, rng=np.random.default_rng(4))
    frames = [clean_and_frame(_raw(scan)).frame.foot_from_scanner for _ in range(2)]
    np.testing.assert_array_equal(frames[0], frames[1])
    order = np.random.default_rng(5).permutation(len(scan.vertices))
    shuffled = RawScan(
        vertices=scan.vertices[order], faces=scan.faces, format="x", sha256="0", name="s"
    )
    np.testing.assert_allclose(
        clean_and_frame(shuffled).frame.foot_from_scanner, frames[0], atol=1e-6, rtol=0
    )


def test_forcing_foam_on_a_scan_without_a_cavity_is_refused_in_one_line():
    scan = synthetic_scan(FootParams(), Artefacts(rotate=True), rng=np.random.default_rng(2))
    with pytest.raises(ScanError) as err:
        clean_and_frame(_raw(scan), kind="foam")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("--kind foam: expected a plane around a hole with the imprint")
    assert "the scan looks like foot" not in message and "a closed body" in message


@pytest.mark.parametrize(
    "relative",
    [
        "dupontgu_my-feet/right_foot.stl",
        "dupontgu_my-feet/left_foot.obj",
        "ollieboyne_focus_find-template/template.obj",
        "ollieboyne_find_demo-template-lowres/template.obj",
    ],
)
def test_real_foot_scans_stay_feet(relative):
    raw = load_scan(real_scan(relative))
    decision = detect_kind(raw.vertices * 1000.0, raw.faces)  # these files are in metres
    assert decision.kind == "foot", decision.reason


# --- real geometry: a plantar sheet and a foam box made from a real foot scan ----------------

REAL_FOAM_DEPTH_MM = 40.0
REAL_RIM_MM = 30.0
REAL_SOLE_MAX_MM = 60.0  # a plantar scanner sees the sole and the lowest part of the sides


def _from_foot_frame(points: np.ndarray, foot: FramedFoot) -> np.ndarray:
    m = np.linalg.inv(foot.frame.foot_from_scanner)
    return points @ m[:3, :3].T + m[:3, 3]


def _real_derived(foot: FramedFoot) -> dict[str, RawScan]:
    """A plantar-only cloud and a foam-box cloud of a framed real foot, in its scanner frame.

    The plantar cloud is the foot's lower envelope on a 1 mm grid (what a scanner below sees);
    the foam box is that envelope pressed REAL_FOAM_DEPTH_MM into a plane reaching REAL_RIM_MM
    around the foot, with vertical walls where the foot went in.
    """
    dense = surface_samples(foot.points_mm, foot.faces, spacing_mm=0.7)
    low = envelope(dense, cell_mm=1.0, which="lower")
    x, y = np.meshgrid(low.x_mm, low.y_mm)
    z = low.z_mm
    sole = np.isfinite(z) & (z < REAL_SOLE_MAX_MM)
    plantar = np.column_stack([x[sole], y[sole], z[sole]])
    pad = int(REAL_RIM_MM)
    zz = np.pad(z, pad, constant_values=np.nan)
    xs = low.x_mm[0] + np.arange(zz.shape[1]) - pad
    ys = low.y_mm[0] + np.arange(zz.shape[0]) - pad
    gx, gy = np.meshgrid(xs, ys)
    crushed = np.isfinite(zz) & (zz < REAL_FOAM_DEPTH_MM)
    h = np.where(crushed, zz, REAL_FOAM_DEPTH_MM)
    rim = crushed & ~ndimage.binary_erosion(crushed)
    walls = [
        np.column_stack([gx[rim], gy[rim], np.minimum(h[rim] + t, REAL_FOAM_DEPTH_MM)])
        for t in np.arange(1.0, REAL_FOAM_DEPTH_MM, 1.0)
    ]
    foam = np.vstack([np.column_stack([gx.ravel(), gy.ravel(), h.ravel()]), *walls])
    no_faces = np.zeros((0, 3), dtype=np.int64)
    return {
        kind: RawScan(
            vertices=_from_foot_frame(pts, foot), faces=no_faces, format="x", sha256="0", name=kind
        )
        for kind, pts in (("plantar", plantar), ("foam", foam))
    }


def test_sheets_made_from_a_real_foot_give_its_measures_and_insole():
    """Real geometry, synthetic capture: the dupontgu right foot as a plantar scanner and a foam
    box would show it. No real foam-box or plantar-only scan is openly licensed (README of
    ../shared/real_scans)."""
    raw = load_scan(real_scan("dupontgu_my-feet/right_foot.stl"))
    profile = load_profile("neutral")
    same_frame = SimpleNamespace(design_from_scanner=np.eye(4))

    def outcome(scan: RawScan) -> Outcome:
        foot = clean_and_frame(scan)
        analysis = analyse_foot(foot)
        design = design_insole(analysis, profile)
        return Outcome(foot=foot, analysis=analysis, design=design, truth=same_frame)

    reference = outcome(raw)  # foot_from_scanner maps scanner mm: the sheets share that frame
    ref = reference.analysis.measurements
    for kind, scan in _real_derived(reference.foot).items():
        o = outcome(scan)
        m = o.analysis.measurements
        assert o.foot.kind == kind and o.foot.frame.side == "right"
        assert m.foot_length_mm == pytest.approx(ref.foot_length_mm, abs=TOL_MM)
        assert m.ball_width_mm == pytest.approx(ref.ball_width_mm, abs=TOL_MM)
        assert m.medial_arch_height_mm == pytest.approx(ref.medial_arch_height_mm, abs=TOL_MM)
        assert top_rms_mm(reference, o) <= TOP_RMS_MM
