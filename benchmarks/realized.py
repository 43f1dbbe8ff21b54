"""Issue 6's figures: asked vs realized for every design parameter, measured off exported STLs.

Run as ``python -m benchmarks.realized``. Prints three tables:

1. one synthetic foot (normal arch, 265 mm, placed in the design frame), one feature at a time on
   the neutral profile: every realized value with its error and tolerance;
2. every shipped profile on both dupontgu feet (``../shared/real_scans``, skipped if absent):
   printable or not, and the largest error in units of its tolerance;
3. the ``pronation`` profile on the right dupontgu foot, through ``make`` (its report's
   ``realized`` block).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from scan2insole.formats.stl import read_binary
from scan2insole.profile import list_profiles, load_profile
from scan2insole.realized import exported_stl, measure_realized
from scan2insole.verify import verify_mesh

REAL = Path(__file__).resolve().parents[2] / "shared" / "real_scans" / "dupontgu_my-feet"

CASES: tuple[dict[str, str], ...] = (
    {"rearfoot_post.angle_deg": "4"},
    {"rearfoot_post.angle_deg": "-6"},
    {"rearfoot_post.angle_deg": "8", "rearfoot_post.kind": '"extrinsic"'},
    {"rearfoot_post.angle_deg": "-4", "rearfoot_post.kind": '"extrinsic"'},
    {"forefoot_post.angle_deg": "4"},
    {"forefoot_post.angle_deg": "-3"},
    {"skive.medial_depth_mm": "4"},
    {"skive.lateral_depth_mm": "6"},
    {"heel_cup.depth_mm": "22"},
    {"heel_cup.depth_mm": "8"},
    {"flanges.medial_height_mm": "8", "flanges.lateral_height_mm": "5"},
    {"arch.extra_height_mm": "4"},
    {"arch.fill_mm": "3.2"},
    {"met_pad.height_mm": "5"},
    {"met_bar.height_mm": "4"},
    {"cuboid.height_mm": "4"},
    {"morton.extension_mm": "3.2"},
    {"morton.reverse_mm": "3.2"},
    {"heel_lift.height_mm": "6"},
    {"heel_lift.height_mm": "10", "heel_lift.full_length": "true"},
    {"heel_spur.depth_mm": "1.5"},
    {"first_ray.depth_mm": "1.5"},
    {"shell.base_thickness_mm": "4.5", "shell.top_cover_mm": "2"},
    {"outline.length": '"three_quarter"'},
    {"outline.length": '"sulcus"'},
    {"outline.shoe_size_system": '"eu"', "outline.shoe_size": "42"},
    {"outline.shoe_size_system": '"us_women"', "outline.shoe_size": "10.5"},
)
ALWAYS = {"length_mm", "min_thickness_mm", "base_thickness_mm", "heel_cup_depth_mm"}


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def synthetic_table() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.design_feet import synthetic_analysis

    foot = synthetic_analysis()
    print("| case | parameter | asked | realized | error | tolerance |")
    print("|---|---|---|---|---|---|")
    for over in CASES:
        profile = load_profile("neutral", overrides=over)
        data = exported_stl(foot, profile, side="right")
        case = ", ".join(f"{k}={v.strip(chr(34))}" for k, v in over.items())
        sections = {k.split(".")[0] for k in over}
        shown = {"outline": {"length_mm"}, "shell": {"base_thickness_mm", "min_thickness_mm"}}
        shown["heel_cup"] = {"heel_cup_depth_mm"}
        wanted = set().union(*(shown.get(sec, set()) for sec in sections))
        for v in measure_realized(foot, profile, data, side="right").values:
            if v.name in ALWAYS and v.name not in wanted:
                continue  # the shell's own figures, the same in every case
            tol = "≥ asked" if v.at_least else f"±{v.tolerance}"
            print(
                f"| {case} | {v.name} | {_fmt(v.asked)} | {_fmt(v.realized)} | "
                f"{_fmt(v.error)} | {tol} |"
            )


def real_table() -> None:
    if not REAL.exists():
        print(f"real scans not present at {REAL}; skipped")
        return
    from scan2insole.analyse import analyse_foot
    from scan2insole.intake import clean_and_frame
    from scan2insole.load import load_scan

    print("| foot | profile | printable | watertight | worst error / tolerance | seconds |")
    print("|---|---|---|---|---|---|")
    for name in ("right_foot.stl", "left_foot.stl"):
        foot = analyse_foot(clean_and_frame(load_scan(REAL / name)))
        side = foot.foot.frame.side
        for prof in list_profiles():
            t0 = time.perf_counter()
            profile = load_profile(prof)
            data = exported_stl(foot, profile, side=side)
            vertices, faces = read_binary(data, name="insole.stl", max_elements=10**7)
            report = verify_mesh(
                vertices,
                faces,
                min_thickness_mm=profile.shell.min_thickness_mm,
                bed_mm=(profile.printing.bed_x_mm, profile.printing.bed_y_mm),
                max_height_mm=profile.printing.max_height_mm,
            )
            values = measure_realized(foot, profile, data, side=side).values
            ratios = [
                (abs(v.error) / v.tolerance, v.name)
                for v in values
                if v.error is not None and not v.at_least
            ]
            worst = max(ratios)
            watertight = next(c.passed for c in report.checks if c.name == "watertight")
            print(
                f"| {name} | {prof} | {report.printable} | {watertight} | "
                f"{worst[0]:.2f} ({worst[1]}) | {time.perf_counter() - t0:.1f} |"
            )


def pronation_table() -> None:
    if not REAL.exists():
        return
    from click.testing import CliRunner

    from scan2insole.cli import main

    with tempfile.TemporaryDirectory() as out:
        scan = REAL / "right_foot.stl"
        res = CliRunner().invoke(main, ["make", str(scan), "-p", "pronation", "-o", out])
        assert res.exit_code == 0, res.output
        realized = json.loads((Path(out) / "right_foot.report.json").read_text())["realized"]
    print("| parameter | asked | realized | error | tolerance |")
    print("|---|---|---|---|---|")
    for name, v in realized.items():
        tol = "≥ asked" if v["bound"] == "at_least" else f"±{v['tolerance']}"
        print(
            f"| {name} | {_fmt(v['asked'])} | {_fmt(v['realized'])} | {_fmt(v['error'])} | {tol} |"
        )


if __name__ == "__main__":
    synthetic_table()
    print()
    real_table()
    print()
    pronation_table()
