"""Regenerate the synthetic sample scan: ``python -m sample_scans.regenerate`` from the repo root.

A left foot, normal arch, 250 mm long, scanned as a 150k-point cloud with 0.3 mm noise, a floor
patch, in metres and a tilted pose: the kind of file a phone or handheld scanner writes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scan2insole.formats import ply
from scan2insole.synthetic import Artefacts, FootParams, synthetic_scan

OUT = Path(__file__).resolve().parent / "synthetic_left_cloud.ply"


def main() -> None:
    pose = np.eye(4)
    a = np.radians(35.0)
    pose[:3, :3] = [[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]]
    pose[:3, 3] = [120.0, -40.0, 15.0]
    params = FootParams(
        foot_length_mm=250.0,
        ball_width_mm=96.0,
        heel_width_mm=64.0,
        arch_type="normal",
        side="left",
    )
    art = Artefacts(
        scanner_from_foot=pose,
        unit="m",
        noise_mm=0.3,
        floor=True,
        point_cloud=True,
        n_points=150_000,
    )
    scan = synthetic_scan(params, art, rng=np.random.default_rng(20261124))
    OUT.write_bytes(ply.write(scan.vertices, None, binary=True, dtype="float32"))


if __name__ == "__main__":
    main()
