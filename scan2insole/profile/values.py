"""One value or one section table of a profile file checked against its field declarations."""

from __future__ import annotations

import math
from dataclasses import fields, replace
from typing import Any, Literal, get_args, get_origin, get_type_hints

from scan2insole.errors import ProfileError


def coerce(value: Any, typ: Any, where: str) -> Any:
    """``value`` as the field type ``typ``; ``where`` names it in the error."""
    if get_origin(typ) is Literal:
        if value not in get_args(typ):
            raise ProfileError(
                f"{where} is {value!r}; allowed: {', '.join(map(str, get_args(typ)))}"
            )
        return value
    if typ is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ProfileError(f"{where} must be a number, got {type(value).__name__} {value!r}")
        try:
            as_float = float(value)
        except OverflowError as err:  # an integer too large for a float (hundreds of digits)
            raise ProfileError(
                f"{where} = {str(value)[:12]}... ({len(str(value))} digits) is outside the "
                "allowed range"
            ) from err
        if not math.isfinite(as_float):
            raise ProfileError(f"{where} must be a finite number, got {value!r}")
        return as_float
    if typ is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProfileError(f"{where} must be an integer, got {value!r}")
        return value
    if typ is bool:
        if not isinstance(value, bool):
            raise ProfileError(f"{where} must be true or false, got {value!r}")
        return value
    if typ is str:
        if not isinstance(value, str):
            raise ProfileError(f"{where} must be a string, got {value!r}")
        return value
    raise TypeError(f"unsupported profile field type {typ}")  # a bug, not input


def apply_section(section: Any, values: dict[str, Any], where: str) -> Any:
    """``section`` with the keys of one TOML table applied, each checked against its range."""
    if not isinstance(values, dict):
        raise ProfileError(f"{where} must be a table, got {values!r}")
    hints = get_type_hints(type(section))
    known = {f.name: f for f in fields(section)}
    changes = {}
    for key, value in values.items():
        if key not in known:
            raise ProfileError(f"{where}: unknown key '{key}'; known: {', '.join(known)}")
        f = known[key]
        v = coerce(value, hints[key], f"{where}.{key}")
        lo, hi, unit = f.metadata.get("lo"), f.metadata.get("hi"), f.metadata.get("unit", "")
        if isinstance(v, float | int) and not isinstance(v, bool):
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                raise ProfileError(
                    f"{where}.{key} = {v} {unit} is outside the allowed range {lo}-{hi} {unit}"
                )
        changes[key] = v
    return replace(section, **changes)
