"""The implied serving margin band per model: what output prices earn per chip-hour at the
price-implied batch, against the chip's rental price."""

from __future__ import annotations

from bokeh.layouts import column
from bokeh.models import NumeralTickFormatter

from reporting.figures import SERIES_COLOURS, Renderer, hover, legend, rows_source
from reporting.picker import model_picker
from reporting.read import Found
from reporting.section import Section, skipped, table
from reporting.timeline import Timeline

ID = "implied-margin"
TITLE = "Implied $/chip-hour margin band per model"
CAPTION = (
    "Per model, the band of serving margins its output price implies: revenue per "
    "chip-hour at the price-implied batch (across stand-in architectures) against the "
    "chip's rental price. The thesis reads a band well above zero as batching paying for "
    "the hardware; a band sinking towards zero says price cuts outran serving efficiency."
)
CSV = (
    ("day", "day (UTC)", "date"),
    ("provider", "provider", "text"),
    ("model", "model", "text"),
    ("low", "margin low (fraction)", "number"),
    ("high", "margin high (fraction)", "number"),
)


def build(margins: Found, timeline: Timeline) -> Section:
    found, why = margins
    if why:
        return skipped(ID, TITLE, CAPTION, why)
    fig = timeline.figure(ID, "Implied serving margin", "margin (share of revenue)", height=380)
    fig.yaxis.formatter = NumeralTickFormatter(format="0%")
    groups: list[tuple[str, list[Renderer]]] = []
    models = list(dict.fromkeys((r["provider"], r["model"]) for r in found))
    for colour, (provider, model) in zip(SERIES_COLOURS * 10, models, strict=False):
        own = [r for r in found if (r["provider"], r["model"]) == (provider, model)]
        timeline.cover(r["day"] for r in own)
        source = rows_source(ID, CSV, own)
        band = fig.varea("day", "low", "high", source=source, fill_color=colour, fill_alpha=0.25)
        edges = fig.scatter("day", "high", source=source, color=colour, size=4)
        hover(
            fig,
            [edges],
            (
                ("", "@provider @model"),
                ("day", "@day{%F}"),
                ("margin", "@low{0%} to @high{0%}"),
                ("source", "implied_margin_daily"),
            ),
            ("day",),
        )
        groups.append((f"{provider} {model}", [band, edges]))
    legend(fig, groups)
    latest = {(r["provider"], r["model"]): r for r in found}
    return Section(
        id=ID,
        title=TITLE,
        caption=CAPTION,
        chart=column(model_picker(ID, groups), fig),
        table=table(
            ("provider", "model", "day", "margin low", "margin high"),
            [(p, m, r["day"].isoformat(), r["low"], r["high"]) for (p, m), r in latest.items()],
        ),
        facts={"models": len(models)},
    )
