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
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.formats.text import size_text
from scan2insole.records import frozen_array

CORE_NS = "http://schemas.microsoft.com/3dmanufacturing/core/2015/02"
MODEL_REL_TYPE = "http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"
META_NS = "urn:scan2insole:3mf:metadata"
"""Namespace of our own metadata names (the core spec reserves un-prefixed names)."""
MODEL_PATH = "3D/3dmodel.model"

MM_PER_UNIT = {
    "micron": 0.001,
    "millimeter": 1.0,
    "centimeter": 10.0,
    "inch": 25.4,
    "foot": 304.8,
    "meter": 1000.0,
}
"""The units the 3MF core spec allows, in millimetres."""

MAX_ENTRY_BYTES = 1024**3
"""Largest inflated entry read: 1 GiB of model XML holds ~10 M triangles, far beyond an insole or
a foot scan."""
MAX_INFLATE_RATIO = 200.0
"""Most an entry may inflate: mesh XML deflates 4-10 times; zip bombs inflate 1000 times or more."""
MAX_RATIO_FREE_BYTES = 1024**2
"""Entries smaller than this when inflated may have any ratio (a short repeated text does)."""
MAX_ENTRIES = 10_000
"""Most zip entries: a 3MF has a handful; a bomb of tiny entries has millions."""
MAX_COMPONENT_DEPTH = 16
"""Deepest nesting of components followed (a cycle is refused sooner)."""

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_DEFLATE_LEVEL = 6
_UNIX = 3
_FILE_MODE = 0o100644 << 16
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="model" '
    'ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>'
    "</Types>\n"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Target="/{MODEL_PATH}" Id="rel0" Type="{MODEL_REL_TYPE}"/>'
    "</Relationships>\n"
)
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Part:
    """One printed part of a 3MF: its mesh in its own frame and where the build places it."""

    name: str
    vertices_mm: np.ndarray
    """(n, 3) float64, mm, the object's own frame."""
    faces: np.ndarray
    """(m, 3) int64, counter-clockwise seen from outside."""
    build_from_part: np.ndarray
    """(4, 4) float64 affine map from the part's frame to build-plate coordinates (mm)."""

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "vertices_mm",
            frozen_array(self.vertices_mm, dtype=np.float64, shape=(None, 3), name="vertices_mm"),
        )
        object.__setattr__(
            self, "faces", frozen_array(self.faces, dtype=np.int64, shape=(None, 3), name="faces")
        )
        object.__setattr__(
            self,
            "build_from_part",
            frozen_array(
                self.build_from_part, dtype=np.float64, shape=(4, 4), name="build_from_part"
            ),
        )

    def placed(self) -> tuple[np.ndarray, np.ndarray]:
        """The mesh where the build places it: vertices (n, 3) mm and faces (m, 3), the faces
        reversed when the placement mirrors (so they still wind counter-clockwise outside)."""
        return _apply(self.build_from_part, self.vertices_mm, self.faces)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Model:
    """What a 3MF file holds, in millimetres."""

    unit: str
    """The unit the file declared (one of ``MM_PER_UNIT``); coordinates here are converted."""
    metadata: dict[str, str]
    """Model metadata by name, as written (``Title``, ``scan2insole:scan_sha256``, ...)."""
    parts: tuple[Part, ...]
    """One per build item, in build order."""


def _apply(m: np.ndarray, vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    v = vertices @ m[:3, :3].T + m[:3, 3]
    return v, faces[:, ::-1] if np.linalg.det(m[:3, :3]) < 0 else faces


# ----------------------------------------------------------------------------------------- write


def _number(x: float) -> str:
    """Shortest text that reads back to the same float64 (Python's repr), ``-0`` folded to 0."""
    return repr(float(x) + 0.0)


def _transform_text(m: np.ndarray) -> str:
    # 3MF matrices act on row vectors: the 3 x 3 part is our column-vector rotation transposed,
    # listed row by row, then the translation
    r, t = m[:3, :3], m[:3, 3]
    return " ".join(_number(v) for v in [*r.T.ravel(), *t])


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", " ")
    )


