"""A scan too poor to design from is rejected with its reasons, not designed from guesses."""

from __future__ import annotations

import numpy as np
import pytest

from scan2insole.analyse import analyse_foot
from scan2insole.errors import ScanError
from scan2insole.intake import clean_and_frame
from scan2insole.records import RawScan
from scan2insole.synthetic import Artefacts, FootParams, synthetic_scan


def _analyse(art: Artefacts):
    scan = synthetic_scan(FootParams(), art, rng=np.random.default_rng(5))
    raw = RawScan(vertices=scan.vertices, faces=scan.faces, format="x", sha256="0", name="s")
    return analyse_foot(clean_and_frame(raw))


def test_a_scan_below_the_quality_floor_is_rejected_with_its_reasons(monkeypatch) -> None:
    # a noisy, fragmentary scan scores low in clean; here the floor is raised instead, so the
    # gate itself is what is tested (big sole holes that reach the outline are a known gap: see
    # the issue 4 note)
    import scan2insole.analyse as analyse

    monkeypatch.setattr(analyse, "MIN_QUALITY_FRAC", 0.99)
    with pytest.raises(ScanError, match=r"scan quality 0\.\d+ is below the 0.99 .*filled"):
        _analyse(Artefacts(n_holes=2, hole_radius_mm=10.0))


def test_a_few_small_holes_are_filled_and_reported() -> None:
    a = _analyse(Artefacts(n_holes=2, hole_radius_mm=10.0))
    assert a.foot.quality.score_frac > 0.5
