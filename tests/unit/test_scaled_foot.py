"""scaled_foot_params keeps every proportion of the default foot at another length."""

from __future__ import annotations

import pytest

from scan2insole.synthetic import FootParams, scaled_foot_params


@pytest.mark.parametrize("length_mm", [230.0, 265.0, 290.0])
def test_a_scaled_foot_keeps_the_default_proportions(length_mm: float) -> None:
    base = FootParams()
    foot = scaled_foot_params(length_mm, arch_type="high", side="left")
    assert foot.foot_length_mm == length_mm
    for name in ("ball_width_mm", "heel_width_mm", "dorsal_height_50_mm"):
        ratio = getattr(foot, name) / foot.foot_length_mm
        assert ratio == pytest.approx(getattr(base, name) / base.foot_length_mm, rel=1e-12)
    assert (foot.arch_type, foot.side) == ("high", "left")
