"""A profile's fields as table rows, for ``profiles show`` and the report."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Literal, get_args, get_origin, get_type_hints

from scan2insole.profile.tree import Profile, section_types


def describe(profile: Profile) -> list[tuple[str, Any, str, str]]:
    """Rows (key, value, unit, meaning) of every field, for ``profiles show``."""
    return [(key, value, unit, doc) for key, value, unit, _allowed, doc in describe_fields(profile)]


def describe_fields(profile: Profile) -> list[tuple[str, Any, str, str, str]]:
    """Rows (key, value, unit, allowed values, meaning) of every field, sections in order.

    ``allowed`` is ``"lo-hi"`` for numbers, the choices joined by ``|`` for closed choices and
    ``"true|false"`` for switches.
    """
    rows = []
    for name, typ in section_types().items():
        section = getattr(profile, name)
        hints = get_type_hints(typ)
        for f in fields(section):
            hint = hints[f.name]
            if get_origin(hint) is Literal:
                allowed = "|".join(map(str, get_args(hint)))
            elif hint is bool:
                allowed = "true|false"
            else:
                lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
                allowed = "" if lo is None and hi is None else f"{lo}-{hi}"
            rows.append(
                (
                    f"{name}.{f.name}",
                    getattr(section, f.name),
                    f.metadata.get("unit", ""),
                    allowed,
                    f.metadata.get("doc", ""),
                )
            )
    return rows
