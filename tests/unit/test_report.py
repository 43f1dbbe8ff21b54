"""The clinical report: a page that parses and holds every picture, measurement and realized
value with its unit; pictures that are not blank; the same bytes for the same result."""

from __future__ import annotations

import base64
import io
import math
import types
from dataclasses import fields, replace
from html.parser import HTMLParser

import matplotlib
import numpy as np
import pytest
from PIL import Image

from scan2insole.formats.stl import write_binary
from scan2insole.load import read_scan_bytes
from scan2insole.pipeline import run
from scan2insole.profile import load_profile
from scan2insole.records import Check, VerifyReport
from scan2insole.report import pair_report_files, report_files, report_pictures
from scan2insole.report.cuts import contact_mask
from scan2insole.report.figures_footprint import thirds_of
from scan2insole.report.foot import PICTURES
from scan2insole.report.tables import measurement_names
from scan2insole.synthetic import Artefacts, FootParams, synthetic_scan

MESH_RESOLUTION_MM = 3.0  # a coarse synthetic mesh: fast, and the analysis samples it densely
MIN_PIXEL_STD = 25.0
"""Grey-level standard deviation (0-255) a picture must exceed: a blank or single-colour image
has ~0, a page of text ~30, our pictures 60-90."""
MIN_INK_FRAC = 0.04
"""Share of pixels that must differ from the white background: axes alone give ~1 %."""
AI_TOL = 0.01
"""The footprint picture's print is read off the hole-filled plantar map, the analysis's off the
raw lower envelope (the record does not keep it); on a scan without holes they agree to this."""
ASYMMETRY_TOL_MM = 2.0
"""Foot length is measured within ±2 mm of the truth (ISO 20685, CLINICAL §1.4)."""

_VOID = {"meta", "img", "br", "hr", "link", "input"}


