import numpy as np
import pytest

from scan2insole.outline import signed_area
from scan2insole.records import HeightMap, InsoleDesign
from scan2insole.solid import build_solid, triangulate
from scan2insole.verify import verify_mesh


def _outline(kind: str) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, 300, endpoint=False)
    if kind == "ellipse":
        return np.stack([130 + 130 * np.cos(t), 50 * np.sin(t)], axis=1)
    # a kidney: concave on one side, like the medial border of an insole
    r = 1.0 - 0.25 * np.cos(t) ** 8 * (np.sin(t) > 0)
    return np.stack([130 + 130 * r * np.cos(t), 50 * r * np.sin(t)], axis=1)


def _field(z: np.ndarray) -> HeightMap:
    return HeightMap(origin_mm=np.array([-20.0, -80.0]), cell_mm=1.0, z_mm=z)


@pytest.mark.parametrize("kind", ["ellipse", "kidney"])
def test_triangulation_conforms_to_the_outline(kind: str) -> None:
    outline = _outline(kind)
    pts, tri, nb = triangulate(outline)
    assert nb >= len(outline)
    u, v = pts[tri[:, 1]] - pts[tri[:, 0]], pts[tri[:, 2]] - pts[tri[:, 0]]
    areas = 0.5 * (u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0])
    assert (areas > 0).all()
    # the triangles tile the polygon exactly
    assert areas.sum() == pytest.approx(signed_area(pts[:nb]), rel=1e-9)


@pytest.mark.parametrize("kind", ["ellipse", "kidney"])
def test_solid_is_watertight_and_as_thick_as_its_fields(kind: str) -> None:
    yy, xx = np.mgrid[0:160, 0:300]
    top = 3.0 + 10.0 * np.exp(-((xx - 120.0) ** 2 + (yy - 110.0) ** 2) / 800.0)
    design = InsoleDesign(
        outline_mm=_outline(kind), top=_field(top), bottom=_field(np.zeros_like(top))
    )
    mesh = build_solid(design, side="right")
    report = verify_mesh(
        mesh.vertices_mm, mesh.faces, min_thickness_mm=2.9, bed_mm=(300, 200), max_height_mm=50
    )
    failed = [c.message for c in report.checks if not c.passed]
    assert failed == []
    assert report.figures["min_thickness_mm"] == pytest.approx(3.0, abs=0.05)
    assert report.figures["height_mm"] == pytest.approx(13.0, abs=0.2)
