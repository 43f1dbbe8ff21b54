"""The floor a ``make`` is compared with: read the scan and write an STL, nothing else.

Run as ``python -m benchmarks.floor SCAN OUT.stl`` in its own process, so the floor pays the same
interpreter start, file read and atomic write as ``make`` and the ratio make / floor is the cost
of the pipeline itself. A point cloud has no triangles, so its floor writes an empty STL.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scan2insole.export import write_atomically
from scan2insole.formats import stl
from scan2insole.load import load_scan


def main(scan: str, out: str) -> None:
    raw = load_scan(scan)
    write_atomically({Path(out): stl.write_binary(raw.vertices, raw.faces)}, overwrite=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
