"""Bokeh figures in one house style: tools, colours, state markers, hover and CSV tags.

Every chart is a Bokeh figure drawn in the browser from the data embedded in the page.
Conventions the page and the browser test rely on:

- each figure carries `tags=[CHART_TAG, chart_id]`;
- each ColumnDataSource whose rows are the numbers behind a chart carries
  `tags=[CSV_TAG, chart_id, [[field, header, kind], ...]]` (kind: date, number, text):
  the page's "Download CSV" button writes those rows, offline;
- dates are milliseconds since the epoch (UTC midnight), as Bokeh's datetime axis wants.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from bokeh.models import (
    CDSView,
    ColumnDataSource,
    FixedTicker,
    HoverTool,
    NumeralTickFormatter,
)
from bokeh.models.annotations import Legend, LegendItem, Title
from bokeh.models.glyph import Glyph
from bokeh.models.renderers import GlyphRenderer
from bokeh.plotting import figure

from reporting.relations import Row

CHART_TAG = "thesis-chart"
CSV_TAG = "thesis-csv"
WIDTH = 1100
EPOCH = date(1970, 1, 1)
DAY_MS = 86_400_000
TOOLS = "pan,box_zoom,wheel_zoom,reset,save"
# One colour per provider, stable across charts.
PROVIDER_COLOURS = {
    "openai": "#10a37f",
    "anthropic": "#d97757",
    "google": "#4285f4",
    "deepseek": "#8e44ad",
    "xai": "#222222",
    "mistral": "#fa520f",
    "meta": "#0668e1",
}
FALLBACK_COLOURS = ("#e67e22", "#16a085", "#c0392b", "#7f8c8d", "#d4ac0d", "#2c3e50")
# Ten distinct colours for the models of one panel.
SERIES_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
# How a point's state is drawn: a filled dot is confirmed, a hollow one pending, a red
# cross disputed (the line itself only ever joins confirmed values).
STATE_MARKERS = {"confirmed": "circle", "pending": "circle", "disputed": "x"}
STATE_FILL = {"confirmed": None, "pending": "white", "disputed": "#d62728"}
# Bokeh's LogTicker falls back to linear steps over less than a few decades; these fixed
# 1-2-5 ticks read the same at any zoom (only those in view are drawn).
LOG_TICKS = [m * 10.0**e for e in range(-3, 17) for m in (1, 2, 5)]
TOKENS_FORMAT = "0.[0]a"  # 128k, 2m
Column = tuple[str, str, str]  # field, CSV header, kind (date | number | text)
Data = dict[str, Any]  # a data source's columns
if TYPE_CHECKING:
    Renderer = GlyphRenderer[Any]  # generic for the type checker only
else:
    Renderer = GlyphRenderer
Place = Literal["above", "below", "left", "right", "center"]


def provider_colour(provider: str) -> str:
    if provider in PROVIDER_COLOURS:
        return PROVIDER_COLOURS[provider]
    return FALLBACK_COLOURS[sum(provider.encode()) % len(FALLBACK_COLOURS)]


def ms(day: date) -> float:
    """A UTC day as Bokeh's datetime axis wants it."""
    return float((day - EPOCH).days * DAY_MS)


def new_figure(
    chart_id: str,
    title: str,
    *,
    x_label: str = "",
    y_label: str = "",
    height: int = 340,
    width: int = WIDTH,
    log_format: str = "0,0.[000]",
    **kwargs: Any,
) -> figure:
    """A figure with the house tools (pan, box zoom, wheel zoom, reset, PNG save).

    A log axis is ticked at 1-2-5 steps and labelled with `log_format` (Numeral.js)."""
    fig = figure(
        title=title,
        height=height,
        width=width,
        tools=TOOLS,
        active_drag="box_zoom",
        toolbar_location="above",
        tags=[CHART_TAG, chart_id],
        **kwargs,
    )
    if isinstance(fig.title, Title):
        fig.title.text_font_size = "13px"
    fig.xaxis.axis_label = x_label
    fig.yaxis.axis_label = y_label
    fig.grid.grid_line_alpha = 0.35
    fig.toolbar.logo = None
    for axis, kind in ((fig.xaxis, "x_axis_type"), (fig.yaxis, "y_axis_type")):
        if kwargs.get(kind) == "log":  # 1-2-5 steps in plain numbers, not 10^x
            axis.ticker = FixedTicker(ticks=LOG_TICKS)
            axis.formatter = NumeralTickFormatter(format=log_format)
    fig.outline_line_color = None
    return fig


def add_glyph(
    fig: figure, glyph: Glyph, source: ColumnDataSource, view: CDSView | None = None
) -> Renderer:
    """A renderer made directly: BokehJS derives its selection and muted looks, so the
    page carries one glyph per renderer instead of the three `figure.line()` makes."""
    renderer = GlyphRenderer(data_source=source, glyph=glyph, view=view or CDSView())
    fig.renderers.append(renderer)
    return renderer


def csv_source(chart_id: str, columns: Sequence[Column], data: Data) -> ColumnDataSource:
    """A data source whose rows the chart's CSV download writes, in `columns` order."""
    return ColumnDataSource(data, tags=[CSV_TAG, chart_id, [list(c) for c in columns]])


def rows_source(chart_id: str, columns: Sequence[Column], rows: Sequence[Row]) -> ColumnDataSource:
    """`csv_source` of warehouse rows: each column read by name, dates as milliseconds."""
    data: Data = {
        name: [ms(r[name]) if kind == "date" else r[name] for r in rows]
        for name, _, kind in columns
    }
    return csv_source(chart_id, columns, data)


def hover(
    fig: figure,
    renderers: Sequence[Renderer],
    tooltips: Sequence[tuple[str, str]],
    date_fields: Iterable[str] = (),
    mode: Literal["mouse", "hline", "vline"] = "mouse",
) -> None:
    """Hover values on these renderers; date fields shown as YYYY-MM-DD."""
    fig.add_tools(
        HoverTool(
            renderers=list(renderers),
            tooltips=list(tooltips),
            formatters={f"@{name}": "datetime" for name in date_fields},
            mode=mode,
        )
    )


def legend(
    fig: figure,
    items: Sequence[tuple[str, Sequence[Renderer]]],
    *,
    title: str = "",
    place: Place = "right",
    columns: int = 1,
) -> None:
    """A legend outside the plot (never over the data); clicking an entry hides it."""
    box = Legend(
        items=[LegendItem(label=label, renderers=list(rs)) for label, rs in items if rs],
        click_policy="hide",
        title=title,
        label_text_font_size="11px",
        spacing=0,
        ncols=columns,
    )
    fig.add_layout(box, place)


def colour_key(
    fig: figure,
    renderer: Renderer,
    entries: Sequence[tuple[str, int]],
    *,
    title: str = "",
    place: Place = "right",
) -> None:
    """A legend for one renderer that draws many models from shared rows: each entry
    shows the look of its row (index). It cannot hide one model: the picker does."""
    box = Legend(
        items=[LegendItem(label=label, renderers=[renderer], index=i) for label, i in entries],
        click_policy="none",
        title=title,
        label_text_font_size="11px",
        spacing=0,
    )
    fig.add_layout(box, place)
