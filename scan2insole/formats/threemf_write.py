"""3MF writing: the same zip bytes for the same parts (fixed entry order, date, attributes,
deflate level, no UUIDs) and coordinates as the shortest text that reads back to the same float64.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import numpy as np

from scan2insole.formats.threemf_model import CORE_NS, META_NS, MODEL_PATH, MODEL_REL_TYPE, Part

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