class _Page(HTMLParser):
    """Collects the page's structure: tag balance, images, table rows, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.images: list[dict[str, str]] = []
        self.rows: list[tuple[str, list[str]]] = []
        self.text: list[str] = []
        self._row: list[str] | None = None
        self._row_class = ""
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a)
        if tag == "tr":
            self._row, self._row_class = [], a.get("class") or ""
        if tag in ("td", "th"):
            self._cell = []
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.rows.append((self._row_class, self._row))
            self._row = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _parse(page: bytes) -> _Page:
    p = _Page()
    p.feed(page.decode("utf-8"))
    p.close()
    assert not p.errors, p.errors[:3]
    assert p.stack == [], f"unclosed tags {p.stack}"
    return p


def _result(params: FootParams, profile: str):
    scan = synthetic_scan(
        params, Artefacts(mesh_resolution_mm=MESH_RESOLUTION_MM), rng=np.random.default_rng(5)
    )
    raw = read_scan_bytes(write_binary(scan.vertices, scan.faces), name=f"syn_{params.side}.stl")
    return run(raw, load_profile(profile)), scan.truth


@pytest.fixture(scope="module")
def flat_right():
    """A flat right foot with the pronation profile: post, skive, cup and arch are realized."""
    return _result(FootParams(arch_type="flat"), "pronation")[0]


@pytest.fixture(scope="module")
def files(flat_right) -> dict[str, bytes]:
    return report_files(flat_right, stem="syn_right")


def test_report_files_are_the_page_and_one_png_per_picture(files) -> None:
    assert list(files) == ["syn_right.report.html"] + [
        f"syn_right.report_{name}.png" for name in PICTURES
    ]
    for name in PICTURES:
        assert files[f"syn_right.report_{name}.png"][:8] == b"\x89PNG\r\n\x1a\n"


def test_page_parses_and_embeds_every_picture(files) -> None:
    page = _parse(files["syn_right.report.html"])
    embedded = [base64.b64decode(img["src"].split(",", 1)[1]) for img in page.images]
    assert all(img["src"].startswith("data:image/png;base64,") for img in page.images)
    assert embedded == [files[f"syn_right.report_{n}.png"] for n in PICTURES]
    assert all(img.get("alt") for img in page.images)
    raw = files["syn_right.report.html"]
    # self-contained: no file, network or script reference anywhere
    for needle in (b"http://", b"https://", b"<script", b'src="file', b"/work/", b"/tmp/"):
        assert needle not in raw


def _fixed(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0.0 else text  # "-0.0" reads as a sign error


def _unit_text(name: str, value: float) -> str:
    """How a measurement must read on the page (written here independently of the report)."""
    if name.endswith("_mm2"):
        return f"{_fixed(value, 0)} mm²"
    if name.endswith("_mm"):
        return f"{_fixed(value, 1)} mm"
    if name.endswith("_pct"):
        return f"{_fixed(value, 1)} %"
    return _fixed(value, 3)


def test_page_shows_every_measurement_with_its_unit(flat_right, files) -> None:
    page = _parse(files["syn_right.report.html"])
    cells = {c for _, row in page.rows for c in row}
    m = flat_right.analysis.measurements
    names = measurement_names(m)
    assert {"foot_length_mm", "ball_width_mm", "heel_width_mm"} <= set(names)
    for name in names:
        value = getattr(m, name)
        if value is not None and math.isfinite(value):
            assert _unit_text(name, value) in cells, name
    assert m.foot_type in cells
    lm = flat_right.analysis.landmarks
    for f in fields(lm):
        assert {_unit_text("_mm", v) for v in getattr(lm, f.name)} <= cells, f.name


def test_page_shows_every_realized_value_with_its_unit(flat_right, files) -> None:
    page = _parse(files["syn_right.report.html"])
    table = [(cls, row) for cls, row in page.rows if len(row) == 6 and row[5] != "status"]
    realized = flat_right.realized.values
    assert len(realized) >= 6  # the pronation profile: length, thicknesses, post, skive, cup...
    for v in realized:
        unit = "°" if v.name.endswith("_deg") else " mm"
        text = f"{_fixed(v.realized, 1)}{unit}"
        hits = [(cls, row) for cls, row in table if row[3] == text]
        assert hits, f"{v.name}: {text} not in the realized column"
        assert any(cls == ("ok" if v.within else "bad") for cls, _ in hits), v.name
    post = next(row for _, row in table if row[0] == "rearfoot_post.angle_deg")
    assert post[2:5] == ["4.0°", "4.0°", "± 0.5°"]


def _with(result, **changes):
    """The result with some parts replaced, as a plain object (MakeResult is frozen)."""
    parts = {f.name: getattr(result, f.name) for f in fields(result)}
    return types.SimpleNamespace(**{**parts, **changes})


def test_a_value_outside_its_tolerance_is_red_and_counted(flat_right) -> None:
    block = {
        "rearfoot_post_deg": {"asked": 4.0, "realized": 2.7, "tolerance": 0.5, "within": False},
        "heel_cup_depth_mm": {"asked": 22.0, "realized": 22.2, "tolerance": 0.5},
    }
    page = _parse(report_files(_with(flat_right, realized=block), stem="x")["x.report.html"])
    rows = {row[0]: (cls, row) for cls, row in page.rows if len(row) == 6}
    assert rows["rearfoot_post.angle_deg"][0] == "bad"
    assert rows["rearfoot_post.angle_deg"][1][3:] == ["2.7°", "± 0.5°", "outside"]
    assert rows["heel_cup.depth_mm"][0] == "ok"  # judged from asked and tolerance alone
    assert rows["skive.medial_depth_mm"][1][3] == "–"  # the block does not measure it
    assert "1 of 2 measured parameters within tolerance, 1 OUTSIDE" in "".join(page.text)


def test_a_failed_print_check_is_red_with_its_reason(flat_right) -> None:
    failed = Check(
        name="min_thickness",
        passed=False,
        value=0.3,
        limit=1.5,
        message="thinnest 0.30 mm at x 40, y 10 mm, minimum 1.50 mm",
    )
    verify = VerifyReport(checks=(*flat_right.verify.checks[:2], failed), figures={})
    page = _parse(report_files(_with(flat_right, verify=verify), stem="x")["x.report.html"])
    rows = {row[0]: (cls, row) for cls, row in page.rows if len(row) == 5}
    assert rows["min_thickness"] == (
        "bad",
        ["min_thickness", "FAILED", "0.30", "1.50", failed.message],
    )
    assert rows["watertight"][0] == "ok"
    assert "printable: NO" in "".join(page.text)


def test_missing_landmarks_and_realized_read_not_available(flat_right) -> None:
    bare = _with(
        flat_right,
        analysis=replace(flat_right.analysis, landmarks=None),
        realized=None,
    )
    files = report_files(bare, stem="x")
    page = _parse(files["x.report.html"])
    text = "".join(page.text)
    assert "Landmarks: not available" in text
    assert "realized values not available" in text
    realized = [row[3] for _, row in page.rows if len(row) == 6 and row[5] != "status"]
    assert realized and all(r == "not available" for r in realized)
    assert len(page.images) == len(PICTURES)


def _grey(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.float64)


def test_pictures_are_not_blank(files) -> None:
    for name in PICTURES:
        grey = _grey(files[f"syn_right.report_{name}.png"])
        assert grey.shape[1] == 1300, name
        assert grey.std() > MIN_PIXEL_STD, (name, grey.std())
        assert (grey < 245).mean() > MIN_INK_FRAC, name


def test_same_result_same_bytes_whatever_the_users_matplotlib_settings(flat_right, files) -> None:
    user = {"figure.facecolor": "0.8", "axes.facecolor": "yellow", "axes.linewidth": 3.0}
    with matplotlib.rc_context(user):
        again = report_files(flat_right, stem="syn_right")
    assert again == files


@pytest.mark.parametrize("processes", [1, 2])
def test_same_bytes_drawn_in_one_or_two_processes(flat_right, files, processes: int) -> None:
    assert report_files(flat_right, stem="syn_right", processes=processes) == files


def test_footprint_thirds_give_the_analysed_arch_index(flat_right) -> None:
    a = flat_right.analysis
    contact = contact_mask(a)
    edges, areas = thirds_of(contact, a.plantar.x_mm, a.plantar.cell_mm)
    assert np.all(np.diff(edges) > 0)
    assert areas.sum() == pytest.approx(contact.sum() * a.plantar.cell_mm**2)
    assert areas[1] / areas.sum() == pytest.approx(a.measurements.arch_index, abs=AI_TOL)


def test_pair_report_shows_both_feet_and_their_asymmetry() -> None:
    left, truth_l = _result(FootParams(side="left", foot_length_mm=272.0), "neutral")
    right, truth_r = _result(FootParams(side="right", arch_type="high"), "neutral")
    files = pair_report_files(left, right, stem="syn")
    assert "syn.report_pair.png" in files
    for side in ("left", "right"):
        for name in PICTURES:
            assert f"syn.report_{side}_{name}.png" in files
    page = _parse(files["syn.report.html"])
    assert len(page.images) == 1 + 2 * len(PICTURES)
    rows = {row[0]: (cls, row) for cls, row in page.rows if len(row) == 5}
    length = rows["foot length (pternion to longest toe, along the axis)"][1]
    diff = float(length[3].split(" mm")[0].replace("−", "-"))
    truth = truth_r.foot_length_mm - truth_l.foot_length_mm  # -7 mm
    assert diff == pytest.approx(truth, abs=ASYMMETRY_TOL_MM)
    assert "BEYOND" in length[4]  # 7 mm is far beyond the ±2.1 mm combined uncertainty
    foot_type = rows["foot type"]
    assert foot_type[1][1:4] == ["normal", "high", "DIFFERENT"]
    assert foot_type[0] == "warn"
    grey = _grey(files["syn.report_pair.png"])
    assert grey.std() > MIN_PIXEL_STD
    assert pair_report_files(left, right, stem="syn") == files
    # drawn in one process or split over two, the bytes are the same
    assert pair_report_files(left, right, stem="syn", processes=1) == files
    assert pair_report_files(left, right, stem="syn", processes=2) == files
    # each foot's own report's pictures, handed over, are the pair report's
    drawn = tuple(
        report_pictures(report_files(r, stem=f"syn_{k}"), stem=f"syn_{k}")
        for k, r in (("l", left), ("r", right))
    )
    assert pair_report_files(left, right, stem="syn", drawn=drawn) == files
