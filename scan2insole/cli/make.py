"""``scan2insole make``: scans in, insoles and reports out."""

from __future__ import annotations

import math
import re
from pathlib import Path

import click

from scan2insole.cli import (
    main,
    parse_overrides,
    profile_option,
    rejecting_bad_input,
    safe_stem,
    set_option,
    side_option,
    units_option,
)
from scan2insole.errors import OutputError

FORMATS = ("stl", "3mf")
# words that name a side in a file name ("left_foot", "anna_R"): dropped to find the person
_SIDE_WORDS = {"left", "right", "l", "r", "lt", "rt"}


def _formats(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"expected a comma-separated list of {', '.join(FORMATS)}, got {value!r}"
        )
    return chosen


def person_key(stem: str) -> str:
    """A scan's stem without the words that name a side: ``left_foot`` and ``right_foot`` give
    ``foot``, so two scans of one person share a key."""
    words = [w for w in re.split(r"[_\-. ]+", stem) if w]
    return "_".join(w for w in words if w.lower() not in _SIDE_WORDS)


def names_known_before(stem: str, *, formats: tuple[str, ...], no_report: bool) -> list[str]:
    """The output names of one scan that do not depend on what the scan turns out to be (its
    side decides the pair files; its report's pictures are named as they are drawn)."""
    names = [f"{stem}.insole.{fmt}" for fmt in formats] + [f"{stem}.report.json"]
    return names if no_report else [*names, f"{stem}.report.html"]


def pairs_of_one_person(stems: list[str], sides: list[str]) -> list[tuple[str, int, int]]:
    """(key, left index, right index) for every key held by exactly one left and one right scan."""
    groups: dict[str, list[int]] = {}
    for i, stem in enumerate(stems):
        groups.setdefault(person_key(stem), []).append(i)
    out = []
    for key, idx in groups.items():
        left = [i for i in idx if sides[i] == "left"]
        right = [i for i in idx if sides[i] == "right"]
        if len(idx) == 2 and len(left) == 1 and len(right) == 1:
            out.append((key or "insoles", left[0], right[0]))
    return out


