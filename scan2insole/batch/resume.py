"""``--resume``: which scans an earlier run already finished, proved by the sha256 of their files.

A scan is skipped only when the earlier ``summary.json`` says it was ``done`` by this version of
scan2insole, from the same input bytes, with the same profile (by hash), side and units
settings, it recorded the kinds of files this run would write (the clinical report and its
pictures exactly when this run writes reports), and every file it recorded (its own and its
pair's, each report picture included) is on disk with the sha256 the summary recorded. Anything
less (a file missing, truncated by a power cut, edited, a scan replaced) and the scan is made
again (with its pair partner: a pair is one job); outputs are replaced atomically, so a resumed
run never leaves two copies or half a file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

HASH_CHUNK_BYTES = 1024**2


def file_sha256(path: Path) -> str | None:
    """Hex sha256 of a file's bytes; None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(HASH_CHUNK_BYTES):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def is_complete(
    previous: dict[str, Any] | None,
    *,
    version: str,
    scan: Path,
    profile_sha256: str,
    side: str,
    units: str,
    out_dir: Path,
    needed: dict[str, str],
) -> bool:
    """Whether the earlier run's row for a scan proves its outputs complete and valid.

    Parameters
    ----------
    previous
        The scan's row in the earlier ``summary.json``, or None.
    version
        This scan2insole's version: another version may make other bytes.
    scan
        The input file now (its bytes must hash as they did then).
    profile_sha256, side, units
        The settings the scan would be made with now.
    out_dir
        The output folder.
    needed
        ``kind -> path relative to out_dir`` of every output this run needs whose name is known
        before the scan is made (``stl``, ``3mf``, ``report_json``, ``report_html``). With
        ``report_html``, report pictures (``report_png``) must be recorded too, and without it
        none; the pair's files (``pair_*``) are checked as recorded.
    """
    if previous is None or previous.get("status") != "done":
        return False
    if previous.get("version") != version:
        return False
    if (
        previous.get("profile_sha256") != profile_sha256
        or previous.get("side_setting") != side
        or previous.get("units_setting") != units
    ):
        return False
    recorded = [o for o in previous.get("outputs", []) if isinstance(o, dict)]
    kinds = {str(o.get("kind")) for o in recorded}
    own = {kind for kind in kinds if not kind.startswith("pair_")}
    if own != set(needed) | ({"report_png"} if "report_html" in needed else set()):
        return False
    paths = {(o.get("kind"), o.get("path")) for o in recorded}
    if any((kind, rel) not in paths for kind, rel in needed.items()):
        return False
    for out in recorded:
        if file_sha256(out_dir / str(out.get("path"))) != out.get("sha256"):
            return False
    return file_sha256(scan) == previous.get("input_sha256")
