"""A model picker: a multi-choice box that shows and hides each model's lines."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bokeh.models import CustomJS
from bokeh.models.widgets import MultiChoice

from reporting.figures import Renderer

TOGGLE = """
const on = new Set(this.value);
labels.forEach((label, i) => { for (const r of groups[i]) { r.visible = on.has(label); } });
"""


def model_picker(
    chart_id: str, groups: Sequence[tuple[str, Sequence[Renderer]]], title: str = "Models"
) -> MultiChoice:
    """Every label selected at first; removing one hides its renderers."""
    labels = [label for label, _ in groups]
    # Choices.js, which draws the box, renders an option's label as HTML: labels are
    # scraped model names, so they go in escaped (the value stays the plain name).
    options: list[str | tuple[str, str]] = [(label, escape(label)) for label in labels]
    picker = MultiChoice(
        options=options,
        value=labels,
        title=f"{title} (remove to hide, add back to show)",
        name=f"picker-{chart_id}",
        width=1100,
        tags=["thesis-picker", chart_id],
    )
    code = CustomJS(args={"labels": labels, "groups": [list(rs) for _, rs in groups]}, code=TOGGLE)
    picker.js_on_change("value", code)
    return picker