@main.command()
@click.argument("scans", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option(
    "-o",
    "--output",
    "out_dir",
    default=".",
    show_default=True,
    # not file_okay=False: click would reject a file with its multi-line usage text, and the
    # contract for rejected input is one line (checked in the command)
    type=click.Path(),
    help="Folder for the outputs.",
)
@profile_option
@set_option
@side_option
@units_option
@click.option(
    "--format",
    "formats",
    default=",".join(FORMATS),
    show_default=True,
    callback=_formats,
    help="Insole file formats to write, comma-separated.",
)
@click.option(
    "--kind",
    type=click.Choice(["auto", "foot", "foam", "plantar"]),
    default="auto",
    show_default=True,
    help="What the scan shows: a whole foot, a foam-box impression or a plantar-only sheet.",
)
@click.option(
    "--no-report", is_flag=True, help="Skip the HTML/PNG clinical report (faster in batch)."
)
@click.option("--overwrite", is_flag=True, help="Replace existing outputs.")
@rejecting_bad_input
def make(
    scans: tuple[str, ...],
    out_dir: str,
    profile_name: str,
    overrides: tuple[str, ...],
    side: str,
    units: str,
    formats: tuple[str, ...],
    kind: str,
    no_report: bool,
    overwrite: bool,
) -> None:
    """Design an insole for each SCAN (PLY, STL or OBJ; mesh or point cloud).

    Writes <stem>.insole.stl, <stem>.insole.3mf (placed on the profile's bed),
    <stem>.report.json and the clinical report <stem>.report.html (+ its pictures as
    <stem>.report_*.png) into the output folder. A left and a right scan of one person (names
    that differ only in a side word, like left_foot / right_foot) also give <person>.pair.3mf
    with both insoles laid out on one bed.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():  # before any work: see the option's comment
        raise OutputError(f"-o {out} is a file; expected a folder for the outputs")
    from scan2insole.export import (
        json_bytes,
        layout_on_bed,
        stl_bytes,
        threemf_bytes,
        threemf_metadata,
        write_atomically,
    )
    from scan2insole.pipeline import make as make_one
    from scan2insole.pipeline import report_dict
    from scan2insole.profile import load_profile

    profile = load_profile(profile_name, overrides=parse_overrides(overrides))
    bed_mm = (profile.printing.bed_x_mm, profile.printing.bed_y_mm)
    stems = [safe_stem(scan) for scan in scans]
    seen: dict[str, str] = {}
    for scan, stem in zip(scans, stems, strict=True):  # case-blind: so are macOS and Windows
        if (first := seen.setdefault(stem.lower(), scan)) != scan:
            raise OutputError(f"{first} and {scan} would both write {stem}.*; rename one")
    # an operator who forgot --overwrite hears so at once, not after the whole pipeline; the
    # names known only later are checked by write_atomically, before it writes any
    for stem in [] if overwrite else stems:
        for name in names_known_before(stem, formats=formats, no_report=no_report):
            if (out / name).exists():
                raise OutputError(f"{out / name} exists; use --overwrite to replace it")
    results = []
    for scan in scans:
        results.append(
            make_one(
                scan,
                profile,
                side=side,  # type: ignore[arg-type]
                units=None if units == "auto" else units,  # type: ignore[arg-type]
                kind=kind,  # type: ignore[arg-type]
            )
        )
    sides = [r.analysis.foot.frame.side for r in results]
    pairs = pairs_of_one_person(stems, sides)

    def metadata(title: str, idx: list[int]) -> dict[str, str]:
        return threemf_metadata(
            title=title,
            profile_name=profile.name,
            profile_description=profile.description,
            scan_sha256=[results[i].raw.sha256 for i in idx],
        )

    files: dict[Path, bytes] = {}
    # what was made, said once it is written: a failed write is then the one line on stderr
    said: list[str] = []
    pair_names = {}
    for key, li, ri in pairs if "3mf" in formats else []:
        pair_names[li] = pair_names[ri] = f"{key}.pair.3mf"
    for i, (scan, result) in enumerate(zip(scans, results, strict=True)):
        stem = stems[i]
        names = {}
        if "stl" in formats:
            names["stl"] = f"{stem}.insole.stl"
            files[out / names["stl"]] = stl_bytes(result.insole)
        if "3mf" in formats:
            names["3mf"] = f"{stem}.insole.3mf"
            files[out / names["3mf"]] = threemf_bytes(
                [result.insole],
                names=[f"{stem} {result.insole.side} insole"],
                layout=layout_on_bed([result.insole], bed_mm=bed_mm),
                metadata=metadata(f"{stem} {result.insole.side} insole", [i]),
            )
        if i in pair_names:
            names["pair_3mf"] = pair_names[i]
        if not no_report:
            from scan2insole.report import report_files

            pages = report_files(result, stem=stem)
            names["report_html"] = next(n for n in pages if n.endswith(".html"))
            files.update({out / n: b for n, b in pages.items()})
        names["report_json"] = f"{stem}.report.json"
        files[out / names["report_json"]] = json_bytes(report_dict(result, outputs=names))
        m = result.analysis.measurements
        shown = " + ".join(names[k] for k in ("stl", "3mf") if k in names)
        said.append(
            f"{scan}: {result.analysis.foot.frame.side} foot "
            f"{m.foot_length_mm:.1f} x {m.ball_width_mm:.1f} mm -> {shown}"
            f"{'' if result.verify.printable else ' (FAILS print checks, see report)'}"
        )
    for key, li, ri in pairs:
        if not no_report:
            from scan2insole.report import pair_report_files

            pages = pair_report_files(results[li], results[ri], stem=f"{key}.pair")
            files.update({out / n: b for n, b in pages.items()})
        if "3mf" not in formats:
            continue
        name = pair_names[li]
        meshes = [results[li].insole, results[ri].insole]
        layout = layout_on_bed(meshes, bed_mm=bed_mm)
        files[out / name] = threemf_bytes(
            meshes,
            names=[f"{stems[li]} left insole", f"{stems[ri]} right insole"],
            layout=layout,
            metadata=metadata(f"{key} insoles, left and right", [li, ri]),
        )
        ex, ey = layout.extent_mm
        bed = f"{bed_mm[0]:.0f} x {bed_mm[1]:.0f} mm bed"
        if layout.fits:
            how = layout.arrangement.replace("_", " ")
            how_laid = f"laid out {how}, turned {layout.turn_deg:.0f}°, {ex:.0f} x {ey:.0f} mm"
            how_laid += f" on the {bed}"
        else:
            need = f"{math.ceil(ex)} x {math.ceil(ey)} mm"
            how_laid = f"do NOT fit the {bed} together; the closest layout needs {need}"
        said.append(f"{name}: left and right insoles {how_laid}")
    write_atomically(files, overwrite=overwrite)
    for line in said:
        click.echo(line, err=True)
