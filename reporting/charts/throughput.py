"""Throughput per dollar across the OpenRouter hosts of each open-weight model."""

from __future__ import annotations

from bokeh.layouts import column
from bokeh.plotting import figure

from reporting.figures import SERIES_COLOURS, Renderer, hover, legend, rows_source
from reporting.picker import model_picker
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
    fig, groups = _figure(found, timeline)
    hosts = dict.fromkeys(r["host"] for r in found)
    latest = {(r["model"], r["host"]): r for r in found}
    return Section(
        id=ID,
        title=TITLE,
        caption=CAPTION,
        chart=column(model_picker(ID, groups), fig),
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
        facts={"models": len(groups), "hosts": len(hosts)},
    )


def _figure(
    found: list[Row], timeline: Timeline
) -> tuple[figure, list[tuple[str, list[Renderer]]]]:
    """A line per (model, host), a colour and a legend entry per host; each model's
    renderers for the picker."""
    fig = timeline.figure(
        ID, "p50 throughput per output dollar", "(tokens/s) per (USD/Mtok)", y_axis_type="log"
    )
    timeline.cover(r["day"] for r in found)
    hosts = dict.fromkeys(r["host"] for r in found)
    colours = dict(zip(hosts, SERIES_COLOURS * 20, strict=False))
    groups: list[tuple[str, list[Renderer]]] = []
    by_host: dict[str, list[Renderer]] = {}
    for model in dict.fromkeys(r["model"] for r in found):
        renderers: list[Renderer] = []
        for host in dict.fromkeys(r["host"] for r in found if r["model"] == model):
            source = rows_source(
                ID, CSV, [r for r in found if (r["model"], r["host"]) == (model, host)]
            )
            line = fig.line("day", "per_dollar", source=source, color=colours[host], line_width=1.5)
            dots = fig.scatter("day", "per_dollar", source=source, color=colours[host], size=7)
            renderers += [line, dots]
            by_host.setdefault(host, []).extend([line, dots])
        groups.append((model, renderers))
    hover(fig, [r for _, rs in groups for r in rs[1::2]], TOOLTIPS, ("day",))
    legend(fig, list(by_host.items()), title="host")
    return fig, groups
