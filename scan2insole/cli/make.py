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
from scan2insole.output_files import FORMATS

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
    from scan2insole.export import write_atomically
    from scan2insole.output_files import (
        pair_3mf_name,
        pair_bed_mm,
        pair_files,
        pair_layout,
        pictures_in,
        scan_files,
        scan_output_names,
    )
    from scan2insole.pipeline import make as make_one
    from scan2insole.profile import load_profile

    profile = load_profile(profile_name, overrides=parse_overrides(overrides))
    stems = [safe_stem(scan) for scan in scans]
    seen: dict[str, str] = {}
    for scan, stem in zip(scans, stems, strict=True):  # case-blind: so are macOS and Windows
        if (first := seen.setdefault(stem.lower(), scan)) != scan:
            raise OutputError(f"{first} and {scan} would both write {stem}.*; rename one")
    # an operator who forgot --overwrite hears so at once, not after the whole pipeline; the
    # names known only later (pair files, pictures) are checked by write_atomically, before it
    # writes any
    for stem in [] if overwrite else stems:
        for name in scan_output_names(stem, formats=formats, report=not no_report).values():
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
    key_of = {i: key for key, li, ri in pairs for i in (li, ri)}

    files: dict[Path, bytes] = {}
    drawn: dict[int, dict[str, bytes]] = {}  # each foot's pictures, for its pair's report
    # what was made, said once it is written: a failed write is then the one line on stderr
    said: list[str] = []
    for i, (scan, result) in enumerate(zip(scans, results, strict=True)):
        own = scan_files(
            result, stem=stems[i], formats=formats, report=not no_report, pair_key=key_of.get(i)
        )
        files.update({out / n: b for n, b in own.items()})
        if not no_report:
            drawn[i] = pictures_in(own, stem=stems[i])
        m = result.analysis.measurements
        names = scan_output_names(stems[i], formats=formats)
        shown = " + ".join(names[k] for k in ("stl", "3mf") if k in names)
        said.append(
            f"{scan}: {result.analysis.foot.frame.side} foot "
            f"{m.foot_length_mm:.1f} x {m.ball_width_mm:.1f} mm -> {shown}"
            f"{'' if result.verify.printable else ' (FAILS print checks, see report)'}"
        )
    for key, li, ri in pairs:
        layout = pair_layout(results[li], results[ri])
        both = pair_files(
            results[li],
            results[ri],
            key=key,
            left_stem=stems[li],
            right_stem=stems[ri],
            formats=formats,
            report=not no_report,
            layout=layout,
            drawn=(drawn[li], drawn[ri]) if not no_report else None,
        )
        files.update({out / n: b for n, b in both.items()})
        if "3mf" not in formats:
            continue
        bed_mm = pair_bed_mm(results[li], results[ri])
        ex, ey = layout.extent_mm
        bed = f"{bed_mm[0]:.0f} x {bed_mm[1]:.0f} mm bed"
        if layout.fits:
            how = layout.arrangement.replace("_", " ")
            how_laid = f"laid out {how}, turned {layout.turn_deg:.0f}°, {ex:.0f} x {ey:.0f} mm"
            how_laid += f" on the {bed}"
        else:
            need = f"{math.ceil(ex)} x {math.ceil(ey)} mm"
            how_laid = f"do NOT fit the {bed} together; the closest layout needs {need}"
        said.append(f"{pair_3mf_name(key)}: left and right insoles {how_laid}")
    write_atomically(files, overwrite=overwrite)
    for line in said:
        click.echo(line, err=True)
