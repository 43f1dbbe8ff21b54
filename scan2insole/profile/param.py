"""How a profile field is declared: its unit, allowed range and one-line meaning."""

from __future__ import annotations

from dataclasses import field
from typing import Any

# every section is a frozen record (STYLE §4)
RECORD = {"frozen": True, "slots": True, "kw_only": True, "eq": False}


def param(
    default: Any, *, unit: str, lo: float | None = None, hi: float | None = None, doc: str
) -> Any:
    """A profile field with its unit, allowed range [lo, hi] and one-line meaning."""
    return field(default=default, metadata={"unit": unit, "lo": lo, "hi": hi, "doc": doc})
