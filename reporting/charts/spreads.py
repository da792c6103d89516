"""Output/input price spreads of frontier models over time, against the thesis band, with
the alerts fired on those models as markers that link to their text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bokeh.layouts import column
from bokeh.models import OpenURL, TapTool
from bokeh.models.annotations import BoxAnnotation
from bokeh.plotting import figure

from reporting.band import Band
from reporting.draw import DATE_FIELDS, TOOLTIPS, draw_group, not_drawn
from reporting.figures import Renderer, csv_source, hover, legend, ms, provider_colour
from reporting.frontier import by_provider
from reporting.picker import row_picker
from reporting.read import AlertMark
from reporting.section import Cell, Entry, Section, skipped, table
from reporting.series import Series
from reporting.sheets import Prices
from reporting.timeline import Timeline

ID = "spreads"
TITLE = "Output/input spreads, the thesis band and the alerts"
CAPTION = (
    "Output price divided by input price (standard tier, base context) per frontier "
    "model; the green band is where the theses file expects it and triangles are alerts "
    "fired on these models (click one for its text). The thesis reads a spread near 5x as "
    "decode being memory-bandwidth bound; a spread leaving the band is a signal."
)
SEVERITY_COLOURS = {"info": "#1f77b4", "warning": "#ff7f0e", "critical": "#d62728"}
ALERT_TOOLTIPS = (
    ("alert", "@subject"),
    ("on", "@day{%F}"),
    ("change", "@old → @new @unit"),
    ("severity", "@severity (@trigger)"),
    ("source", "thesis alerts (click for the text)"),
)


def build(prices: Prices, band: Band, alerts: Sequence[AlertMark], timeline: Timeline) -> Section:
    if prices.why:
        return skipped(ID, TITLE, CAPTION, prices.why)
    if not prices.spreads:
        return skipped(ID, TITLE, CAPTION, "no data yet: no frontier model has both prices")
    plotted = {(s.provider, s.model) for s in prices.spreads}
    shown = [a for a in alerts if (a.provider, a.model) in plotted]
    fig, renderers = _figure(prices.spreads, band, timeline)
    if shown:
        _alert_markers(fig, shown, prices.spreads, band)
    latest = [_row(s, band) for s in prices.spreads]
    outside = sum(1 for r in latest if r[-1] not in ("inside", "—"))
    return Section(
        id=ID,
        title=TITLE,
        caption=CAPTION,
        chart=column(row_picker(ID, [s.label for s in prices.spreads], renderers, "label"), fig),
        notes=(
            f"Band: {band.low:g}x to {band.high:g}x ({band.origin}).",
            *not_drawn(prices.spreads),
        ),
        table=table(
            ("provider", "model", "latest day", "ratio", "state", "band"), latest, limit=60
        ),
        entries=tuple(_entry(a) for a in shown),
        facts={"models": len(prices.spreads), "outside_band": outside, "alerts": len(shown)},
    )


def _figure(
    spreads: Sequence[Series], band: Band, timeline: Timeline
) -> tuple[figure, list[Renderer]]:
    """The spreads over the band: a lab's models share a colour, a legend entry and
    their renderers (whose rows the model picker filters); those renderers."""
    fig = timeline.figure(ID, "Output price ÷ input price", "ratio (x)", height=420)
    fig.add_layout(
        BoxAnnotation(bottom=band.low, top=band.high, fill_color="#2ca02c", fill_alpha=0.12)
    )
    timeline.cover_series(spreads)
    labs = by_provider((s.provider, s.model) for s in spreads)
    drawn: list[tuple[str, list[Renderer]]] = []
    for lab in labs:
        own = [s for s in spreads if s.provider == lab]
        result = draw_group(fig, ID, own, provider_colour(lab), width=1.6, pickable=True)
        drawn.append((lab, result.renderers))
    renderers = [r for _, rs in drawn for r in rs]
    hover(fig, renderers, TOOLTIPS, DATE_FIELDS)
    legend(fig, drawn, title="lab")
    return fig, renderers


def _alert_markers(
    fig: figure, shown: Sequence[AlertMark], spreads: Sequence[Series], band: Band
) -> None:
    at = {(s.provider, s.model): s for s in spreads}
    source = csv_source(
        ID + "-alerts",
        (
            ("day", "date (UTC)", "date"),
            ("provider", "provider", "text"),
            ("model", "model", "text"),
            ("subject", "alert", "text"),
            ("old", "old value", "text"),
            ("new", "new value", "text"),
            ("unit", "unit", "text"),
            ("severity", "severity", "text"),
            ("trigger", "trigger", "text"),
        ),
        {
            "day": [ms(a.day) for a in shown],
            "y": [_spread_on(at[(a.provider, a.model)], a.day) or band.high for a in shown],
            "provider": [a.provider for a in shown],
            "model": [a.model for a in shown],
            "subject": [a.subject for a in shown],
            "old": [a.old_value for a in shown],
            "new": [a.new_value for a in shown],
            "unit": [a.unit for a in shown],
            "severity": [a.severity for a in shown],
            "trigger": [a.trigger_id for a in shown],
            "anchor": [f"alert-{a.alert_id}" for a in shown],
            "colour": [SEVERITY_COLOURS.get(a.severity, "#555555") for a in shown],
        },
    )
    marks = fig.scatter(
        "day",
        "y",
        source=source,
        marker="inverted_triangle",
        size=13,
        fill_color="colour",
        line_color="white",
    )
    hover(fig, [marks], ALERT_TOOLTIPS, ("day",))
    fig.add_tools(TapTool(renderers=[marks], callback=OpenURL(url="#@anchor", same_tab=True)))


def _spread_on(series: Series, day: date) -> float | None:
    """The spread shown on `day`: the last point starting on or before it."""
    before = [p for p in series.points if p.start <= day]
    return before[-1].value if before else None


def _entry(alert: AlertMark) -> Entry:
    change = f"{alert.old_value or '—'} → {alert.new_value} {alert.unit}".strip()
    body = f"{alert.subject}: {change}."
    if alert.explanation:
        body += f" {alert.explanation}"
    return Entry(
        anchor=f"alert-{alert.alert_id}",
        heading=f"{alert.day.isoformat()} · {alert.severity} · {alert.trigger_id or alert.kind}",
        body=body,
        url=alert.source_url,
    )


def _row(series: Series, band: Band) -> tuple[Cell, ...]:
    last = series.points[-1]
    confirmed = [p for p in series.points if p.state == "confirmed"]
    ratio = confirmed[-1].value if confirmed else None
    where = (
        "—"
        if ratio is None
        else "below"
        if ratio < band.low
        else "above"
        if ratio > band.high
        else "inside"
    )
    return (series.provider, series.model, last.last_seen.isoformat(), ratio, last.state, where)
