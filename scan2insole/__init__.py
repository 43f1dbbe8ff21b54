"""scan2insole: turn a 3D foot scan into a watertight, 3D-printable corrective insole."""

from importlib.metadata import PackageNotFoundError, version

from scan2insole.errors import (
    DesignError,
    OutputError,
    PrintabilityError,
    ProfileError,
    Scan2InsoleError,
    ScanError,
)

try:
    __version__ = version("scan2insole")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "DesignError",
    "OutputError",
    "PrintabilityError",
    "ProfileError",
    "Scan2InsoleError",
    "ScanError",
    "__version__",
]
