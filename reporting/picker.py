"""A model picker: a multi-choice box that shows and hides each model's marks.

The models of a chart share renderers and data sources (far fewer objects in the page
than a renderer per model), so the picker filters a model's rows out of them rather
than turning renderers off."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bokeh.models import BooleanFilter, CDSView, CustomJS
from bokeh.models.widgets import MultiChoice

from reporting.figures import Renderer

# A source's column of the rows a renderer draws at all (the others are never shown).
MARKED = "marked"
# Each renderer's source names every row's model in `column`; its view keeps those on
# (of the rows it draws at all, when its source says which).
FILTER = """
const on = new Set(this.value);
for (const r of renderers) {
  const source = r.data_source, keys = source.get_array(column);
  const drawn = source.columns().includes(marked) ? source.get_array(marked) : null;
  r.view.filter.booleans = Array.from(keys, (k, i) => on.has(k) && (!drawn || drawn[i]));
}
"""


def filtered_view(marked: Sequence[bool] | None = None) -> CDSView:
    """The view a `row_picker` renderer needs: every row shown (or, given the source's
    `marked` column, those marked) until one is picked off."""
    return CDSView(filter=BooleanFilter(booleans=None if marked is None else list(marked)))


def row_picker(
    chart_id: str,
    labels: Sequence[str],
    renderers: Sequence[Renderer],
    column: str,
    title: str = "Models",
) -> MultiChoice:
    """Every label selected at first; removing one hides the rows whose `column` holds it
    from each renderer (each drawn with a `filtered_view`)."""
    picker = _picker(chart_id, list(labels), title)
    args = {"renderers": list(renderers), "column": column, "marked": MARKED}
    picker.js_on_change("value", CustomJS(args=args, code=FILTER))
    return picker


def _picker(chart_id: str, labels: list[str], title: str) -> MultiChoice:
    # Choices.js, which draws the box, renders an option's label as HTML: labels are
    # scraped model names, so they go in escaped (the value stays the plain name).
    options: list[str | tuple[str, str]] = [(label, escape(label)) for label in labels]
    return MultiChoice(
        options=options,
        value=labels,
        title=f"{title} (remove to hide, add back to show)",
        name=f"picker-{chart_id}",
        width=1100,
        tags=["thesis-picker", chart_id],
    )
