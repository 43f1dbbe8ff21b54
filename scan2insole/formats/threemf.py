"""3MF (3D Manufacturing Format, core spec 1.3): write deterministically, read in any unit.

A 3MF file is a zip holding ``[Content_Types].xml``, ``_rels/.rels`` (which names the model part)
and ``3D/3dmodel.model``: XML with one ``<object>`` mesh per part and one build ``<item>`` per part
placing it on the plate. What we write is the same bytes for the same parts: entries in a fixed
order with a fixed date (1980-01-01, the zip epoch), fixed attributes and deflate level, no UUIDs
(they are optional in the core spec, and the random ones other writers add change every file),
coordinates written as the shortest text that reads back to the same float64. The model is in
millimetres (``unit="millimeter"``) and carries Title, Application, Designer, Description and the
scans' SHA-256 as metadata.

Reading honours the ``unit`` attribute (micron, millimeter, centimeter, inch, foot, meter) and
returns millimetres. A file that is not a zip, claims entries larger than ``MAX_ENTRY_BYTES`` or
inflating more than ``MAX_INFLATE_RATIO`` times (zip bombs), holds XML that does not parse or
declares a DTD (entity expansion), or references what it does not define, raises ``ScanError``
with one line.

This module reads the zip container (its entries within the limits above, the model part's XML
with no DTD) and is the format's public face; ``threemf_model.py`` holds the spec's names and the
``Part`` and ``Model`` records, ``threemf_write.py`` the writer and ``threemf_parse.py`` the model
XML to parts.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from xml.etree import ElementTree

from scan2insole.errors import ScanError
from scan2insole.formats.text import size_text
from scan2insole.formats.threemf_model import (
    CORE_NS,
    META_NS,
    MM_PER_UNIT,
    MODEL_PATH,
    MODEL_REL_TYPE,
    Model,
    Part,
)
from scan2insole.formats.threemf_parse import MAX_COMPONENT_DEPTH, parse_model
from scan2insole.formats.threemf_write import model_xml, write

__all__ = [
    "CORE_NS",
    "MAX_COMPONENT_DEPTH",
    "MAX_ENTRIES",
    "MAX_ENTRY_BYTES",
    "MAX_INFLATE_RATIO",
    "MAX_RATIO_FREE_BYTES",
    "META_NS",
    "MM_PER_UNIT",
    "MODEL_PATH",
    "MODEL_REL_TYPE",
    "Model",
    "Part",
    "is_3mf",
    "model_xml",
    "read",
    "write",
]

# the zip limits live here, beside the code that applies them, so that one name both documents
# and sets each (tests lower MAX_ENTRY_BYTES on this module)
MAX_ENTRY_BYTES = 1024**3
"""Largest inflated entry read: 1 GiB of model XML holds ~10 M triangles, far beyond an insole or
a foot scan."""
MAX_INFLATE_RATIO = 200.0
"""Most an entry may inflate: mesh XML deflates 4-10 times; zip bombs inflate 1000 times or more."""
MAX_RATIO_FREE_BYTES = 1024**2
"""Entries smaller than this when inflated may have any ratio (a short repeated text does)."""
MAX_ENTRIES = 10_000
"""Most zip entries: a 3MF has a handful; a bomb of tiny entries has millions."""

_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def read(data: bytes, *, name: str) -> Model:
    """The parts a 3MF file builds, in millimetres, in build order, and its metadata.

    Parameters
    ----------
    data : the whole file.
    name : the file's name; every message starts with it.

    Returns
    -------
    Model
        One part per build item; an object made of components is flattened into one mesh in its
        own frame. Each part's ``name`` is the object's ``name`` attribute, or ``object <id>``.

    Raises
    ------
    ScanError
        Not a zip, a zip bomb or oversize entry, broken or DTD-bearing XML, an unknown unit,
        missing objects or bad indices, or no build items.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise ScanError(f"{name}: not a 3MF file (not a zip archive)") from err
    with zf:
        if len(zf.infolist()) > MAX_ENTRIES:
            raise ScanError(
                f"{name}: 3MF holds {len(zf.infolist())} entries, above the limit of {MAX_ENTRIES}"
            )
        path = _model_path(zf, name=name)
        root = _xml(_entry(zf, path, name=name), entry=path, name=name)
    return parse_model(root, name=name)


def is_3mf(data: bytes) -> bool:
    """Whether ``data`` starts like a zip archive (the container of every 3MF)."""
    return data[:4] == b"PK\x03\x04"


def _entry(zf: zipfile.ZipFile, entry: str, *, name: str) -> bytes:
    """One zip entry's bytes, refusing what inflates beyond the limits."""
    try:
        info = zf.getinfo(entry)
    except KeyError as err:
        raise ScanError(f"{name}: 3MF has no '{entry}' entry") from err
    if info.file_size > MAX_ENTRY_BYTES:
        raise ScanError(
            f"{name}: 3MF entry '{entry}' inflates to {size_text(info.file_size)}, "
            f"above the limit of {size_text(MAX_ENTRY_BYTES)}"
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MAX_RATIO_FREE_BYTES and ratio > MAX_INFLATE_RATIO:
        raise ScanError(
            f"{name}: 3MF entry '{entry}' inflates {ratio:.0f} times, above the limit of "
            f"{MAX_INFLATE_RATIO:.0f} (a zip bomb?)"
        )
    try:
        with zf.open(info) as fh:
            # the header's sizes may lie: never inflate more than they allowed
            data = fh.read(min(info.file_size, MAX_ENTRY_BYTES) + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as err:
        raise ScanError(f"{name}: 3MF entry '{entry}' cannot be read ({err})") from err
    except RuntimeError as err:  # an encrypted entry
        raise ScanError(f"{name}: 3MF entry '{entry}' cannot be read ({err})") from err
    if len(data) > info.file_size:
        raise ScanError(f"{name}: 3MF entry '{entry}' is larger than its zip header says")
    return data


def _xml(data: bytes, *, entry: str, name: str) -> ElementTree.Element:
    if _DTD.search(data):
        raise ScanError(f"{name}: 3MF entry '{entry}' declares a DTD, which 3MF does not allow")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as err:
        raise ScanError(f"{name}: 3MF entry '{entry}' is not valid XML ({err})") from err


def _model_path(zf: zipfile.ZipFile, *, name: str) -> str:
    if "_rels/.rels" not in zf.namelist():
        return MODEL_PATH
    rels = _xml(_entry(zf, "_rels/.rels", name=name), entry="_rels/.rels", name=name)
    for rel in rels:
        if rel.get("Type", "").rstrip("/") == MODEL_REL_TYPE:
            return rel.get("Target", MODEL_PATH).lstrip("/")
    raise ScanError(f"{name}: 3MF relationships name no 3D model part")
