"""Memory makers' gross margins against hyperscaler capital expenditure."""

from __future__ import annotations

from bokeh.layouts import column
from bokeh.models import NumeralTickFormatter
from bokeh.models.annotations import LabelSet
from bokeh.plotting import figure

from reporting.figures import DAY_MS, Renderer, hover, legend, ms, rows_source
from reporting.read import Fundamentals
from reporting.relations import Row
from reporting.section import Cell, Section, skipped, table
from reporting.timeline import Timeline

ID = "memory-vs-capex"
TITLE = "Memory margins against hyperscaler capex"
CAPTION = (
    "Top: gross margin of the memory makers (Micron, SK Hynix, Samsung), each from its own "
    "statements. Bottom: capital expenditure of Alphabet, Amazon, Microsoft and Meta "
    "summed, with year-on-year growth. The thesis expects HBM demand from AI build-outs "
    "to show up as memory margins rising with hyperscaler capex."
)
NAMES = {"MU": "Micron", "000660.KS": "SK Hynix", "005930.KS": "Samsung"}
COLOURS = {"MU": "#0b6fb8", "000660.KS": "#e4002b", "005930.KS": "#1428a0"}
FULL_GROUP = 4
CSV = (
    ("series", "series", "text"),
    ("period_type", "period", "text"),
    ("period_end", "period end", "date"),
    ("value", "value", "number"),
    ("unit", "unit", "text"),
    ("currency", "currency", "text"),
    ("note", "year on year / members", "text"),
)


def build(fundamentals: Fundamentals, timeline: Timeline) -> Section:
    if fundamentals.why:
        return skipped(ID, TITLE, CAPTION, fundamentals.why)
    margins, capex = fundamentals.margins, fundamentals.capex
    if not margins and not capex:
        return skipped(
            ID,
            TITLE,
            CAPTION,
            "no data yet: no memory maker gross margin and no hyperscaler capex in the "
            "warehouse (run `thesis fundamentals`)",
        )
    margin_type = _most_common_type(margins)
    margins = [m for m in margins if m["period_type"] == margin_type]
    capex, notes = _capex(capex)
    timeline.cover(m["period_end"] for m in margins)
    timeline.cover(c["period_end"] for c in capex)
    top = _margin_figure(margins, margin_type, timeline)
    bottom = _capex_figure(capex, timeline)
    if not margins:
        notes.append("no data yet: no memory maker gross margin in `memory_margins`")
    if not capex:
        notes.append("no data yet: no hyperscaler capex in `capex_growth`")
    table_rows = [_margin_row(m) for m in margins] + [_capex_row(c) for c in capex]
    return Section(
        id=ID,
        title=TITLE,
        caption=CAPTION,
        chart=column(top, bottom),
        notes=tuple(notes),
        table=table(
            ("series", "period", "period end", "value", "currency", "yoy / note"), table_rows
        ),
        facts={"margin_points": len(margins), "capex_periods": len(capex)},
    )


def _margin_figure(margins: list[Row], margin_type: str | None, timeline: Timeline) -> figure:
    fig = timeline.figure(
        ID, f"Memory makers' gross margin ({margin_type or 'none'})", "gross margin", height=300
    )
    fig.yaxis.formatter = NumeralTickFormatter(format="0%")
    items: list[tuple[str, list[Renderer]]] = []
    for ticker in dict.fromkeys(m["ticker"] for m in margins):
        own = [m for m in margins if m["ticker"] == ticker]
        source = rows_source(ID, CSV, [_margin_values(m) for m in own])
        colour = COLOURS.get(ticker, "#555555")
        line = fig.line("period_end", "value", source=source, color=colour, line_width=2)
        dots = fig.scatter("period_end", "value", source=source, color=colour, size=7)
        hover(
            fig,
            [dots],
            (
                ("", "@series"),
                ("period end", "@period_end{%F}"),
                ("gross margin", "@value{0.0%}"),
                ("source", "company statements (yfinance)"),
            ),
            ("period_end",),
        )
        items.append((NAMES.get(ticker, ticker), [line, dots]))
    legend(fig, items)
    return fig


