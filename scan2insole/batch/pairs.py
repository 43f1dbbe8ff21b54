"""Left/right pairs: which scans are the two feet of one person.

From names first: a stem whose last word is ``L``/``R`` (``anna_L``, ``anna-r``) or that holds
the word ``left``/``right`` (``left_foot``, ``anna_right_scan``) states its side, and two scans in
the same folder whose stems are equal once that word is removed are a pair when one is left and
one right. Failing names, a folder holding exactly two scans, neither naming a side, is taken as
one person's pair and the anatomy (``frame.py``'s side detection) tells which is which. The side
the name states is checked against the anatomy after the run, never forced on the design.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from scan2insole.records import Side

_WORD_SPLIT = re.compile(r"[_\-. ]+")
_SIDE_WORDS: dict[str, Side] = {"left": "left", "right": "right"}
_SIDE_LETTERS: dict[str, Side] = {"l": "left", "r": "right"}


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class PairInfo:
    """What a scan's name and folder say about its side and its partner."""

    side_from_name: Side | None
    """The side the file name states, None when it states none (or both)."""
    pair: str | None
    """Identifier shared by the two scans of a pair (folder/person); None when unpaired."""


def side_from_name(stem: str) -> tuple[Side | None, str]:
    """The side a file stem states, and the stem with that word removed (lower case).

    ``L``/``R`` count only as the last word (``anna_L``); ``left``/``right`` anywhere, as a word
    (``left_foot``). A stem naming both sides, or one side twice, states none.
    """
    side, person = name_parts(stem)
    return side, person.lower()


def name_parts(stem: str) -> tuple[Side | None, str]:
    """As :func:`side_from_name`, with the person's words in their own case (``Anna_L`` gives
    ``Anna``): the name of a pair's files."""
    words = [w for w in _WORD_SPLIT.split(stem) if w]
    lower = [w.lower() for w in words]
    hits = [(i, _SIDE_WORDS[w]) for i, w in enumerate(lower) if w in _SIDE_WORDS]
    if lower and lower[-1] in _SIDE_LETTERS and len(lower) > 1:
        hits.append((len(lower) - 1, _SIDE_LETTERS[lower[-1]]))
    if len(hits) != 1:
        return None, "_".join(words)
    index, side = hits[0]
    return side, "_".join(w for i, w in enumerate(words) if i != index)


def pair_scans(rels: Sequence[PurePosixPath]) -> dict[PurePosixPath, PairInfo]:
    """Side from name and pair identifier of every scan, from names and folders.

    Parameters
    ----------
    rels
        Scan paths relative to the input folder.

    Returns
    -------
    dict
        ``rel -> PairInfo``; a pair's identifier is ``folder/person`` (``folder`` alone for the
        two unnamed scans of one folder).
    """
    named: dict[tuple[str, str], list[tuple[PurePosixPath, Side]]] = defaultdict(list)
    unnamed: dict[str, list[PurePosixPath]] = defaultdict(list)
    sides: dict[PurePosixPath, Side | None] = {}
    for rel in rels:
        side, person = side_from_name(rel.stem)
        sides[rel] = side
        folder = rel.parent.as_posix()
        if side is None:
            unnamed[folder].append(rel)
        else:
            named[(folder, person)].append((rel, side))
    pair: dict[PurePosixPath, str] = {}
    for (folder, person), members in named.items():
        if sorted(side for _, side in members) == ["left", "right"]:
            ident = person if folder == "." else f"{folder}/{person}"
            for rel, _ in members:
                pair[rel] = ident
    folders_with_named = {folder for folder, _ in named}
    for folder, members in unnamed.items():
        if len(members) == 2 and folder != "." and folder not in folders_with_named:
            for rel in members:
                pair[rel] = folder
    return {rel: PairInfo(side_from_name=sides[rel], pair=pair.get(rel)) for rel in rels}
