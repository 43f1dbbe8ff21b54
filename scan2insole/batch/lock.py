"""One batch at a time per output folder: an exclusive ``flock`` on a hidden lock file.

The kernel drops the lock when its holder dies, however it dies, so a batch killed with SIGKILL
never leaves a stale lock behind, while two batches started on one folder cannot interleave
their summaries or remove each other's temporary files.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scan2insole.errors import OutputError

LOCK_NAME = ".scan2insole-batch.lock"


@contextmanager
def output_folder_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock for the ``with`` block.

    Raises
    ------
    OutputError
        When another batch holds it, or the folder cannot be written.
    """
    try:
        fd = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise OutputError(f"{out_dir}: cannot write to the output folder ({err.strerror})") from err
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise OutputError(
                f"{out_dir}: another batch is writing to this output folder; wait for it or "
                "choose another folder"
            ) from err
        yield
    finally:
        os.close(fd)