def _capex_figure(capex: list[Row], timeline: Timeline) -> figure:
    kind = capex[0]["period_type"] if capex else "none"
    currency = capex[0]["currency"] if capex else "—"
    fig = timeline.figure(ID, f"Hyperscaler capex ({kind}, {currency})", "billions", height=260)
    if capex:
        width = DAY_MS * (200 if kind == "annual" else 60)
        source = rows_source(ID, CSV, [_capex_values(c) for c in capex])
        source.add([ms(c["period_end"]) - width / 2 for c in capex], "x")
        source.add([c["capex"] / 1e9 for c in capex], "billions")
        bars = fig.vbar(x="x", top="billions", width=width, source=source, color="#7a869a")
        fig.add_layout(
            LabelSet(
                x="x",
                y="billions",
                text="note",
                source=source,
                text_align="center",
                y_offset=3,
                text_font_size="10px",
            )
        )
        hover(
            fig,
            [bars],
            (
                ("period end", "@period_end{%F}"),
                ("capex", "@billions{0,0.0} bn @currency"),
                ("yoy", "@note"),
                ("source", "company statements (yfinance)"),
            ),
            ("period_end",),
        )
        legend(fig, [("hyperscaler capex", [bars])])
    return fig


def _margin_values(m: Row) -> Row:
    return {
        "series": f"{NAMES.get(m['ticker'], m['ticker'])} gross margin",
        "period_type": m["period_type"],
        "period_end": m["period_end"],
        "value": m["margin"],
        "unit": "fraction of revenue",
        "currency": m["currency"],
        "note": "",
    }


def _capex_values(c: Row) -> Row:
    growth = f"{c['yoy_growth']:+.0%} yoy" if c["yoy_growth"] is not None else ""
    return {
        "series": "hyperscaler capex",
        "period_type": c["period_type"],
        "period_end": c["period_end"],
        "value": c["capex"],
        "unit": c["currency"],
        "currency": c["currency"],
        "note": growth,
    }


def _most_common_type(margins: list[Row]) -> str | None:
    counts: dict[str, int] = {}
    for m in margins:
        counts[m["period_type"]] = counts.get(m["period_type"], 0) + 1
    return max(sorted(counts), key=lambda k: counts[k]) if counts else None


def _capex(capex: list[Row]) -> tuple[list[Row], list[str]]:
    """The hyperscaler sums worth plotting: one period type and currency, all four
    companies when any period has all four (a partial sum is not the group's capex)."""
    full = [c for c in capex if c["companies"] == FULL_GROUP]
    notes = []
    if full:
        dropped = len({c["period_type"] for c in capex}) > len({c["period_type"] for c in full})
        capex = full
        if dropped:
            notes.append("Periods reported by fewer than all four hyperscalers are left out.")
    elif capex:
        notes.append("No period has all four hyperscalers yet: bars are partial sums.")
    if not capex:
        return [], notes
    kind = "quarterly" if any(c["period_type"] == "quarterly" for c in capex) else "annual"
    currency = max(
        sorted({c["currency"] for c in capex}),
        key=lambda cur: sum(1 for c in capex if c["currency"] == cur),
    )
    return [c for c in capex if c["period_type"] == kind and c["currency"] == currency], notes


def _margin_row(m: Row) -> tuple[Cell, ...]:
    return (
        f"{NAMES.get(m['ticker'], m['ticker'])} gross margin",
        m["period_type"],
        m["period_end"].isoformat(),
        f"{m['margin']:.1%}",
        m["currency"],
        "",
    )


def _capex_row(c: Row) -> tuple[Cell, ...]:
    growth = f"{c['yoy_growth']:+.1%}" if c["yoy_growth"] is not None else "—"
    return (
        f"hyperscaler capex ({c['members']})",
        c["period_type"],
        c["period_end"].isoformat(),
        round(c["capex"] / 1e9, 1),
        c["currency"],
        growth,
    )
