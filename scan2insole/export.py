"""Export: the insole in its output frame, the files' bytes, and writing them atomically.

Output frame: millimetres, bottom on z = 0, +x along the insole heel to toe, the foot's own side
(left insoles mirrored back out of the right-foot design frame). Bytes are deterministic: no
timestamps, no absolute paths, fixed float formatting.

The STL holds the insole in the output frame. The 3MF holds the same triangles as an object in
that frame, and a build item that places it centred on the profile's bed, straight if it has room,
else turned about z (``bed_layout``); a left and a right insole can share one 3MF, laid out side
by side as one plate. 3MF metadata: Title, Application (with the version), Designer and
Description (from the profile) and ``scan2insole:scan_sha256``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from scan2insole import __version__
from scan2insole.bed_layout import Layout, lay_out
from scan2insole.errors import OutputError
from scan2insole.formats import stl, threemf
from scan2insole.records import InsoleMesh

_MIRROR_Y = np.diag([1.0, -1.0, 1.0])
_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once at import: the process umask cannot be read without setting it


def orient(mesh: InsoleMesh) -> InsoleMesh:
    """The insole in the output frame: mirrored to a left insole if the foot was left."""
    v = mesh.vertices_mm.copy()
    f = mesh.faces
    if mesh.side == "left":
        v = v @ _MIRROR_Y
        f = f[:, ::-1]
    v[:, 2] -= v[:, 2].min()
    return InsoleMesh(vertices_mm=v, faces=f, side=mesh.side)


def stl_bytes(mesh: InsoleMesh) -> bytes:
    return stl.write_binary(mesh.vertices_mm, mesh.faces)


def layout_on_bed(meshes: Sequence[InsoleMesh], *, bed_mm: tuple[float, float]) -> Layout:
    """Where one insole, or a left+right pair (in the order given), goes on the bed."""
    return lay_out([(m.vertices_mm, m.faces) for m in meshes], bed_mm)


def threemf_metadata(
    *, title: str, profile_name: str, profile_description: str, scan_sha256: Sequence[str]
) -> dict[str, str]:
    """The 3MF model metadata: the core spec's names, then ours (scans in part order)."""
    return {
        "Title": title,
        "Application": f"scan2insole {__version__}",
        "Designer": f"scan2insole profile '{profile_name}'",
        "Description": profile_description or f"profile {profile_name}",
        "scan2insole:scan_sha256": " ".join(scan_sha256),
    }


def threemf_bytes(
    meshes: Sequence[InsoleMesh],
    *,
    names: Sequence[str],
    layout: Layout,
    metadata: dict[str, str],
) -> bytes:
    """A 3MF of the insoles (output frame), each placed on the bed by ``layout``."""
    parts = [
        threemf.Part(name=n, vertices_mm=m.vertices_mm, faces=m.faces, build_from_part=t)
        for m, n, t in zip(meshes, names, layout.bed_from_part, strict=True)
    ]
    return threemf.write(parts, metadata=metadata)


def _clean_json(value: Any) -> Any:
    """Floats rounded to 4 decimals (deterministic text), numpy types made plain."""
    if isinstance(value, dict):
        return {str(k): _clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_json(v) for v in value]
    if isinstance(value, np.ndarray):
        return _clean_json(value.tolist())
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return None if not np.isfinite(f) else round(f, 4) + 0.0
    return value


def json_bytes(report: dict[str, Any]) -> bytes:
    return (json.dumps(_clean_json(report), indent=2, ensure_ascii=False) + "\n").encode()


def write_atomically(files: dict[Path, bytes], *, overwrite: bool) -> None:
    """Write every file or none: temp files in the target folder, then renames.

    Raises ``OutputError`` before writing anything if a target exists and ``overwrite`` is off.
    """
    for path in files:
        if path.exists() and not overwrite:
            raise OutputError(f"{path} exists; use --overwrite to replace it")
        if path.parent.exists() and not path.parent.is_dir():
            raise OutputError(f"output folder {path.parent} is not a folder")
    temps: list[tuple[str, Path]] = []
    try:
        for path in files:
            path.parent.mkdir(parents=True, exist_ok=True)
        for path, data in files.items():
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            # mkstemp makes the file private (0600); outputs get the usual mode a plain open()
            # would give, so a print shop's other users and services can read them
            os.fchmod(fd, 0o666 & ~_UMASK)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in temps:
            os.replace(tmp, path)
    except OSError as err:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise OutputError(f"cannot write {err.filename or 'output'}: {err.strerror}") from err
    except BaseException:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise
