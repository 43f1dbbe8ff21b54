"""Synthetic feet for the design tests, analysed once per process.

The foot is put straight into the design frame (identity ``foot_from_scanner``), so the
synthetic ground truth (landmarks, outline) is the design frame's truth and the design tests
measure the design, solid and export stages alone, not the frame estimate.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from scan2insole.analyse import analyse_foot
from scan2insole.records import FootAnalysis
from scan2insole.synthetic.framed import in_true_frame
from scan2insole.synthetic.mesh import foot_mesh
from scan2insole.synthetic.params import FootParams, scaled_foot_params

RESOLUTION_MM = 2.0


def synthetic_params(arch_type: str = "normal", foot_length_mm: float = 265.0) -> FootParams:
    """The default adult foot, scaled to ``foot_length_mm``, with the given arch."""
    return scaled_foot_params(foot_length_mm, arch_type=arch_type)


@lru_cache(maxsize=8)
def synthetic_analysis(arch_type: str = "normal", foot_length_mm: float = 265.0) -> FootAnalysis:
    """The analysis of a right synthetic foot placed in the design frame."""
    vertices, faces = foot_mesh(
        synthetic_params(arch_type, foot_length_mm), resolution_mm=RESOLUTION_MM
    )
    foot = in_true_frame(vertices, faces)
    return analyse_foot(foot)


def exported(analysis: FootAnalysis, overrides: dict[str, str], *, side: str = "right") -> bytes:
    """The exported STL bytes of the neutral profile with ``overrides`` (``--set`` syntax)."""
    from scan2insole.profile import load_profile
    from scan2insole.realized import exported_stl

    return exported_stl(analysis, load_profile("neutral", overrides=overrides), side=side)


def realized(analysis: FootAnalysis, overrides: dict[str, str], *, side: str = "right") -> dict:
    """name -> RealizedValue of the neutral profile with ``overrides``, measured off its STL."""
    from scan2insole.profile import load_profile
    from scan2insole.realized import exported_stl, measure_realized

    profile = load_profile("neutral", overrides=overrides)
    data = exported_stl(analysis, profile, side=side)
    return {v.name: v for v in measure_realized(analysis, profile, data, side=side).values}


def surface_vertices(data: bytes, which: str = "top") -> np.ndarray:
    """(n, 3) the top (or bottom) surface's vertices of an exported height-field insole: at each
    x, y the highest (lowest) vertex, rows sorted by x then y. Read with trimesh, independently
    of ``realized/``, to cross-check its figures."""
    import io

    import trimesh

    mesh = trimesh.load(io.BytesIO(data), file_type="stl", process=False, force="mesh")
    mesh.merge_vertices()
    v = np.asarray(mesh.vertices, dtype=np.float64)
    sign = -1.0 if which == "top" else 1.0
    order = np.lexsort((sign * v[:, 2], v[:, 1], v[:, 0]))
    v = v[order]
    first = np.ones(len(v), dtype=bool)
    first[1:] = np.any(v[1:, :2] != v[:-1, :2], axis=1)
    return v[first]


def rise(data: bytes, reference: bytes, which: str = "top") -> np.ndarray:
    """(n, 3) x, y and the rise in z of one surface over a reference export of the same outline,
    vertex by vertex (both exports share their triangulation)."""
    a, b = surface_vertices(data, which), surface_vertices(reference, which)
    assert a.shape == b.shape and np.array_equal(a[:, :2], b[:, :2])
    return np.column_stack([a[:, :2], a[:, 2] - b[:, 2]])
