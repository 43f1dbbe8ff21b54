"""The exception hierarchy.

Everything that rejects *input* (a scan, a profile, a file given to ``verify``) derives from
:class:`Scan2InsoleError`; the CLI turns it into one ``scan2insole: error: ...`` line and exit 2.
Bugs are never ``Scan2InsoleError``: they crash with a traceback so they look different.
"""


class Scan2InsoleError(Exception):
    """Root of every error caused by input the user gave us."""


class ScanError(Scan2InsoleError, ValueError):
    """Unreadable or empty file, absurd size, unknown units, not a foot."""


class ProfileError(Scan2InsoleError, ValueError):
    """Bad TOML, unknown key, wrong type, value out of range."""


class DesignError(Scan2InsoleError):
    """The profile cannot be met on this foot."""


class PrintabilityError(Scan2InsoleError):
    """The solid fails a print check."""


class OutputError(Scan2InsoleError):
    """The output cannot be written where it was asked (exists, not a folder, not writable)."""
