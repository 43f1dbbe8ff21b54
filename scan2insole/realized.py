"""What the exported insole really has: every profile parameter measured back off its STL bytes.

Nothing here reads the design's height fields. The insole's STL bytes are parsed again and its top
and bottom surfaces sampled on a ``MEASURE_CELL_MM`` grid (``mesh_heights.py``); where a parameter
is defined as a difference (a post's tilt, a pad's height), the same design with that one feature
switched off is built, exported and parsed the same way, and the two meshes are compared
(CLINICAL §3: "compare against the un-modified shell generated from the same scan"). Left insoles
are mirrored back into the right-foot frame first. Definitions, all in that frame:

- ``length_mm``: x extent of the mesh; asked: the chosen outline's length
  (``design.outline.asked_length_mm``).
- ``min_thickness_mm``: least vertical thickness one millimetre in from the rim; must be at least
  the profile's minimum.
- ``base_thickness_mm``: median vertical thickness where the sole rests on the support plane
  (plantar height <= ``CONTACT_HEIGHT_MM``) and no feature moved either surface, minus the
  realized top cover.
- ``top_cover_mm``: median lift of the top against the same design without the cover.
- ``rearfoot_post_deg`` / ``forefoot_post_deg``: the frontal-plane angle between the top and the
  bottom over the heel seat / forefoot, relative to the same design with zero post: from
  least-squares planes fitted to the two surfaces' differences, ``atan(top slope) - atan(bottom
  slope)`` about +x (varus +). An intrinsic post tilts the top, an extrinsic one the bottom.
- ``medial_skive_mm`` / ``lateral_skive_mm``: the largest rise of the heel seat over the
  un-skived one, on that side of the heel centre.
- ``heel_cup_depth_mm``: highest rim point over the rear ``heel_cup.CUP_FULL_FRAC`` of the foot
  minus the heel seat (mean top within ``SEAT_RADIUS_MM`` of the heel centre, read on the design
  without a heel-spur recess when there is one: the heel bridges the recess).
- ``medial_flange_mm`` / ``lateral_flange_mm``: the largest rise of the rim over the un-flanged
  one, along the flange's core.
- ``arch_extra_height_mm`` / ``arch_fill_mm``: largest rise / drop of the top against the design
  without arch support; ``arch_apex_x_mm``: x of the centroid of the upper half of that change.
- ``met_pad_height_mm``; ``met_pad_apex_offset_mm``: the metatarsal-head line's x at the highest
  point's y minus that point's x (the highest point is a mesh vertex, hence
  ``PAD_APEX_TOL_MM``); ``met_pad_centre_x_mm`` / ``_y_mm``: centroid of the pad's upper half;
  ``met_pad_width_mm``: y extent of the area where the pad is at least half its height.
- ``met_bar_height_mm``; ``met_bar_offset_mm``: median over the ball of how far proximal of the
  head line the bar is half its height (its distal edge).
- ``cuboid_height_mm``; ``cuboid_centre_x_mm`` / ``_y_mm``: centroid of its upper half;
  ``cuboid_diameter_mm``: diameter of the circle as large as its upper half.
- ``morton_extension_mm`` / ``reverse_morton_mm`` / ``heel_lift_mm``: largest rise (the lift:
  median rise over the heel seat).
- ``heel_spur_depth_mm`` / ``first_ray_depth_mm``: largest drop; ``heel_spur_diameter_mm``: the
  diameter of the circle as large as the area where the drop is at least half the depth.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import ndimage

from scan2insole.design import design_insole
from scan2insole.design.anatomy import Anatomy, foot_anatomy, lateral_y, medial_y, mth_line_x
from scan2insole.design.arch import arch_apex
from scan2insole.design.cuboid import cuboid_centre
from scan2insole.design.flanges import flange_core_x
from scan2insole.design.heel_cup import CUP_FALLOFF_MM, SEAT_RADIUS_MM, cup_full_x
from scan2insole.design.heel_lift import LIFT_FULL_FRAC
from scan2insole.design.met_pad import met_pad_apex, met_pad_shape
from scan2insole.design.outline import asked_length_mm
from scan2insole.design.posting import POST_FALL_MM, forefoot_start_x
from scan2insole.design.skive import SKIVE_FALL_MM, skive_end_x
from scan2insole.export import orient, stl_bytes
from scan2insole.formats.stl import read_binary
from scan2insole.heightmap import sample
from scan2insole.mesh_heights import rim_points, surface_grid
from scan2insole.profile import Profile
from scan2insole.records import FootAnalysis, Side
from scan2insole.solid import build_solid

MEASURE_CELL_MM = 0.5
# The sole rests on the support plane where its plantar height is this close to z = 0 (the
# plantar map is clipped at the plane): there the shell is exactly base (+ cover) thick.
CONTACT_HEIGHT_MM = 0.05
# A surface that moved less than this between two exports did not move (float32 STL rounding is
# ~1e-5 mm at insole coordinates).
UNMOVED_MM = 0.01
# Regions read off the seat keep this far from the rim, beyond the heel cup's wall (mm).
SEAT_CLEAR_MM = CUP_FALLOFF_MM + 2.0
FOREFOOT_CLEAR_MM = 3.0
HEEL_CORE_START_FRAC = 0.04

# Tolerances (issue 6's acceptance figures).
ANGLE_TOL_DEG = 0.5
HEIGHT_TOL_MM = 0.5  # skive, cup, flange, pads, lift, thicknesses
LENGTH_TOL_MM = 2.0  # ISO 20685's foot-measurement allowance, CLINICAL §1.4
POSITION_TOL_MM = 0.5  # centroids of symmetric or fully modelled shapes
# E: the arch apex is prescribed as a fraction of foot length (0.01 L ~ 2.7 mm), and a cast fill
# that a low arch cannot take in full (it stops at the contact level) shifts its centre
ARCH_APEX_TOL_MM = 2.0
PAD_APEX_TOL_MM = 2.0  # the apex is a mesh vertex of a 2.5 mm lattice (solid.INTERIOR_SPACING_MM)
DIAMETER_TOL_MM = 1.0  # E: an area on a 0.5 mm grid, plus the recess wall on a 2.5 mm lattice
MAX_STL_TRIANGLES = 10_000_000


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class RealizedValue:
    """One parameter: what the profile asked, what the exported mesh has."""

    name: str
    """Parameter name with its unit suffix."""
    asked: float | None
    """None when the profile does not set it (the realized value is then for information)."""
    realized: float | None
    """None when the mesh has no region to measure it on."""
    tolerance: float
    at_least: bool = False
    """True for a lower bound (the minimum thickness): within when realized >= asked."""

    @property
    def error(self) -> float | None:
        if self.asked is None or self.realized is None:
            return None
        return self.realized - self.asked

    @property
    def within(self) -> bool | None:
        if self.error is None:
            return None
        if self.at_least:
            return self.error >= -UNMOVED_MM
        return abs(self.error) <= self.tolerance


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Realized:
    """Every measured parameter of one exported insole."""

    values: tuple[RealizedValue, ...]

    @property
    def all_within(self) -> bool:
        return all(v.within is not False for v in self.values)


def realized_dict(realized: Realized) -> dict[str, Any]:
    """The report's ``realized`` block: one entry per parameter, in measurement order."""
    return {
        v.name: {
            "asked": v.asked,
            "realized": v.realized,
            "error": v.error,
            "tolerance": v.tolerance,
            "bound": "at_least" if v.at_least else "plus_minus",
            "within": v.within,
        }
        for v in realized.values
    }


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class _Mesh:
    """One exported insole read back, in the right-foot frame, with its surfaces on the grid."""

    top: np.ndarray
    bottom: np.ndarray
    rim: np.ndarray
    """(k, 3) top edge of the wall, sorted."""
    x_min_mm: float
    x_extent_mm: float


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class _Grid:
    origin_mm: np.ndarray
    shape: tuple[int, int]
    x_mm: np.ndarray
    y_mm: np.ndarray


