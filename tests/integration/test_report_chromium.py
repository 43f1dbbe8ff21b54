"""The HTML report as a browser shows it: headless Chromium renders every embedded picture."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from scan2insole.pipeline import make
from scan2insole.profile import list_profiles, load_profile
from scan2insole.report import report_files
from tests.chromium_setup import chromium, screenshot  # noqa: F401  (session fixture)
from tests.conftest import SAMPLE_SCANS

WINDOW = (1400, 4000)
"""The documented screenshot size (docs/render_report.py): the scan and footprint pictures."""
CONTACT_RGB = np.array([0x2C, 0x7F, 0xB8])
"""The footprint picture's contact colour (figures_footprint.py): only that picture has it."""
MIN_CONTACT_PX = 20_000
"""A foot's contact print covers ~18 000 mm² at ~3 px per mm² in the page: ~50 000 px. Fewer
than this means the picture did not decode or render."""


def test_chromium_renders_the_report_with_its_pictures(chromium, tmp_path: Path) -> None:  # noqa: F811
    profile = "pronation" if "pronation" in list_profiles() else "neutral"
    result = make(SAMPLE_SCANS / "dupontgu_right_foot.stl", load_profile(profile))
    page = tmp_path / "right.report.html"
    page.write_bytes(report_files(result, stem="right")["right.report.html"])
    png = tmp_path / "shot.png"
    screenshot(chromium, page, png, window=WINDOW)
    shot = np.asarray(Image.open(png).convert("RGB")).astype(np.int64)
    assert shot.shape[:2] == (WINDOW[1], WINDOW[0])
    contact = (np.abs(shot - CONTACT_RGB).sum(axis=2) <= 6).sum()
    assert contact > MIN_CONTACT_PX, contact
    grey = shot.mean(axis=2)
    assert (grey < 245).mean() > 0.1  # text, tables and pictures, not an empty page
