"""The benchmark's synthetic scans: a foot at a given point count, as a mesh or a cloud.

Scans are made by :func:`scan2insole.synthetic.synthetic_scan` with a scanner's usual artefacts
(a random pose, 0.1 mm noise) from a fixed seed, so every run times the same bytes. A mesh of
``n`` points has ~``n`` vertices (its edge length is chosen for that; see
``SUBDIVIDE_BELOW_MM`` for the densest), written as binary STL
(what most scanners export; vertices are repeated per triangle and merged on load) and as binary
PLY (indexed, float32); a cloud has ``n`` samples, written as binary PLY (float32).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import trimesh

from scan2insole.formats import ply, stl
from scan2insole.synthetic import Artefacts, FootParams, synthetic_scan

Kind = Literal["mesh-stl", "mesh-ply", "cloud-ply"]
KINDS: tuple[Kind, ...] = ("mesh-stl", "mesh-ply", "cloud-ply")
NOISE_MM = 0.1  # a good structured-light scanner's noise
# A mesh's vertex count grows as 1 / edge^2: counted once at this coarse (cheap) edge length, it
# sets the edge length for a wanted count.
CALIBRATION_EDGE_MM = 4.0
SEED = 20_240_609
# The synthetic mesh builder's finest edge is 0.5 mm (~0.7 M vertices for the default foot);
# denser meshes are built at twice the edge and split once (each triangle into four, midpoints
# on the flat triangles, then the noise), which is how a scanner's own upsampling looks too.
SUBDIVIDE_BELOW_MM = 0.6
FINEST_EDGE_MM = 0.55  # the builder's 0.5 mm limit fails on some feet; stay clear of it
CALIBRATION_STEPS = 4
COUNT_TOLERANCE_FRAC = 0.03


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class BenchScan:
    """One benchmark scan file."""

    path: Path
    kind: Kind
    n_points: int
    """Vertices (mesh) or samples (cloud) actually in the file."""


def make_scan(
    folder: Path,
    n_points: int,
    kind: Kind,
    *,
    params: FootParams | None = None,
    seed: int = SEED,
    name: str | None = None,
) -> BenchScan:
    """Write (or reuse, when already there) one synthetic scan of about ``n_points``."""
    params = params or FootParams()
    cloud = kind == "cloud-ply"
    subdivide = not cloud and _edge_for(params, n_points) < SUBDIVIDE_BELOW_MM
    # splitting each triangle in four adds a vertex per edge: ~3 per vertex of a closed mesh
    edge_mm = 2.0 if cloud else _edge_for(params, n_points // 4 if subdivide else n_points)
    suffix = ".stl" if kind == "mesh-stl" else ".ply"
    stem = name or f"foot_{kind}_{n_points}"
    path = folder / f"{stem}{suffix}"
    count = folder / f".{stem}.count"
    if path.exists() and count.exists():
        return BenchScan(path=path, kind=kind, n_points=int(count.read_text()))
    rng = np.random.default_rng(seed)
    scan = synthetic_scan(
        params,
        Artefacts(
            rotate=True,
            translate_mm=50.0,
            noise_mm=0.0 if subdivide else NOISE_MM,
            point_cloud=cloud,
            n_points=n_points,
            mesh_resolution_mm=edge_mm,
        ),
        rng=rng,
    )
    vertices, faces = scan.vertices, scan.faces
    if subdivide:
        vertices, faces = trimesh.remesh.subdivide(vertices, faces)
        vertices = vertices + rng.normal(0.0, NOISE_MM, size=vertices.shape)
    if kind == "mesh-stl":
        data = stl.write_binary(vertices, faces)
    else:
        data = ply.write(vertices, None if cloud else faces, dtype="float32")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    count.write_text(str(len(vertices)))
    return BenchScan(path=path, kind=kind, n_points=len(vertices))


def _edge_for(params: FootParams, n_points: int) -> float:
    """Mesh edge length (mm) that gives about ``n_points`` vertices for this foot.

    The count goes roughly as 1 / edge^2; a few corrections, each counting the mesh at the
    current guess, bring it within ``COUNT_TOLERANCE_FRAC`` (or to the builder's finest edge).
    """
    edge = CALIBRATION_EDGE_MM
    for _ in range(CALIBRATION_STEPS):
        n = len(
            synthetic_scan(
                params, Artefacts(mesh_resolution_mm=edge), rng=np.random.default_rng(0)
            ).vertices
        )
        if abs(n - n_points) <= COUNT_TOLERANCE_FRAC * n_points:
            break
        edge = float(np.clip(edge * math.sqrt(n / n_points), FINEST_EDGE_MM, 10.0))
        if edge == FINEST_EDGE_MM:
            break
    return edge
