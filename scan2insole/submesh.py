"""The part of a mesh (or cloud) on a set of kept vertices."""

from __future__ import annotations

import numpy as np


def submesh(
    points: np.ndarray, faces: np.ndarray, keep: np.ndarray, *, drop_unused: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """The kept points and the faces whose three vertices are kept, renumbered.

    Parameters
    ----------
    points : (n, 3) float64.
    faces : (m, 3) int64; m == 0 for a point cloud.
    keep : (n,) bool.
    drop_unused : also drop kept vertices no kept face uses (a mesh's loose points).

    Returns
    -------
    The points and faces; the inputs themselves where nothing is dropped (a 1 M-vertex scan
    with nothing to cut is not copied).
    """
    if len(faces):
        # by column: a (m, 3) gather reduced along axis 1 costs several times more
        whole = keep[faces[:, 0]] & keep[faces[:, 1]] & keep[faces[:, 2]]
        if not whole.all():
            faces = faces[whole]
        if drop_unused:
            used = np.zeros(len(points), dtype=bool)
            used[faces.ravel()] = True
            keep = keep & used
    if keep.all():
        return points, faces
    if len(faces):
        faces = (np.cumsum(keep, dtype=np.int64) - 1)[faces]
    return points[keep], faces
