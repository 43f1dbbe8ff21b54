"""Stage 1, load: read a scan file into a :class:`~scan2insole.records.RawScan`.

The format comes from the content (see :mod:`scan2insole.formats.detect`), never from the
extension alone. Coordinates stay in the file's units and pose; nothing is cleaned here, but a
file that cannot be a scan is rejected with one :class:`~scan2insole.errors.ScanError` line saying
what was expected and what was found. Limits are checked before memory is allocated for what a
header claims, and only regular files are read: a FIFO or a device is refused, never waited on.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from pathlib import PurePath

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.formats import obj, ply, stl
from scan2insole.formats.detect import detect_format
from scan2insole.formats.text import size_text
from scan2insole.records import RawScan

MAX_ELEMENTS = 20_000_000
"""Most vertices or faces a header may claim (and, for OBJ, a quarter of the most lines): 20x the
~1 M points of a dense foot scan. ``make`` measured 0.38 GB at 0.4 M faces and 0.64 GB at 1.6 M
(~0.2 kB a face above a ~0.3 GB base), which extrapolates to ~5 GB at 20 M; refusing larger
claims stops a corrupt count from allocating before the file is read."""
MAX_FILE_BYTES = 1024**3
"""Largest file read: 1 GiB holds a 21 M-triangle binary STL, beyond any foot scan. The whole file
is read into memory, and reading it peaks at ~8 bytes per file byte (binary STL, the worst
measured), so a file at the limit stays near 9 GB: comfortable in 24 GB."""
MAX_ABS_COORDINATE = 1e9
"""Largest coordinate magnitude, in file units: 1e9 mm is 1000 km and 1e9 m a million km, beyond
any scanner's frame in any unit. Larger values are corrupt bits (a flipped exponent of a float32
gives up to 3e38), and their squares would overflow float64 in later stages."""
MIN_VERTICES = 3
"""Fewer points than a triangle cannot be a foot, nor any surface."""


def load_scan(
    path: str | os.PathLike,
    *,
    max_elements: int = MAX_ELEMENTS,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> RawScan:
    """Read a scan file (STL, PLY or OBJ; mesh or point cloud).

    Parameters
    ----------
    path
        The file. Messages name it as given.
    max_elements
        Most vertices or faces the file may claim.
    max_file_bytes
        Largest file size accepted.

    Returns
    -------
    RawScan
        Vertices (n, 3) float64 in file units, faces (m, 3) int64 ((0, 3) for a point cloud),
        the format the content was read as, the SHA-256 of the bytes and the file stem.

    Raises
    ------
    ScanError
        When the file is missing, a directory, unreadable, too big, or not a valid scan.
    """
    shown = os.fsdecode(os.fspath(path))
    data = read_file_bytes(path, max_file_bytes=max_file_bytes)
    return read_scan_bytes(data, name=shown, max_elements=max_elements)


def read_file_bytes(path: str | os.PathLike, *, max_file_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, refusing what is not one or is too big before reading.

    The file is opened without blocking and checked through its open descriptor, so a FIFO or a
    device (``/dev/zero``) is refused instead of hanging or reading forever, even if it replaced
    a regular file after a first look.

    Parameters
    ----------
    path
        The file. Messages name it as given.
    max_file_bytes
        Largest file size accepted.

    Raises
    ------
    ScanError
        When the file is missing, a directory, not a regular file, unreadable or too big.
    """
    shown = os.fsdecode(os.fspath(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            status = os.fstat(fd)
            if stat.S_ISDIR(status.st_mode):
                raise ScanError(f"{shown}: is a directory")
            if not stat.S_ISREG(status.st_mode):
                raise ScanError(f"{shown}: is not a regular file")
            _check_size(status.st_size, max_file_bytes, shown)
            file = open(fd, "rb")  # owns fd from here on; closed by the with below
        except BaseException:
            os.close(fd)
            raise
        with file:
            # read what fstat saw (+1 notices a file that grew since): reading up to the limit
            # would reserve max_file_bytes of address space for every scan
            data = file.read(min(status.st_size, max_file_bytes) + 1)
    except FileNotFoundError as err:
        raise ScanError(f"{shown}: no such file") from err
    except PermissionError as err:
        raise ScanError(f"{shown}: permission denied") from err
    except IsADirectoryError as err:
        raise ScanError(f"{shown}: is a directory") from err
    except OSError as err:
        raise ScanError(f"{shown}: cannot be read ({err.strerror or err})") from err
    _check_size(len(data), max_file_bytes, shown)
    return data


def read_scan_bytes(data: bytes, *, name: str, max_elements: int = MAX_ELEMENTS) -> RawScan:
    """Read a scan held in memory.

    Parameters
    ----------
    data
        The whole file.
    name
        The file's name: messages start with it, its extension breaks format ties, its stem
        names the scan.
    max_elements
        Most vertices or faces the file may claim.

    Returns
    -------
    RawScan
        As :func:`load_scan`.

    Raises
    ------
    ScanError
        When ``data`` is empty, of no known format, malformed, above the limits, holds NaN or
        infinite coordinates, or fewer than 3 vertices.
    """
    data = bytes(data)
    fmt = detect_format(data, name=name)
    # hashlib releases the GIL on large buffers: the digest of a 100 MB scan (0.1 s) is taken
    # while the parser works
    digest: list[str] = []
    hasher = threading.Thread(target=lambda: digest.append(hashlib.sha256(data).hexdigest()))
    hasher.start()
    try:
        if fmt == "stl-binary":
            vertices, faces = stl.read_binary(data, name=name, max_elements=max_elements)
        elif fmt == "stl-ascii":
            vertices, faces = stl.read_ascii(data, name=name, max_elements=max_elements)
        elif fmt == "obj":
            mesh = obj.read(data, name=name, max_elements=max_elements)
            vertices, faces = mesh.vertices, mesh.faces
        else:
            vertices, faces = ply.read(data, name=name, max_elements=max_elements)
    except MemoryError as err:
        # limits keep claims within the file size, so this is a large file on a small machine
        raise ScanError(
            f"{name}: not enough memory to read {size_text(len(data))} of {fmt}"
        ) from err
    finally:
        hasher.join()
    _check_geometry(vertices, name=name)
    return RawScan(
        vertices=vertices,
        faces=faces,
        format=fmt,
        sha256=digest[0],
        name=_text(PurePath(name).stem),
    )


def _text(name: str) -> str:
    """``name`` as text that encodes to UTF-8: the undecodable bytes a file name may hold (kept by
    ``os.fsdecode`` as lone surrogates) shown as ``\\xff`` escapes, so reports can be written."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def _check_size(n_bytes: int, max_file_bytes: int, shown: str) -> None:
    if n_bytes > max_file_bytes:
        raise ScanError(
            f"{shown}: file is {_bytes(n_bytes)}, above the limit of {_bytes(max_file_bytes)}"
        )


def _bytes(n_bytes: int) -> str:
    """Exact byte count, with the rounded size when that reads easier: ``3000 bytes (3.0 kB)``."""
    return f"{n_bytes} bytes" + (f" ({size_text(n_bytes)})" if n_bytes >= 1000 else "")


def _check_geometry(vertices: np.ndarray, *, name: str) -> None:
    """Reject NaN/infinite coordinates (never silently dropped), absurdly large ones and too
    few vertices."""
    n_bad = int(np.count_nonzero(~np.isfinite(vertices).all(axis=1)))
    if n_bad:
        noun = "vertex has" if n_bad == 1 else "vertices have"
        raise ScanError(
            f"{name}: {n_bad} {noun} NaN or infinite coordinates (of {len(vertices)}), "
            "expected finite numbers"
        )
    far = np.abs(vertices).max(axis=1) > MAX_ABS_COORDINATE
    if far.any():
        at = int(np.flatnonzero(far)[0])
        value = float(vertices[at][np.argmax(np.abs(vertices[at]))])
        raise ScanError(
            f"{name}: vertex {at} has coordinate {value:.3g}, beyond {MAX_ABS_COORDINATE:g} "
            "in size (file units), more than any scan holds: a corrupt value"
        )
    if len(vertices) < MIN_VERTICES:
        raise ScanError(
            f"{name}: holds {len(vertices)} vertices, expected at least {MIN_VERTICES} "
            "for a mesh or point cloud"
        )
