"""Every parameter of a profile measured back off the exported insole, group by group."""

from __future__ import annotations

from scan2insole.design.anatomy import foot_anatomy
from scan2insole.profile import Profile
from scan2insole.realized.arch import arch_values
from scan2insole.realized.context import Measuring
from scan2insole.realized.grid_measures import dist_in_mm
from scan2insole.realized.mesh import read_insole
from scan2insole.realized.pads import pad_values
from scan2insole.realized.posting import posting_values
from scan2insole.realized.raises import raise_values
from scan2insole.realized.references import active_features, switched_off
from scan2insole.realized.rim import rim_values
from scan2insole.realized.shell import shell_values
from scan2insole.realized.values import Realized
from scan2insole.records import FootAnalysis, Side


def measure_realized(
    analysis: FootAnalysis, profile: Profile, insole_stl: bytes, *, side: Side
) -> Realized:
    """Measure every parameter of ``profile`` back off the exported insole's STL bytes.

    Parameters
    ----------
    analysis : the foot the insole was designed for (its anatomy places the regions).
    profile : the profile it was designed with.
    insole_stl : the exported binary STL (output frame: the foot's own side, bottom on z = 0).
    side : the foot's side; a left insole is mirrored back before measuring.
    """
    anatomy = foot_anatomy(analysis)
    mesh, grid = read_insole(insole_stl, side, None)
    active = active_features(profile)
    m = Measuring(
        analysis=analysis,
        profile=profile,
        side=side,
        anatomy=anatomy,
        mesh=mesh,
        grid=grid,
        dist_mm=dist_in_mm(mesh.top),
        active=active,
        refs={
            n: switched_off(analysis, profile, [n], side=side, grid=grid)
            for n, _ in active
            if n != "heel_cup"
        },
    )
    # the report lists the values in this order
    values = [
        *shell_values(m),
        *posting_values(m),
        *rim_values(m),
        *arch_values(m),
        *pad_values(m),
        *raise_values(m),
    ]
    return Realized(values=tuple(values))
