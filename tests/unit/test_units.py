import numpy as np
import pytest

from scan2insole.errors import ScanError
from scan2insole.units import MM_PER_UNIT, detect_units


def _box(length_mm: float, unit: str) -> np.ndarray:
    rng = np.random.default_rng(0)
    pts = rng.uniform([0, 0, 0], [length_mm, 0.38 * length_mm, 0.3 * length_mm], (2000, 3))
    return pts / MM_PER_UNIT[unit]


@pytest.mark.parametrize("unit", ["mm", "cm", "m", "in"])
@pytest.mark.parametrize("length_mm", [150.0, 230.0, 270.0, 320.0])
def test_detects_the_unit_a_foot_was_written_in(unit: str, length_mm: float) -> None:
    d = detect_units(_box(length_mm, unit))
    assert d.unit == unit
    assert d.detected
    assert f"{unit} = " in d.reason


# A 3 m foot written in cm reads as a 300 mm object, which only the shape checks can reject;
# in mm and m no unit makes a 3 m or 3 mm object foot-sized.
@pytest.mark.parametrize("unit", ["mm", "m"])
@pytest.mark.parametrize("length_mm", [3000.0, 3.0])
def test_a_3_m_or_3_mm_foot_fits_no_unit(unit: str, length_mm: float) -> None:
    with pytest.raises(ScanError, match="not a foot's size"):
        detect_units(_box(length_mm, unit))


def test_forced_unit_is_used_but_still_checked() -> None:
    d = detect_units(_box(270, "cm"), forced="cm")
    assert (d.unit, d.detected) == ("cm", False)
    with pytest.raises(ScanError, match="with --units mm"):
        detect_units(_box(270, "cm"), forced="mm")
