"""Export: the insole in its output frame, the files' bytes, and writing them atomically.

Output frame: millimetres, bottom on z = 0, +x along the insole heel to toe, the foot's own side
(left insoles mirrored back out of the right-foot design frame). Bytes are deterministic: no
timestamps, no absolute paths, fixed float formatting.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from scan2insole.errors import OutputError
from scan2insole.formats import stl
from scan2insole.records import InsoleMesh

_MIRROR_Y = np.diag([1.0, -1.0, 1.0])


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
