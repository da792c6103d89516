"""Price history per frontier model: input and output, standard tier, one panel per lab."""

from __future__ import annotations

from itertools import pairwise

from bokeh.layouts import column
from bokeh.plotting import figure

from reporting.draw import DATE_FIELDS, TOOLTIPS, draw_group, not_drawn
from reporting.figures import SERIES_COLOURS, hover, legend
from reporting.section import Cell, Section, skipped, table
from reporting.series import Series
from reporting.sheets import Prices
from reporting.timeline import Timeline

ID = "price-history"
TITLE = "Price history of frontier models"
DASHES = {"output": "solid", "input": "dashed"}
CAPTION = (
    "List price per million tokens (standard tier, base context), one panel per lab, log "
    "scale: output solid, input dashed; lines join confirmed prices, hollow dots are "
    "pending, red crosses disputed between sources. The thesis reads falling prices with "
    "output holding near 5x input as decode staying memory-bound while serving gets cheaper."
)


def build(prices: Prices, timeline: Timeline) -> Section:
    if prices.why:
        return skipped(ID, TITLE, CAPTION, prices.why)
    series = prices.series
    timeline.cover_series(series)
    providers = dict.fromkeys(s.provider for s in series)
    chart = column(
        *(_panel(lab, [s for s in series if s.provider == lab], timeline) for lab in providers)
    )
    return Section(
        id=ID,
        title=TITLE,
        caption=CAPTION,
        chart=chart,
        notes=not_drawn(series),
        table=table(
            (
                "provider",
                "model",
                "input $/Mtok",
                "output $/Mtok",
                "confirmed changes",
                "first seen",
                "sources",
            ),
            _rows(series),
            limit=60,
        ),
        facts={
            "models": len({(s.provider, s.model) for s in series}),
            "points": sum(len(s.points) for s in series),
            "pending": _count(series, "pending"),
            "disputed": _count(series, "disputed"),
            "not_drawn": sum(len(s.rejected) for s in series),
        },
    )


def _panel(lab: str, own: list[Series], timeline: Timeline) -> figure:
    """One lab's models, a colour and a legend entry each (input and output together)."""
    fig = timeline.figure(ID, lab, "USD per million tokens", y_axis_type="log", height=300)
    items = []
    drawn = []
    models = dict.fromkeys(s.model for s in own)
    for colour, model in zip(SERIES_COLOURS * 4, models, strict=False):
        result = draw_group(fig, ID, [s for s in own if s.model == model], colour, dashes=DASHES)
        items.append((model, result.renderers))
        drawn.extend(result.renderers)
    legend(fig, items, title="model")
    hover(fig, drawn, TOOLTIPS, DATE_FIELDS)
    return fig


def _rows(series: tuple[Series, ...]) -> list[tuple[Cell, ...]]:
    out: list[tuple[Cell, ...]] = []
    for provider, model in dict.fromkeys((s.provider, s.model) for s in series):
        own = {s.metric: s for s in series if (s.provider, s.model) == (provider, model)}
        starts = [p.start for s in own.values() for p in s.points]
        keys = sorted({k for s in own.values() for k in s.keys})
        out.append(
            (
                provider,
                model,
                _current(own.get("input")),
                _current(own.get("output")),
                sum(_changes(s) for s in own.values()),
                min(starts).isoformat() if starts else "—",
                ", ".join(keys),
            )
        )
    return out


def _current(series: Series | None) -> Cell:
    """The newest confirmed price (a pending or disputed newer value is not yet one)."""
    confirmed = [p for p in series.points if p.state == "confirmed"] if series else []
    return confirmed[-1].value if confirmed else None


def _changes(series: Series) -> int:
    values = [p.value for p in series.points if p.state == "confirmed"]
    return sum(1 for a, b in pairwise(values) if a != b)


def _count(series: tuple[Series, ...], state: str) -> int:
    return sum(1 for s in series for p in s.points if p.state == state)
