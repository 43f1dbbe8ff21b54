"""Correction profiles: TOML files validated into a tree of frozen dataclasses.

A profile file holds tables named after the sections below (``[outline]``, ``[shell]``, ...), each
key a field of that section. Every field declares its unit, allowed range and a one-line meaning
in its metadata; loading rejects unknown keys, wrong types, NaN and out-of-range values with a
``ProfileError`` naming the file, the key and the allowed range. ``extends = "name"`` starts from
another profile; ``overrides`` (the CLI's ``--set section.key=value``) apply last.

Where each part lives: ``param`` (how a field is declared), the sections by where they act on the
foot (``body``: outline, shell, printer; ``rearfoot``; ``midfoot``; ``forefoot``), ``tree`` (the
whole :class:`Profile`), ``values`` (one value or table checked), ``consistency`` (combinations
no foot can meet), ``loading`` (files, ``extends``, overrides) and ``describe`` (table rows).
The shipped profiles themselves are the TOML files in ``scan2insole/profiles/``.
"""

from scan2insole.profile.body import OutlineParams, PrintParams, ShellParams
from scan2insole.profile.consistency import SHOE_SIZE_RANGES, check_consistent
from scan2insole.profile.describe import describe, describe_fields
from scan2insole.profile.forefoot import (
    FirstRayParams,
    ForefootPostParams,
    MetBarParams,
    MetPadParams,
    MortonParams,
)
from scan2insole.profile.loading import list_profiles, load_profile, profile_dirs
from scan2insole.profile.midfoot import ArchParams, CuboidParams, FlangeParams
from scan2insole.profile.param import param
from scan2insole.profile.rearfoot import (
    HeelCupParams,
    HeelLiftParams,
    HeelSpurParams,
    RearfootPostParams,
    SkiveParams,
)
from scan2insole.profile.tree import Profile, section_types

__all__ = [
    "SHOE_SIZE_RANGES",
    "ArchParams",
    "CuboidParams",
    "FirstRayParams",
    "FlangeParams",
    "ForefootPostParams",
    "HeelCupParams",
    "HeelLiftParams",
    "HeelSpurParams",
    "MetBarParams",
    "MetPadParams",
    "MortonParams",
    "OutlineParams",
    "PrintParams",
    "Profile",
    "RearfootPostParams",
    "ShellParams",
    "SkiveParams",
    "check_consistent",
    "describe",
    "describe_fields",
    "list_profiles",
    "load_profile",
    "param",
    "profile_dirs",
    "section_types",
]
