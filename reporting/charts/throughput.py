"""Throughput per dollar across the OpenRouter hosts of each open-weight model."""

from __future__ import annotations

from bokeh.layouts import column
from bokeh.models import ColumnDataSource, MultiLine, Scatter
from bokeh.plotting import figure

from reporting.figures import (
    SERIES_COLOURS,
    Data,
    Renderer,
    add_glyph,
    colour_key,
    hover,
    ms,
    rows_source,
)
from reporting.picker import filtered_view, row_picker
from reporting.read import Found
from reporting.relations import Row
from reporting.section import Section, skipped, table
from reporting.timeline import Timeline

ID = "host-throughput"
TITLE = "Throughput per dollar across OpenRouter hosts"
CAPTION = (
    "Per open-weight model and host: median output throughput (tokens/s) per dollar of "
    "output price (USD per million tokens), higher is better. The thesis expects tokens/s "
    "per dollar to improve without larger batches only through speculative decoding or a "
    "new architecture: a host far above its peers on the same model is that signal."
)
CSV = (
    ("day", "day (UTC)", "date"),
    ("model", "model", "text"),
    ("host", "host", "text"),
    ("throughput_tokens_per_s", "p50 throughput (tokens/s)", "number"),
    ("output_usd_per_mtok", "output price (USD/Mtok)", "number"),
    ("per_dollar", "throughput per dollar ((tokens/s)/(USD/Mtok))", "number"),
)
TOOLTIPS = (
    ("", "@model on @host"),
    ("day", "@day{%F}"),
    ("throughput", "@throughput_tokens_per_s{0,0.0} tokens/s (p50)"),
    ("price", "@output_usd_per_mtok{0,0.00[00]} USD/Mtok output"),
    ("per dollar", "@per_dollar{0,0.0} (tokens/s)/(USD/Mtok)"),
    ("source", "openrouter endpoints"),
)


def build(endpoints: Found, timeline: Timeline) -> Section:
    found, why = endpoints
    if why:
        return skipped(ID, TITLE, CAPTION, why)
    fig, renderers = _figure(found, timeline)
    models = list(dict.fromkeys(r["model"] for r in found))
    hosts = dict.fromkeys(r["host"] for r in found)
    latest = {(r["model"], r["host"]): r for r in found}
    return Section(
        id=ID,
        title=TITLE,
        caption=CAPTION,
        chart=column(row_picker(ID, models, renderers, "model"), fig),
        table=table(
            ("model", "host", "day", "tokens/s", "USD/Mtok", "per dollar"),
            [
                (
                    m,
                    h,
                    r["day"].isoformat(),
                    r["throughput_tokens_per_s"],
                    r["output_usd_per_mtok"],
                    round(r["per_dollar"], 1),
                )
                for (m, h), r in latest.items()
            ],
            limit=60,
        ),
        facts={"models": len(models), "hosts": len(hosts)},
    )


def _figure(found: list[Row], timeline: Timeline) -> tuple[figure, list[Renderer]]:
    """A line per (model, host) from one source, the daily points from another (the
    CSV), a colour per host; the renderers the model picker filters."""
    fig = timeline.figure(
        ID, "p50 throughput per output dollar", "(tokens/s) per (USD/Mtok)", y_axis_type="log"
    )
    timeline.cover(r["day"] for r in found)
    hosts = dict.fromkeys(r["host"] for r in found)
    colours = dict(zip(hosts, SERIES_COLOURS * 20, strict=False))
    lines = add_glyph(
        fig,
        MultiLine(xs="xs", ys="ys", line_color="colour", line_width=1.5),
        _lines(found, colours),
        filtered_view(),
    )
    points = rows_source(ID, CSV, found)
    points.data["colour"] = [colours[r["host"]] for r in found]
    dots = add_glyph(
        fig,
        Scatter(x="day", y="per_dollar", size=7, fill_color="colour", line_color="colour"),
        points,
        filtered_view(),
    )
    hover(fig, [dots], TOOLTIPS, ("day",))
    first = {h: i for i, h in reversed(list(enumerate(r["host"] for r in found)))}
    colour_key(fig, dots, [(h, first[h]) for h in hosts], title="host")
    return fig, [lines, dots]


def _lines(found: list[Row], colours: dict[str, str]) -> ColumnDataSource:
    """One row per (model, host): its days and throughput per dollar, in day order."""
    by_pair: dict[tuple[str, str], list[Row]] = {}
    for r in found:
        by_pair.setdefault((r["model"], r["host"]), []).append(r)
    data: Data = {"xs": [], "ys": [], "model": [], "colour": []}
    for (model, host), own in by_pair.items():
        own.sort(key=lambda r: r["day"])
        data["xs"].append([ms(r["day"]) for r in own])
        data["ys"].append([r["per_dollar"] for r in own])
        data["model"].append(model)
        data["colour"].append(colours[host])
    return ColumnDataSource(data)