def _read(data: bytes, side: Side, grid: _Grid | None) -> tuple[_Mesh, _Grid]:
    vertices, faces = read_binary(data, name="insole.stl", max_elements=MAX_STL_TRIANGLES)
    vertices = vertices.astype(np.float64)
    if side == "left":  # back into the right-foot design frame
        vertices = vertices * np.array([1.0, -1.0, 1.0])
        faces = faces[:, ::-1]
    if grid is None:
        origin = np.floor(vertices[:, :2].min(axis=0)) - 1.0
        span = vertices[:, :2].max(axis=0) + 1.0 - origin
        shape = (int(span[1] / MEASURE_CELL_MM) + 1, int(span[0] / MEASURE_CELL_MM) + 1)
        xs = origin[0] + MEASURE_CELL_MM * np.arange(shape[1])
        ys = origin[1] + MEASURE_CELL_MM * np.arange(shape[0])
        x, y = np.meshgrid(xs, ys)
        grid = _Grid(origin_mm=origin, shape=shape, x_mm=x, y_mm=y)
    kw = {"origin_mm": grid.origin_mm, "cell_mm": MEASURE_CELL_MM, "shape": grid.shape}
    mesh = _Mesh(
        top=surface_grid(vertices, faces, which="top", **kw),
        bottom=surface_grid(vertices, faces, which="bottom", **kw),
        rim=rim_points(vertices, faces),
        x_min_mm=float(vertices[:, 0].min()),
        x_extent_mm=float(np.ptp(vertices[:, 0])),
    )
    return mesh, grid


