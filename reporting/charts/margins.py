"""The implied serving margin band per model: what output prices earn per chip-hour at the
price-implied batch, against the chip's rental price."""

from __future__ import annotations

from itertools import groupby

from bokeh.layouts import column
from bokeh.models import ColumnDataSource, NumeralTickFormatter, Range1d
from bokeh.models.annotations import Span
from bokeh.models.glyphs import Patches, Scatter

from reporting.figures import Data, add_glyph, hover, ms, provider_colour, rows_source
from reporting.picker import filtered_view, row_picker
from reporting.read import Found
from reporting.relations import Row
from reporting.section import Section, skipped, table
from reporting.timeline import Timeline
from reporting.view_range import Item, initial_window, outside_note

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
TOOLTIPS = (
    ("", "@provider @model"),
    ("day", "@day{%F}"),
    ("margin", "@low{0%} to @high{0%}"),
    ("source", "implied_margin_daily"),
)
# Always in the first view: no margin and the whole revenue (a margin cannot exceed it).
FRAME = (0.0, 1.0)


def build(margins: Found, timeline: Timeline) -> Section:
    """Every model's band from one source of polygons and its daily edges from one
    source of rows (the CSV): two renderers, whatever the number of models. A colour
    per provider (the labs' own); the picker shows and hides providers."""
    found, why = margins
    if why:
        return skipped(ID, TITLE, CAPTION, why)
    window = initial_window((v for r in found for v in (r["low"], r["high"])), FRAME)
    y_range = Range1d(start=window.start, end=window.end, name=f"{ID}-values")
    fig = timeline.figure(
        ID, "Implied serving margin", "margin (share of revenue)", height=380, y_range=y_range
    )
    fig.yaxis.formatter = NumeralTickFormatter(format="0%")
    fig.add_layout(Span(location=0, dimension="width", line_color="#555555", line_width=1))
    timeline.cover(r["day"] for r in found)
    area = Patches(xs="xs", ys="ys", fill_color="colour", fill_alpha=0.25, line_color=None)
    band = add_glyph(fig, area, _bands(found), filtered_view())
    edges_source = rows_source(ID, CSV, found)
    edges_source.data["colour"] = [provider_colour(r["provider"]) for r in found]
    dots = Scatter(x="day", y="high", size=5, fill_color="colour", line_color="colour")
    edges = add_glyph(fig, dots, edges_source, filtered_view())
    hover(fig, [edges], TOOLTIPS, ("day",))
    # No legend: the picker names the providers (dozens), the hover each model.
    providers = list(dict.fromkeys(r["provider"] for r in found))
    latest = {(r["provider"], r["model"]): r for r in found}
    picker = row_picker(ID, providers, [band, edges], "provider", title="Providers")
    return Section(
        id=ID,
        title=TITLE,
        caption=CAPTION,
        chart=column(picker, fig),
        notes=outside_note([_item(r) for r in found], window, "models", percent),
        table=table(
            ("provider", "model", "day", "margin low", "margin high"),
            [(p, m, r["day"].isoformat(), r["low"], r["high"]) for (p, m), r in latest.items()],
        ),
        facts={"models": len(latest), "providers": len(providers)},
    )


def _bands(found: list[Row]) -> ColumnDataSource:
    """One polygon per model: along its highs by day, back along its lows (rows come
    ordered by provider, model and day)."""
    data: Data = {"xs": [], "ys": [], "provider": [], "colour": []}
    for (provider, _), own in groupby(found, key=lambda r: (r["provider"], r["model"])):
        rows = list(own)
        days = [ms(r["day"]) for r in rows]
        data["xs"].append(days + days[::-1])
        data["ys"].append([r["high"] for r in rows] + [r["low"] for r in rows][::-1])
        data["provider"].append(provider)
        data["colour"].append(provider_colour(provider))
    return ColumnDataSource(data)


def _item(row: Row) -> Item:
    return Item(f"{row['provider']} {row['model']}", row["low"], row["high"], _why(row))


def _why(row: Row) -> str:
    """The day, and the revenue per chip-hour behind the margin when the view has it
    (margin = 1 - rental / revenue, so the rental is revenue x (1 - margin))."""
    day: str = row["day"].isoformat()
    low, high = row.get("revenue_low"), row.get("revenue_high")
    if low is None or high is None:
        return day
    if high <= 0:
        return f"{day}: its price earns nothing per chip-hour"
    rental = high * (1 - row["high"])
    return (
        f"{day}: implied revenue {low:,.2f} to {high:,.2f} USD per chip-hour on "
        f"{row.get('hardware') or 'its chip'}, which rents at {rental:,.2f}"
    )


def percent(fraction: float) -> str:
    """-119.0 -> '-11,900%'."""
    return f"{fraction:,.0%}"
