"""The whole profile: one frozen section per feature, in the order the report lists them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any, get_type_hints

from scan2insole.profile.body import OutlineParams, PrintParams, ShellParams
from scan2insole.profile.forefoot import (
    FirstRayParams,
    ForefootPostParams,
    MetBarParams,
    MetPadParams,
    MortonParams,
)
from scan2insole.profile.midfoot import ArchParams, CuboidParams, FlangeParams
from scan2insole.profile.param import RECORD
from scan2insole.profile.rearfoot import (
    HeelCupParams,
    HeelLiftParams,
    HeelSpurParams,
    RearfootPostParams,
    SkiveParams,
)


@dataclass(**RECORD)
class Profile:
    """A whole correction profile."""

    name: str = "neutral"
    description: str = ""
    seed: int = 0
    outline: OutlineParams = field(default_factory=OutlineParams)
    shell: ShellParams = field(default_factory=ShellParams)
    rearfoot_post: RearfootPostParams = field(default_factory=RearfootPostParams)
    forefoot_post: ForefootPostParams = field(default_factory=ForefootPostParams)
    skive: SkiveParams = field(default_factory=SkiveParams)
    heel_cup: HeelCupParams = field(default_factory=HeelCupParams)
    flanges: FlangeParams = field(default_factory=FlangeParams)
    arch: ArchParams = field(default_factory=ArchParams)
    met_pad: MetPadParams = field(default_factory=MetPadParams)
    met_bar: MetBarParams = field(default_factory=MetBarParams)
    cuboid: CuboidParams = field(default_factory=CuboidParams)
    morton: MortonParams = field(default_factory=MortonParams)
    heel_lift: HeelLiftParams = field(default_factory=HeelLiftParams)
    heel_spur: HeelSpurParams = field(default_factory=HeelSpurParams)
    first_ray: FirstRayParams = field(default_factory=FirstRayParams)
    printing: PrintParams = field(default_factory=PrintParams)

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (for the JSON report), sections in declaration order."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = (
                {g.name: getattr(v, g.name) for g in fields(v)}
                if hasattr(v, "__dataclass_fields__")
                else v
            )
        return out

    def sha256(self) -> str:
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()


_TOP_LEVEL = {"name", "description", "seed", "extends"}


def section_types() -> dict[str, type]:
    hints = get_type_hints(Profile)
    return {f.name: hints[f.name] for f in fields(Profile) if f.name not in _TOP_LEVEL}
