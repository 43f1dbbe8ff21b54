"""Value combinations no foot can meet, rejected once every field alone is in range."""

from __future__ import annotations

from scan2insole.errors import ProfileError
from scan2insole.profile.tree import Profile

# Shoe sizes a foot can have in each system (E: children's to the largest adult sizes); a size
# outside its system's range is a typo or the wrong system.
SHOE_SIZE_RANGES = {
    "eu": (15.0, 55.0),
    "uk": (0.0, 16.0),
    "us_men": (1.0, 17.0),
    "us_women": (2.0, 18.0),
    "mondopoint": (100.0, 350.0),
}


def check_consistent(profile: Profile, where: str) -> None:
    """Reject value combinations no foot can meet (each field alone is already in range).

    The recesses (heel spur relief, first-ray cut-out) take material out of the shell; what is
    left under them must still be ``min_thickness_mm``. Nothing else in the design lowers the top
    below the base shell, so these checks are what makes every accepted profile buildable.
    """
    sh = profile.shell
    body = sh.base_thickness_mm + sh.top_cover_mm
    if sh.min_thickness_mm > body:
        raise ProfileError(
            f"{where}: shell.min_thickness_mm = {sh.min_thickness_mm} mm is above the base "
            f"thickness {sh.base_thickness_mm} mm + top cover {sh.top_cover_mm} mm"
        )
    under_heel = body + profile.heel_lift.height_mm - profile.heel_spur.depth_mm
    if under_heel < sh.min_thickness_mm:
        raise ProfileError(
            f"{where}: heel_spur.depth_mm = {profile.heel_spur.depth_mm} mm leaves "
            f"{under_heel:.1f} mm under the heel; the minimum thickness is "
            f"{sh.min_thickness_mm} mm (base + top cover + heel lift - depth)"
        )
    under_mth1 = body - profile.first_ray.depth_mm
    if under_mth1 < sh.min_thickness_mm:
        raise ProfileError(
            f"{where}: first_ray.depth_mm = {profile.first_ray.depth_mm} mm leaves "
            f"{under_mth1:.1f} mm under the 1st metatarsal head; the minimum thickness is "
            f"{sh.min_thickness_mm} mm (base + top cover - depth)"
        )
    system = profile.outline.shoe_size_system
    if system != "none":
        lo, hi = SHOE_SIZE_RANGES[system]
        size = profile.outline.shoe_size
        if not lo <= size <= hi:
            raise ProfileError(
                f"{where}: outline.shoe_size = {size} is outside the {system} sizes {lo}-{hi}"
            )
