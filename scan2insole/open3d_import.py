"""The one place scan2insole imports open3d.

open3d's wheel links ``libusb-1.0.so.0`` (for its RealSense/Kinect readers), which a bare Debian
does not have. The ``libusb-package`` wheel ships that library; loading it with RTLD_GLOBAL before
open3d makes the dynamic linker find it, so no system package is needed. Import open3d lazily,
through :func:`open3d`, only where point clouds are processed: it costs 0.5-0.7 s to import
(its plotly/dash viewer alone ~0.25 s), which is why ``make`` applies open3d's radius-outlier
rule with scipy (``clean.isolated_points``, tested against open3d).
"""

from __future__ import annotations

import ctypes
from functools import cache
from types import ModuleType


@cache
def open3d() -> ModuleType:
    """Return the open3d module, preloading the bundled libusb first."""
    import libusb_package

    path = libusb_package.get_library_path()
    if path is not None:
        ctypes.CDLL(str(path), mode=ctypes.RTLD_GLOBAL)
    import open3d as o3d

    o3d.utility.set_verbosity_level(o3d.utility.VerbosityLevel.Error)
    return o3d
