"""The report page: one self-contained HTML file that works offline from disk.

BokehJS (the charting runtime) is inlined once for the whole page, with only the parts
the charts use; every chart's data is embedded by Bokeh's own serializer. Model names
and other figures come from scraped third-party files, so every piece of text this
module writes is escaped, and links are kept only when they are http(s).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from urllib.parse import urlparse

from bokeh.core.validation import check_integrity
from bokeh.document import Document
from bokeh.embed import components
from bokeh.embed.bundle import bundle_for_objs_and_resources
from bokeh.models import LayoutDOM
from bokeh.resources import INLINE
from bokeh.settings import settings

from reporting.section import Cell, Entry, Section, Table

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;
background:#fafafa}
header{background:#14213d;color:#fff;padding:16px 32px}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:2px 0;opacity:.85;font-size:13px}
header code{color:#fff}
.dates{position:sticky;top:0;z-index:10;background:#e9edf5;padding:6px 32px;
border-bottom:1px solid #cfd6e4}
nav{padding:8px 32px;font-size:13px}
nav a{margin-right:14px;color:#14213d}
main{padding:0 32px 40px;max-width:1180px}
section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:4px 20px 16px;
margin:18px 0}
h2{font-size:18px;margin:14px 0 4px}
.caption{margin:2px 0 8px;color:#333}
.note{background:#fff6d6;border-left:4px solid #e0b000;padding:6px 10px;margin:6px 0;
font-size:13px}
.empty{background:#f3f3f3;border:1px dashed #bbb;padding:28px;text-align:center;color:#555;
margin:8px 0}
button.csv{font-size:12px;margin:6px 0;padding:3px 10px;cursor:pointer}
.entries{max-height:260px;overflow:auto;border:1px solid #eee;padding:0 10px;margin:8px 0;
font-size:13px}
.entries div{padding:4px 0;border-bottom:1px solid #f0f0f0}
.entries div:target{background:#fff3b0}
table{border-collapse:collapse;font-size:12px;margin-top:6px}
th,td{border-bottom:1px solid #eee;padding:3px 8px;text-align:left}
th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.more{font-size:12px;color:#666}
summary{cursor:pointer;font-size:13px;color:#14213d;margin-top:4px}
"""
# The CSV download: the rows of every data source tagged for a chart (reporting.figures),
# built in the browser and saved through a Blob, so it works from a file:// page offline.
# Text cells that a spreadsheet would run as a formula are prefixed with a quote.
CSV_SCRIPT = """
(() => {
  function sources(chart) {
    const found = [];
    for (const doc of Bokeh.documents) {
      for (const model of doc.all_models) {
        const tags = model.tags;
        if (Array.isArray(tags) && tags[0] === "thesis-csv" && tags[1] === chart) {
          found.push(model);
        }
      }
    }
    return found;
  }
  function cell(value, kind) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number" && !isFinite(value)) return "";
    if (kind === "date") return new Date(value).toISOString().slice(0, 10);
    let text = String(value);
    if (kind === "text" && /^[=+\\-@\\t\\r]/.test(text)) text = "'" + text;
    return /[",\\r\\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  window.thesisCsv = function (chart) {
    const found = sources(chart);
    if (!found.length) return "";
    const columns = found[0].tags[2];
    const lines = [columns.map((c) => cell(c[1], "text")).join(",")];
    for (const source of found) {
      const arrays = columns.map((c) => source.get_array(c[0]));
      for (let i = 0; i < source.get_length(); i++) {
        lines.push(columns.map((c, j) => cell(arrays[j][i], c[2])).join(","));
      }
    }
    return lines.join("\\r\\n") + "\\r\\n";
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-chart]");
    if (!button) return;
    const blob = new Blob([window.thesisCsv(button.dataset.chart)], {type: "text/csv"});
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = button.dataset.chart + ".csv";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  });
})();
"""


