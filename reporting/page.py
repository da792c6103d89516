"""The report page: one self-contained HTML file, every piece of text escaped.

Model names and other figures come from scraped third-party files, so nothing from the
warehouse reaches the page unescaped. Images are referenced by relative path; each
marks itself data-loaded when the browser has decoded it (the browser test reads that).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from reporting.section import Cell, Section, Table

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;
background:#fafafa}
header{background:#14213d;color:#fff;padding:18px 32px}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:2px 0;opacity:.85;font-size:13px}
header code{color:#fff}
nav{padding:8px 32px;background:#e9edf5;font-size:13px}
nav a{margin-right:14px;color:#14213d}
main{padding:8px 32px 40px;max-width:1180px}
section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:4px 20px 16px;
margin:18px 0}
h2{font-size:18px;margin:14px 0 6px}
img{max-width:100%;height:auto;display:block;margin:8px 0}
.note{background:#fff6d6;border-left:4px solid #e0b000;padding:6px 10px;margin:6px 0;
font-size:13px}
table{border-collapse:collapse;font-size:12px;margin-top:6px}
th,td{border-bottom:1px solid #eee;padding:3px 8px;text-align:left}
th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.more{font-size:12px;color:#666}
summary{cursor:pointer;font-size:13px;color:#14213d;margin-top:4px}
"""
ONLOAD = "this.dataset.loaded='1'"
ONERROR = "this.dataset.loaded='error'"


def render(sections: Sequence[Section], db_label: str, generated_at: datetime) -> str:
    when = generated_at.strftime("%Y-%m-%d %H:%M UTC")
    nav = " ".join(f'<a href="#{_e(s.id)}">{_e(s.title)}</a>' for s in sections)
    body = "\n".join(_section(s) for s in sections)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>thesis report — {_e(when)}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>thesis — inference-economics report</h1>
<p>Warehouse: <code>{_e(db_label)}</code></p>
<p>Generated: {_e(when)}</p>
</header>
<nav>{nav}</nav>
<main>
{body}
</main>
</body>
</html>
"""


def _section(s: Section) -> str:
    parts = [f'<section id="{_e(s.id)}">', f"<h2>{_e(s.title)}</h2>", f"<p>{_e(s.lede)}</p>"]
    if s.image:
        parts.append(
            f'<img src="{_e(s.image)}" alt="{_e(s.alt)}" loading="eager" '
            f'onload="{ONLOAD}" onerror="{ONERROR}">'
        )
    parts.extend(f'<p class="note">{_e(n)}</p>' for n in s.notes)
    if s.table is not None:
        parts.append(_table(s.table))
    parts.append("</section>")
    return "\n".join(parts)


def _table(t: Table) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in t.columns)
    body = "\n".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in t.rows)
    more = f'<p class="more">… and {t.more_rows} more rows</p>' if t.more_rows else ""
    count = len(t.rows) + t.more_rows
    # Collapsed: the chart is what the reader came for; the figures are one click away.
    return (
        f"<details><summary>Data ({count} rows)</summary>"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>{more}"
        "</details>"
    )


def _cell(value: Cell) -> str:
    if value is None:
        return "<td>—</td>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="num">{_e(_number(value))}</td>'
    return f"<td>{_e(str(value))}</td>"


def _number(value: float) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _e(text: str) -> str:
    return escape(text, quote=True)
