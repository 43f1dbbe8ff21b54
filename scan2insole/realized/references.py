"""The insole ``make`` exports, and the same design with features switched off to compare against
(CLINICAL §3: "compare against the un-modified shell generated from the same scan")."""

from __future__ import annotations

from dataclasses import replace

from scan2insole.design import design_insole
from scan2insole.export import orient, stl_bytes
from scan2insole.profile import Profile
from scan2insole.realized.mesh import Grid, Mesh, read_insole
from scan2insole.records import FootAnalysis, Side
from scan2insole.solid import build_solid

Feature = tuple[str, tuple[str, ...]]
"""(name, fields zeroed to switch it off); a feature is active when any of them is non-zero."""

FEATURES: tuple[Feature, ...] = (
    ("rearfoot_post", ("angle_deg",)),
    ("forefoot_post", ("angle_deg",)),
    ("skive", ("medial_depth_mm", "lateral_depth_mm")),
    ("heel_cup", ("depth_mm",)),
    ("flanges", ("medial_height_mm", "lateral_height_mm")),
    ("arch", ("fill_mm", "extra_height_mm")),
    ("met_pad", ("height_mm",)),
    ("met_bar", ("height_mm",)),
    ("cuboid", ("height_mm",)),
    ("morton", ("extension_mm",)),
    ("reverse_morton", ("reverse_mm",)),
    ("heel_lift", ("height_mm",)),
    ("heel_spur", ("depth_mm",)),
    ("first_ray", ("depth_mm",)),
)


def exported_stl(analysis: FootAnalysis, profile: Profile, *, side: Side) -> bytes:
    """The STL bytes ``make`` exports for this foot and profile (design -> solid -> orient)."""
    return stl_bytes(orient(build_solid(design_insole(analysis, profile), side=side)))


def _section(name: str) -> str:
    return "morton" if name == "reverse_morton" else name


def active_features(profile: Profile) -> list[Feature]:
    """The features ``profile`` switches on, in ``FEATURES`` order."""
    return [
        (n, k)
        for n, k in FEATURES
        if any(getattr(getattr(profile, _section(n)), f) != 0 for f in k)
    ]


def _without(profile: Profile, names: list[Feature]) -> Profile:
    for name, keys in names:
        section = getattr(profile, _section(name))
        profile = replace(profile, **{_section(name): replace(section, **dict.fromkeys(keys, 0.0))})
    return profile


def switched_off(
    analysis: FootAnalysis, profile: Profile, names: list[str], *, side: Side, grid: Grid
) -> Mesh:
    """The insole designed with the features ``names`` switched off, exported and read back."""
    off = _without(profile, [(n, k) for n, k in FEATURES if n in names])
    return read_insole(exported_stl(analysis, off, side=side), side, grid)[0]
