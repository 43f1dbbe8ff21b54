"""3MF model XML to parts: units to millimetres, components flattened, build items placed."""

from __future__ import annotations

from xml.etree import ElementTree

import numpy as np

from scan2insole.errors import ScanError
from scan2insole.formats.threemf_model import MM_PER_UNIT, Model, Part, transformed

MAX_COMPONENT_DEPTH = 16
"""Deepest nesting of components followed (a cycle is refused sooner)."""


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(el: ElementTree.Element, tag: str) -> list[ElementTree.Element]:
    return [c for c in el if _local(c.tag) == tag]


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


def parse_model(root: ElementTree.Element, *, name: str) -> Model:
    """The parts the model XML ``root`` builds, in millimetres, and its metadata.

    Parameters
    ----------
    root : the parsed model part (``3D/3dmodel.model``).
    name : the file's name; every message starts with it.

    Returns
    -------
    Model
        As :func:`scan2insole.formats.threemf.read` describes.

    Raises
    ------
    ScanError
        A root other than ``<model>``, an unknown unit, missing objects or bad indices, components
        nested too deep or in other model files, or no build items.
    """
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
            v, f = transformed(_transform(comp.get("transform"), name=name), v, f)
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
