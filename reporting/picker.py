"""A model picker: a multi-choice box that shows and hides each model's marks.

Two ways to hide a model: `model_picker` turns its own renderers off and on;
`row_picker` filters rows out of renderers that draw every model from one shared data
source (far fewer objects in the page than a renderer per model)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bokeh.models import BooleanFilter, CDSView, CustomJS
from bokeh.models.widgets import MultiChoice

from reporting.figures import Renderer

TOGGLE = """
const on = new Set(this.value);
labels.forEach((label, i) => { for (const r of groups[i]) { r.visible = on.has(label); } });
"""
# Each renderer's source names every row's model in `column`; its view keeps those on.
FILTER = """
const on = new Set(this.value);
for (const r of renderers) {
  r.view.filter.booleans = Array.from(r.data_source.get_array(column), (k) => on.has(k));
}
"""


def model_picker(
    chart_id: str, groups: Sequence[tuple[str, Sequence[Renderer]]], title: str = "Models"
) -> MultiChoice:
    """Every label selected at first; removing one hides its renderers."""
    picker = _picker(chart_id, [label for label, _ in groups], title)
    labels = [label for label, _ in groups]
    code = CustomJS(args={"labels": labels, "groups": [list(rs) for _, rs in groups]}, code=TOGGLE)
    picker.js_on_change("value", code)
    return picker


def filtered_view() -> CDSView:
    """The view a `row_picker` renderer needs: every row shown until one is picked off."""
    return CDSView(filter=BooleanFilter())


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
    args = {"renderers": list(renderers), "column": column}
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
