"""The report page: one self-contained HTML file (styles inline, pictures as base64 PNG data
URIs, no script, no network), the same bytes for the same content."""

from __future__ import annotations

import base64
import html

from scan2insole.report.tables import Table

_CSS = """
body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;margin:24px auto;max-width:1320px;
color:#1a1a1a;font-size:14px;line-height:1.4}
h1{font-size:24px;margin:0 0 6px}h2{font-size:19px;margin:30px 0 8px;border-bottom:2px solid #444;
padding-bottom:3px}h3{font-size:15px;margin:18px 0 6px}
.summary{background:#f2f5f9;border:1px solid #c8d2de;padding:10px 14px;margin:10px 0}
.summary span{display:inline-block;margin-right:22px}
figure{margin:10px 0 18px}figure img{width:100%;max-width:1300px;height:auto;display:block;
border:1px solid #ddd}figcaption{font-size:13px;color:#444;margin-top:4px}
table{border-collapse:collapse;margin:6px 0 14px;font-size:13px}
th,td{border:1px solid #bbb;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#e8e8e8}td.num{text-align:right;white-space:nowrap}
tr.bad td{background:#f6c7c7;color:#8b0000;font-weight:bold}tr.ok td.status{color:#1a7f37}
tr.na td{color:#777}tr.warn td{background:#fff4ce}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:16px}.pair figure img{max-width:100%}
.note{font-size:13px;color:#444}
"""


def text(value: str) -> str:
    """HTML-escaped text."""
    return html.escape(str(value), quote=True)


def image(png: bytes, *, alt: str, caption: str = "") -> str:
    """A picture embedded as a base64 PNG data URI, with its caption."""
    data = base64.b64encode(png).decode("ascii")
    cap = f"<figcaption>{text(caption)}</figcaption>" if caption else ""
    return f'<figure><img alt="{text(alt)}" src="data:image/png;base64,{data}">{cap}</figure>'


def table(
    t: Table, *, numeric_columns: tuple[int, ...] = (), status_column: int | None = None
) -> str:
    """A table; rows with class ``bad`` are red, ``na`` grey, ``warn`` yellow; the cell in
    ``status_column`` of an ``ok`` row is green."""
    head = "".join(f"<th>{text(h)}</th>" for h in t.header)
    body = []
    for cells, cls in t.rows:
        tds = []
        for i, c in enumerate(cells):
            classes = []
            if i in numeric_columns:
                classes.append("num")
            if i == status_column:
                classes.append("status")
            attr = f' class="{" ".join(classes)}"' if classes else ""
            tds.append(f"<td{attr}>{text(c)}</td>")
        row_attr = f' class="{cls}"' if cls else ""
        body.append(f"<tr{row_attr}>{''.join(tds)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def notes(items: tuple[str, ...] | list[str], *, title: str) -> str:
    if not items:
        return ""
    lis = "".join(f"<li>{text(i)}</li>" for i in items)
    return f'<div class="note"><b>{text(title)}</b><ul>{lis}</ul></div>'


def page(*, title: str, body: str) -> bytes:
    """The whole document, UTF-8."""
    doc = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(title)}</title><style>{_CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )
    return doc.encode("utf-8")
