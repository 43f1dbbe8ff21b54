"""How a record is frozen: the dataclass options every record uses and read-only checked arrays.

Every record is ``frozen, slots, kw_only, eq=False`` (generated ``==`` on arrays raises); arrays are
coerced, checked for shape and finiteness, and made read-only in ``__post_init__``, so a record that
exists is valid.
"""

from __future__ import annotations

import numpy as np

RECORD = {"frozen": True, "slots": True, "kw_only": True, "eq": False}
"""Keyword arguments of ``dataclass`` for every record."""


def frozen_array(
    value: object, *, dtype: type, shape: tuple[int | None, ...], name: str, finite: bool = True
) -> np.ndarray:
    """Return ``value`` as a read-only array of ``dtype``, checking its shape (None = any)."""
    arr = np.array(value, dtype=dtype, copy=True)
    if arr.ndim != len(shape) or any(
        s is not None and s != a for s, a in zip(shape, arr.shape, strict=True)
    ):
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    if finite and arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name} holds NaN or infinite values")
    arr.flags.writeable = False
    return arr


def set_field(obj: object, name: str, value: object) -> None:
    """Set a field of a frozen record (only in its ``__post_init__``, to store a checked copy)."""
    object.__setattr__(obj, name, value)