def render(
    sections: Sequence[Section],
    selector: LayoutDOM | None,
    db_label: str,
    generated_at: datetime,
) -> str:
    when = generated_at.strftime("%Y-%m-%d %H:%M UTC")
    roots: list[LayoutDOM] = [s.chart for s in sections if s.chart is not None]
    if selector is not None:
        roots.append(selector)
    script, divs = embed(roots)
    placed = dict(zip([id(r) for r in roots], divs, strict=True))
    bundle = bundle_for_objs_and_resources(roots, INLINE) if roots else None
    runtime = "\n".join(f"<script>{js}</script>" for js in bundle.js_raw) if bundle else ""
    runtime_css = "\n".join(f"<style>{css}</style>" for css in bundle.css_raw) if bundle else ""
    nav = " ".join(f'<a href="#{_e(s.id)}">{_e(s.title)}</a>' for s in sections)
    body = "\n".join(_section(s, placed.get(id(s.chart), "")) for s in sections)
    dates = placed.get(id(selector), "") if selector is not None else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>thesis report — {_e(when)}</title>
<style>{STYLE}</style>
{runtime_css}
{runtime}
</head>
<body>
<header>
<h1>thesis — inference-economics report</h1>
<p>Warehouse: <code>{_e(db_label)}</code></p>
<p>Generated: {_e(when)}</p>
</header>
<div class="dates">{dates}</div>
<nav>{nav}</nav>
<main>
{body}
</main>
{script}
<script>{CSV_SCRIPT}</script>
</body>
</html>
"""


def embed(roots: Sequence[LayoutDOM]) -> tuple[str, tuple[str, ...]]:
    """Bokeh's script and one div per root, all in one document (charts share the date
    range). The roots join the document in one step, and Bokeh's own validation is left
    to the tests (reporting.page.problems): each costs seconds on a three-year page."""
    if not roots:
        return "", ()
    doc = Document()
    with doc.models.freeze():  # one pass over the models, not one per root
        for root in roots:
            doc.add_root(root)
    settings.perform_document_validation.set_value(False)
    try:
        script, divs = components(list(roots))
    finally:
        settings.perform_document_validation.unset_value()
    return script, tuple(divs)


def problems(roots: Sequence[LayoutDOM]) -> list[str]:
    """Bokeh's integrity checks over a page's charts (errors and warnings, as text)."""
    found = check_integrity({model for root in roots for model in root.references()})
    return [str(issue) for issue in (*found.error, *found.warning)]


def _section(s: Section, chart_div: str) -> str:
    parts = [
        f'<section id="{_e(s.id)}">',
        f"<h2>{_e(s.title)}</h2>",
        f'<p class="caption">{_e(s.caption)}</p>',
    ]
    if s.chart is not None:
        parts.append(f'<div class="chart">{chart_div}</div>')
        parts.append(
            f'<button type="button" class="csv" data-chart="{_e(s.id)}">'
            "Download CSV of the numbers behind this chart</button>"
        )
    else:
        why = s.notes[0] if s.notes else "no data yet"
        parts.append(f'<div class="empty">{_e(why)}</div>')
    notes = s.notes if s.chart is not None else s.notes[1:]
    parts.extend(f'<p class="note">{_e(n)}</p>' for n in notes)
    if s.entries:
        parts.append(_entries(s.entries))
    if s.table is not None:
        parts.append(_table(s.table))
    parts.append("</section>")
    return "\n".join(parts)


def _entries(entries: Sequence[Entry]) -> str:
    items = []
    for e in entries:
        url = e.url if urlparse(e.url).scheme in ("http", "https") else ""
        link = f' <a href="{_e(url)}" rel="noopener noreferrer">source</a>' if url else ""
        items.append(
            f'<div id="{_e(e.anchor)}"><strong>{_e(e.heading)}</strong><br>{_e(e.body)}{link}</div>'
        )
    return f'<div class="entries">{"".join(items)}</div>'


def _table(t: Table) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in t.columns)
    body = "\n".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in t.rows)
    more = f'<p class="more">… and {t.more_rows} more rows</p>' if t.more_rows else ""
    count = len(t.rows) + t.more_rows
    return (
        f"<details><summary>Summary table ({count} rows)</summary>"
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