def exported_stl(analysis: FootAnalysis, profile: Profile, *, side: Side) -> bytes:
    """The STL bytes ``make`` exports for this foot and profile (design -> solid -> orient)."""
    return stl_bytes(orient(build_solid(design_insole(analysis, profile), side=side)))


# (section, fields zeroed to switch it off); a section is active when any of them is non-zero
_FEATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
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


def _section(name: str) -> str:
    return "morton" if name == "reverse_morton" else name


def _active(profile: Profile, name: str, keys: tuple[str, ...]) -> bool:
    section = getattr(profile, _section(name))
    return any(getattr(section, k) != 0 for k in keys)


def _without(profile: Profile, names: list[tuple[str, tuple[str, ...]]]) -> Profile:
    for name, keys in names:
        section = getattr(profile, _section(name))
        profile = replace(profile, **{_section(name): replace(section, **dict.fromkeys(keys, 0.0))})
    return profile


def _dist_in_mm(top: np.ndarray) -> np.ndarray:
    covered = np.isfinite(top)
    return ndimage.distance_transform_edt(covered) * MEASURE_CELL_MM


def _slope_y(values: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """dz/dy of the least-squares plane through (x, y, values)."""
    a = np.column_stack([np.ones_like(x), x, y])
    coef, *_ = np.linalg.lstsq(a, values, rcond=None)
    return float(coef[2])


def _centroid(weight: np.ndarray, grid: _Grid) -> tuple[float, float] | None:
    """Centroid of the upper half of a non-negative change (weights above half its maximum)."""
    w = np.nan_to_num(weight, nan=0.0)
    peak = w.max()
    if peak <= UNMOVED_MM:
        return None
    w = np.clip(w - 0.5 * peak, 0.0, None)
    return float((w * grid.x_mm).sum() / w.sum()), float((w * grid.y_mm).sum() / w.sum())


def _value(name: str, asked: float | None, realized: float | None, tol: float) -> RealizedValue:
    return RealizedValue(name=name, asked=asked, realized=realized, tolerance=tol)


def _post(
    name: str, asked: float, core: np.ndarray, mesh: _Mesh, ref: _Mesh, grid: _Grid
) -> RealizedValue:
    ok = core & np.isfinite(mesh.top) & np.isfinite(ref.top)
    ok &= np.isfinite(mesh.bottom) & np.isfinite(ref.bottom)
    if ok.sum() < 20:
        return _value(name, asked, None, ANGLE_TOL_DEG)
    x, y = grid.x_mm[ok], grid.y_mm[ok]
    top = _slope_y(mesh.top[ok] - ref.top[ok], x, y)
    bottom = _slope_y(mesh.bottom[ok] - ref.bottom[ok], x, y)
    angle = float(np.degrees(np.arctan(top) - np.arctan(bottom)))
    return _value(name, asked, angle, ANGLE_TOL_DEG)


def _largest(change: np.ndarray, region: np.ndarray) -> float | None:
    vals = change[region & np.isfinite(change)]
    return float(vals.max()) if len(vals) else None


def _rim_rise(mesh: _Mesh, ref: _Mesh, region_of: Any) -> float | None:
    if len(mesh.rim) != len(ref.rim) or not np.allclose(mesh.rim[:, :2], ref.rim[:, :2]):
        raise RuntimeError("the two exports do not share an outline")  # a bug in the references
    sel = region_of(mesh.rim[:, 0], mesh.rim[:, 1])
    return float((mesh.rim[sel, 2] - ref.rim[sel, 2]).max()) if sel.any() else None


def _area_above(change: np.ndarray, level: float) -> float:
    """Area (mm²) of the grid where ``change`` is at least ``level``."""
    return float(np.sum(np.nan_to_num(change, nan=-np.inf) >= level) * MEASURE_CELL_MM**2)


def _heel_seat(mesh: _Mesh, grid: _Grid, anatomy: Anatomy) -> float:
    hx, hy = anatomy.heel_centre_mm
    near = np.hypot(grid.x_mm - hx, grid.y_mm - hy) <= SEAT_RADIUS_MM
    return float(np.nanmean(mesh.top[near]))


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
    mesh, grid = _read(insole_stl, side, None)
    length = anatomy.foot_length_mm
    x, y = grid.x_mm, grid.y_mm
    dist = _dist_in_mm(mesh.top)
    heel_x = anatomy.heel_x_mm
    active = [(n, k) for n, k in _FEATURES if _active(profile, n, k)]

    def reference(names: list[str]) -> _Mesh:
        off = _without(profile, [(n, k) for n, k in _FEATURES if n in names])
        return _read(exported_stl(analysis, off, side=side), side, grid)[0]

    refs = {n: reference([n]) for n, _ in active if n != "heel_cup"}
    values: list[RealizedValue] = [
        _value(
            "length_mm",
            asked_length_mm(analysis, anatomy, profile.outline),
            mesh.x_extent_mm,
            LENGTH_TOL_MM,
        )
    ]

    # thicknesses
    thick = mesh.top - mesh.bottom
    interior = dist >= 1.0
    values.append(
        RealizedValue(
            name="min_thickness_mm",
            asked=profile.shell.min_thickness_mm,
            realized=float(np.nanmin(thick[interior])),
            tolerance=0.0,
            at_least=True,
        )
    )
    if not active:
        plain = mesh
    elif len(refs) == len(active):  # one switched-off design per feature; all off is one more
        plain = next(iter(refs.values())) if len(refs) == 1 else reference([n for n, _ in active])
    else:  # the heel cup is active too
        plain = reference([n for n, _ in active])
    plantar = sample(analysis.plantar, np.column_stack([x.ravel(), y.ravel()])).reshape(x.shape)
    free = (np.abs(mesh.top - plain.top) < UNMOVED_MM) & (
        np.abs(mesh.bottom - plain.bottom) < UNMOVED_MM
    )
    contact = free & (plantar <= CONTACT_HEIGHT_MM) & (dist >= FOREFOOT_CLEAR_MM)
    cover = profile.shell.top_cover_mm
    realized_cover = 0.0
    if cover > 0.0:
        no_cover = replace(profile, shell=replace(profile.shell, top_cover_mm=0.0))
        bare = _read(exported_stl(analysis, no_cover, side=side), side, grid)[0]
        rise = mesh.top - bare.top
        realized_cover = float(np.nanmedian(rise[interior]))
        values.append(_value("top_cover_mm", cover, realized_cover, HEIGHT_TOL_MM))
    base = float(np.median(thick[contact])) - realized_cover if contact.any() else None
    values.append(_value("base_thickness_mm", profile.shell.base_thickness_mm, base, HEIGHT_TOL_MM))

    heel_core_x0 = heel_x + HEEL_CORE_START_FRAC * length
    seat = (dist >= SEAT_CLEAR_MM) & (x >= heel_core_x0)
    if "rearfoot_post" in refs:
        rp = profile.rearfoot_post
        x1 = min(mesh.x_min_mm + rp.length_mm - POST_FALL_MM, cup_full_x(anatomy))
        core = seat & (x <= x1)
        values.append(
            _post("rearfoot_post_deg", rp.angle_deg, core, mesh, refs["rearfoot_post"], grid)
        )
    if "forefoot_post" in refs:
        core = (x >= forefoot_start_x(anatomy)) & (dist >= FOREFOOT_CLEAR_MM)
        values.append(
            _post(
                "forefoot_post_deg",
                profile.forefoot_post.angle_deg,
                core,
                mesh,
                refs["forefoot_post"],
                grid,
            )
        )
    if "skive" in refs:
        rise = mesh.top - refs["skive"].top
        heel = x <= skive_end_x(anatomy) - SKIVE_FALL_MM
        hy = anatomy.heel_centre_mm[1]
        for side_name, sel, asked in (
            ("medial", y > hy, profile.skive.medial_depth_mm),
            ("lateral", y < hy, profile.skive.lateral_depth_mm),
        ):
            if asked > 0.0:
                values.append(
                    _value(
                        f"{side_name}_skive_mm", asked, _largest(rise, heel & sel), HEIGHT_TOL_MM
                    )
                )
    # the heel cup: absolute, always measured
    seat_mesh = refs.get("heel_spur", mesh)
    rim = mesh.rim[mesh.rim[:, 0] <= cup_full_x(anatomy)]
    depth = float(rim[:, 2].max()) - _heel_seat(seat_mesh, grid, anatomy) if len(rim) else None
    asked_depth = profile.heel_cup.depth_mm if profile.heel_cup.depth_mm > 0 else None
    values.append(_value("heel_cup_depth_mm", asked_depth, depth, HEIGHT_TOL_MM))

    if "flanges" in refs:
        for side_name, medial, asked in (
            ("medial", True, profile.flanges.medial_height_mm),
            ("lateral", False, profile.flanges.lateral_height_mm),
        ):
            if asked == 0.0:
                continue
            lo, hi = flange_core_x(anatomy, medial=medial)

            def region(rx: np.ndarray, ry: np.ndarray, lo=lo, hi=hi, medial=medial) -> np.ndarray:
                mid = 0.5 * (medial_y(anatomy, rx) + lateral_y(anatomy, rx))
                return (rx >= lo) & (rx <= hi) & ((ry >= mid) == medial)

            values.append(
                _value(
                    f"{side_name}_flange_mm",
                    asked,
                    _rim_rise(mesh, refs["flanges"], region),
                    HEIGHT_TOL_MM,
                )
            )
    if "arch" in refs:
        change = mesh.top - refs["arch"].top
        inside = np.isfinite(change)
        ap = profile.arch
        if ap.extra_height_mm > 0.0:
            values.append(
                _value(
                    "arch_extra_height_mm",
                    ap.extra_height_mm,
                    _largest(change, inside),
                    HEIGHT_TOL_MM,
                )
            )
        if ap.fill_mm > 0.0:
            values.append(
                _value("arch_fill_mm", ap.fill_mm, _largest(-change, inside), HEIGHT_TOL_MM)
            )
        c = _centroid(np.abs(change), grid)
        values.append(
            _value(
                "arch_apex_x_mm",
                float(arch_apex(anatomy, ap)[0]),
                None if c is None else c[0],
                ARCH_APEX_TOL_MM,
            )
        )
    if "met_pad" in refs:
        values += _met_pad(mesh.top - refs["met_pad"].top, grid, anatomy, profile)
    if "met_bar" in refs:
        values += _met_bar(mesh.top - refs["met_bar"].top, grid, anatomy, profile)
    if "cuboid" in refs:
        change = mesh.top - refs["cuboid"].top
        values.append(
            _value(
                "cuboid_height_mm",
                profile.cuboid.height_mm,
                _largest(change, np.isfinite(change)),
                HEIGHT_TOL_MM,
            )
        )
        height = _largest(change, np.isfinite(change))
        area = _area_above(change, 0.5 * height) if height else 0.0
        values.append(
            _value(
                "cuboid_diameter_mm",
                profile.cuboid.diameter_mm,
                2.0 * np.sqrt(area / np.pi) if height else None,
                DIAMETER_TOL_MM,
            )
        )
        c = _centroid(change, grid)
        centre = cuboid_centre(anatomy)
        for i, axis in enumerate("xy"):
            values.append(
                _value(
                    f"cuboid_centre_{axis}_mm",
                    float(centre[i]),
                    None if c is None else c[i],
                    POSITION_TOL_MM,
                )
            )
    for name, asked in (
        ("morton", profile.morton.extension_mm),
        ("reverse_morton", profile.morton.reverse_mm),
    ):
        if name in refs:
            change = mesh.top - refs[name].top
            label = "morton_extension_mm" if name == "morton" else "reverse_morton_mm"
            values.append(
                _value(label, asked, _largest(change, np.isfinite(change)), HEIGHT_TOL_MM)
            )
    if "heel_lift" in refs:
        rise = mesh.top - refs["heel_lift"].top
        core = seat & (x <= heel_x + LIFT_FULL_FRAC * length) & np.isfinite(rise)
        lift = float(np.median(rise[core])) if core.any() else None
        values.append(_value("heel_lift_mm", profile.heel_lift.height_mm, lift, HEIGHT_TOL_MM))
    if "heel_spur" in refs:
        drop = refs["heel_spur"].top - mesh.top
        d = _largest(drop, np.isfinite(drop))
        values.append(_value("heel_spur_depth_mm", profile.heel_spur.depth_mm, d, HEIGHT_TOL_MM))
        area = _area_above(drop, 0.5 * d) if d else 0.0
        values.append(
            _value(
                "heel_spur_diameter_mm",
                profile.heel_spur.diameter_mm,
                2.0 * np.sqrt(area / np.pi) if d else None,
                DIAMETER_TOL_MM,
            )
        )
    if "first_ray" in refs:
        drop = refs["first_ray"].top - mesh.top
        values.append(
            _value(
                "first_ray_depth_mm",
                profile.first_ray.depth_mm,
                _largest(drop, np.isfinite(drop)),
                HEIGHT_TOL_MM,
            )
        )
    return Realized(values=tuple(values))


def _met_pad(
    change: np.ndarray, grid: _Grid, anatomy: Anatomy, profile: Profile
) -> list[RealizedValue]:
    mp = profile.met_pad
    finite = np.isfinite(change)
    height = _largest(change, finite)
    out = [_value("met_pad_height_mm", mp.height_mm, height, HEIGHT_TOL_MM)]
    apex = met_pad_apex(anatomy, mp)
    if height is None:
        return out
    i = int(np.nanargmax(np.where(finite, change, -np.inf)))
    px, py = grid.x_mm.flat[i], grid.y_mm.flat[i]
    out.append(
        _value(
            "met_pad_apex_offset_mm",
            mp.apex_offset_mm,
            float(mth_line_x(anatomy, py)) - px,
            PAD_APEX_TOL_MM,
        )
    )
    # the asked centroid of the pad's upper half, from its shape on a fine local grid
    u, v = np.meshgrid(np.arange(-60.0, 120.0, 0.25), np.arange(-40.0, 40.0, 0.25))
    w = np.clip(met_pad_shape(u, v, mp) - 0.5 * mp.height_mm, 0.0, None)
    asked = (apex[0] - float((w * u).sum() / w.sum()), apex[1] + float((w * v).sum() / w.sum()))
    c = _centroid(change, grid)
    for k, axis in enumerate("xy"):
        out.append(
            _value(
                f"met_pad_centre_{axis}_mm", asked[k], None if c is None else c[k], POSITION_TOL_MM
            )
        )
    out.append(
        _value("met_pad_width_mm", mp.width_mm, _widest(change, 0.5 * height), POSITION_TOL_MM)
    )
    return out


def _widest(change: np.ndarray, level: float) -> float:
    """Largest y extent, over the grid's columns, of where ``change`` >= ``level``; each end
    interpolated linearly between the grid points either side of the crossing."""
    z = np.nan_to_num(change, nan=-np.inf)
    above = z >= level
    cols = np.nonzero(above.any(axis=0))[0]
    best = 0.0
    for j in cols:  # the pad's columns: a few dozen
        rows = np.nonzero(above[:, j])[0]
        lo, hi = rows[0], rows[-1]
        width = float(hi - lo) * MEASURE_CELL_MM
        for edge, step in ((lo, -1), (hi, 1)):
            nxt = edge + step
            if 0 <= nxt < z.shape[0] and np.isfinite(z[nxt, j]):
                width += MEASURE_CELL_MM * (z[edge, j] - level) / (z[edge, j] - z[nxt, j])
        best = max(best, width)
    return best


def _met_bar(
    change: np.ndarray, grid: _Grid, anatomy: Anatomy, profile: Profile
) -> list[RealizedValue]:
    mb = profile.met_bar
    finite = np.isfinite(change)
    height = _largest(change, finite)
    out = [_value("met_bar_height_mm", mb.height_mm, height, HEIGHT_TOL_MM)]
    if height is None:
        return out
    half = 0.5 * height
    y1, y5 = anatomy.mth1_mm[1], anatomy.mth5_mm[1]
    ys = grid.y_mm[:, 0]
    rows = np.nonzero((ys <= max(y1, y5) - 5.0) & (ys >= min(y1, y5) + 5.0))[0]
    offsets = []
    for r in rows:  # one crossing per row of the ball (a few dozen rows)
        line = np.where(np.isfinite(change[r]), change[r], -np.inf)
        up = np.nonzero(line >= half)[0]
        if len(up) == 0 or up[-1] + 1 >= len(line) or not np.isfinite(line[up[-1] + 1]):
            continue
        j = up[-1]
        t = (line[j] - half) / (line[j] - line[j + 1])
        xc = grid.x_mm[r, j] + t * MEASURE_CELL_MM
        offsets.append(float(mth_line_x(anatomy, ys[r])) - xc)
    out.append(
        _value(
            "met_bar_offset_mm",
            mb.offset_mm,
            float(np.median(offsets)) if offsets else None,
            POSITION_TOL_MM,
        )
    )
    return out
