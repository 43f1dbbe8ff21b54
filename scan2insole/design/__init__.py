"""Design: a profile turned into the insole's outline and its top and bottom height fields.

The base shell is total contact (``shell.py``): the top is the foot's plantar surface lifted by
the base thickness, the bottom flat on z = 0. Every correction is a smooth displacement of one
or both fields over the insole's 2D domain, with a documented fall-off (``falloff.py``), so the
solid built from them (``solid.py``: one triangulation, two height fields, one wall) is
watertight by construction and the features compose in any combination. One module per feature:

==================  ===========================================================================
``outline``         length (full / sulcus / ¾), margin or shoe size -> the outline
``arch``            cast fill and extra arch height
``heel_lift``       heel raise, tapered to the metatarsal heads
``posting``         rearfoot post (intrinsic in the top, extrinsic as a bottom wedge), forefoot
``skive``           medial / lateral heel skives
``heel_spur``       heel spur relief
``met_pad``         metatarsal pad and bar
``cuboid``          cuboid pad
``morton``          Morton's and reverse Morton's extensions
``first_ray``       first-ray cut-out
``flanges``         medial / lateral flanges
``heel_cup``        the heel cup (last: it aims at an absolute rim height above the seat)
==================  ===========================================================================

Every displacement except the heel cup is computed against the base shell, not against the
other features, so switching one feature off changes the insole by exactly that feature's
displacement: that is how ``realized/`` measures each one back. The top cover is added over
everything; then the top must stand ``min_thickness_mm`` above the bottom everywhere
(``thickness.py``) and most of the underside must stay on the print bed (``bed.py``), else
``DesignError``. Landmarks come from ``anatomy.py``.
"""

from __future__ import annotations

# the feature modules are imported as modules, so ``scan2insole.design.<feature>`` stays the module
from scan2insole.design import (
    arch,
    cuboid,
    first_ray,
    flanges,
    heel_cup,
    heel_lift,
    heel_spur,
    met_pad,
    morton,
    posting,
    skive,
)
from scan2insole.design.anatomy import foot_anatomy
from scan2insole.design.bed import check_bed_contact
from scan2insole.design.displacement import Displacement
from scan2insole.design.domain import insole_domain
from scan2insole.design.outline import insole_outline
from scan2insole.design.rim import rim_land
from scan2insole.design.shell import shell_bottom, shell_top
from scan2insole.design.thickness import check_thickness
from scan2insole.profile import Profile
from scan2insole.records import FootAnalysis, HeightMap, InsoleDesign

__all__ = ["design_insole"]


def design_insole(analysis: FootAnalysis, profile: Profile) -> InsoleDesign:
    """Outline and height fields of the insole for one analysed foot (right-foot frame).

    Raises
    ------
    DesignError
        When the profile cannot be met on this foot (outline, shoe size, thickness).
    """
    anatomy = foot_anatomy(analysis)
    outline = insole_outline(analysis, anatomy, profile.outline)
    domain = insole_domain(analysis, outline)
    shell = shell_top(domain, profile.shell)
    features: list[Displacement] = [
        arch.arch(domain, anatomy, profile.arch),
        heel_lift.heel_lift(domain, anatomy, profile.heel_lift),
        posting.rearfoot_post(domain, profile.rearfoot_post),
        posting.forefoot_post(domain, anatomy, profile.forefoot_post),
        skive.skive(domain, anatomy, shell, profile.skive),
        met_pad.met_pad(domain, anatomy, profile.met_pad),
        met_pad.met_bar(domain, anatomy, profile.met_bar),
        cuboid.cuboid(domain, anatomy, profile.cuboid),
        morton.morton(domain, anatomy, profile.morton),
        morton.reverse_morton(domain, anatomy, profile.morton),
        first_ray.first_ray(domain, anatomy, profile.first_ray),
        flanges.flanges(domain, anatomy, profile.flanges),
    ]
    spur = heel_spur.heel_spur(domain, anatomy, profile.heel_spur)
    top = shell + sum(f.top_mm for f in features)
    bottom = shell_bottom(domain) + sum(f.bottom_mm for f in features)
    cup = heel_cup.heel_cup(
        domain,
        anatomy,
        top + spur.top_mm,
        seat_top_mm=top,
        floor_mm=bottom + profile.shell.min_thickness_mm - profile.shell.top_cover_mm,
        params=profile.heel_cup,
    )
    features += [spur, cup]
    top = rim_land(domain, top + spur.top_mm + cup.top_mm + profile.shell.top_cover_mm)
    check_thickness(
        domain, top, bottom, min_thickness_mm=profile.shell.min_thickness_mm, features=features
    )
    check_bed_contact(domain, bottom, post_length_mm=profile.rearfoot_post.length_mm)
    return InsoleDesign(
        outline_mm=outline,
        top=HeightMap(origin_mm=domain.origin_mm, cell_mm=domain.cell_mm, z_mm=top),
        bottom=HeightMap(origin_mm=domain.origin_mm, cell_mm=domain.cell_mm, z_mm=bottom),
    )