def _mesh_xml(vertices: np.ndarray, faces: np.ndarray) -> str:
    verts = "".join(
        f'<vertex x="{_number(x)}" y="{_number(y)}" z="{_number(z)}"/>'
        for x, y, z in vertices.tolist()
    )
    tris = "".join(f'<triangle v1="{a}" v2="{b}" v3="{c}"/>' for a, b, c in faces.tolist())
    return f"<mesh><vertices>{verts}</vertices><triangles>{tris}</triangles></mesh>"


def model_xml(parts: Sequence[Part], *, metadata: dict[str, str]) -> bytes:
    """The ``3D/3dmodel.model`` XML of ``parts`` (object ids 1, 2, ... in order).

    ``metadata`` keys are the core spec's names (``Title``, ``Designer``, ...) or ours, written
    with the ``scan2insole:`` prefix; they are written in the order given.
    """
    meta = "".join(
        f'<metadata name="{_escape(k)}">{_escape(v)}</metadata>' for k, v in metadata.items()
    )
    objects = "".join(
        f'<object id="{i}" type="model" name="{_escape(p.name)}">'
        f"{_mesh_xml(p.vertices_mm, p.faces)}</object>"
        for i, p in enumerate(parts, start=1)
    )
    items = "".join(
        f'<item objectid="{i}" transform="{_transform_text(p.build_from_part)}"/>'
        for i, p in enumerate(parts, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<model unit="millimeter" xml:lang="en-US" xmlns="{CORE_NS}" '
        f'xmlns:scan2insole="{META_NS}">'
        f"{meta}<resources>{objects}</resources><build>{items}</build></model>\n"
    ).encode()


def write(parts: Sequence[Part], *, metadata: dict[str, str]) -> bytes:
    """A 3MF file holding ``parts``, byte for byte the same for the same input.

    Parameters
    ----------
    parts : the objects, each placed on the plate by its ``build_from_part``.
    metadata : model metadata, written in the order given (see :func:`model_xml`).
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in (
            ("[Content_Types].xml", _CONTENT_TYPES.encode()),
            ("_rels/.rels", _RELS.encode()),
            (MODEL_PATH, model_xml(parts, metadata=metadata)),
        ):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = _UNIX
            info.external_attr = _FILE_MODE
            zf.writestr(
                info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=_DEFLATE_LEVEL
            )
    return buf.getvalue()


# ------------------------------------------------------------------------------------------ read


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


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(el: ElementTree.Element, tag: str) -> list[ElementTree.Element]:
    return [c for c in el if _local(c.tag) == tag]


def _model_path(zf: zipfile.ZipFile, *, name: str) -> str:
    if "_rels/.rels" not in zf.namelist():
        return MODEL_PATH
    rels = _xml(_entry(zf, "_rels/.rels", name=name), entry="_rels/.rels", name=name)
    for rel in rels:
        if rel.get("Type", "").rstrip("/") == MODEL_REL_TYPE:
            return rel.get("Target", MODEL_PATH).lstrip("/")
    raise ScanError(f"{name}: 3MF relationships name no 3D model part")


def _floats(values: list[str | None], *, what: str, name: str) -> np.ndarray:
    try:
        out = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ScanError(f"{name}: 3MF {what} holds a missing or non-numeric value") from err
    if not np.isfinite(out).all():
        raise ScanError(f"{name}: 3MF {what} holds NaN or infinite values")
    return out


def _transform(text: str | None, *, name: str) -> np.ndarray:
    m = np.eye(4)
    if text is None:
        return m
    values = _floats(text.split(), what="transform", name=name)
    if len(values) != 12:
        raise ScanError(f"{name}: 3MF transform has {len(values)} numbers, expected 12")
    m[:3, :3] = values[:9].reshape(3, 3).T
    m[:3, 3] = values[9:]
    return m


def _mesh(obj: ElementTree.Element, *, name: str) -> tuple[np.ndarray, np.ndarray]:
    mesh = _children(obj, "mesh")[0]
    verts_el = _children(mesh, "vertices")
    tris_el = _children(mesh, "triangles")
    verts = [v for v in (verts_el[0] if verts_el else []) if _local(v.tag) == "vertex"]
    tris = [t for t in (tris_el[0] if tris_el else []) if _local(t.tag) == "triangle"]
    oid = obj.get("id")
    v = _floats(
        [c for e in verts for c in (e.get("x"), e.get("y"), e.get("z"))],
        what=f"object {oid} vertices",
        name=name,
    ).reshape(-1, 3)
    try:
        f = np.array(
            [c for e in tris for c in (e.get("v1"), e.get("v2"), e.get("v3"))], dtype=np.int64
        ).reshape(-1, 3)
    except (TypeError, ValueError) as err:
        raise ScanError(
            f"{name}: 3MF object {oid} has a triangle without 3 vertex indices"
        ) from err
    if len(f) and (f.min() < 0 or f.max() >= len(v)):
        raise ScanError(
            f"{name}: 3MF object {oid} has a triangle index outside its {len(v)} vertices"
        )
    return v, f


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
    if _local(root.tag) != "model":
        raise ScanError(f"{name}: 3MF model part's root is <{_local(root.tag)}>, expected <model>")
    unit = root.get("unit", "millimeter")
    if unit not in MM_PER_UNIT:
        raise ScanError(f"{name}: 3MF unit '{unit}' is not one of {', '.join(MM_PER_UNIT)}")
    scale = MM_PER_UNIT[unit]
    resources = _children(root, "resources")
    objects = {o.get("id"): o for o in (_children(resources[0], "object") if resources else [])}

    def flatten(oid: str | None, depth: int) -> tuple[np.ndarray, np.ndarray]:
        if oid not in objects:
            raise ScanError(f"{name}: 3MF refers to object {oid}, which it does not define")
        if depth > MAX_COMPONENT_DEPTH:
            raise ScanError(
                f"{name}: 3MF components nest deeper than {MAX_COMPONENT_DEPTH} (a cycle?)"
            )
        obj = objects[oid]
        if _children(obj, "mesh"):
            return _mesh(obj, name=name)
        comps = _children(obj, "components")
        if not comps:
            raise ScanError(f"{name}: 3MF object {oid} has neither a mesh nor components")
        vs, fs, n = [], [], 0
        for comp in _children(comps[0], "component"):
            if any(k.endswith("}path") for k in comp.attrib):
                raise ScanError(
                    f"{name}: 3MF object {oid} uses parts in other model files, not supported"
                )
            v, f = flatten(comp.get("objectid"), depth + 1)
            v, f = _apply(_transform(comp.get("transform"), name=name), v, f)
            vs.append(v)
            fs.append(f + n)
            n += len(v)
        if not vs:
            raise ScanError(f"{name}: 3MF object {oid} has no components")
        return np.vstack(vs), np.vstack(fs)

    build = _children(root, "build")
    items = _children(build[0], "item") if build else []
    if not items:
        raise ScanError(f"{name}: 3MF has no build items (nothing to print)")
    parts = []
    for item in items:
        oid = item.get("objectid")
        v, f = flatten(oid, 0)
        m = _transform(item.get("transform"), name=name)
        m[:3, 3] *= scale
        parts.append(
            Part(
                name=objects[oid].get("name") or f"object {oid}",
                vertices_mm=v * scale,
                faces=f,
                build_from_part=m,
            )
        )
    metadata = {
        m.get("name", ""): (m.text or "") for m in _children(root, "metadata") if m.get("name")
    }
    return Model(unit=unit, metadata=metadata, parts=tuple(parts))


def is_3mf(data: bytes) -> bool:
    """Whether ``data`` starts like a zip archive (the container of every 3MF)."""
    return data[:4] == b"PK\x03\x04"
