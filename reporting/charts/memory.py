"""Memory makers' gross margins against hyperscaler capital expenditure."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
from matplotlib.ticker import PercentFormatter

from reporting.figures import date_axis, new_figure, save, style
from reporting.relations import Row, missing, rows
from reporting.section import Cell, Section, skipped, table

ID = "memory-vs-capex"
TITLE = "Memory margins against hyperscaler capex"
LEDE = (
    "Top: gross margin of the memory makers (Micron, SK Hynix, Samsung), each from its own "
    "statements. Bottom: capital expenditure of Alphabet, Amazon, Microsoft and Meta "
    "summed, with year-on-year growth. The thesis expects HBM demand from AI build-outs "
    "to show up as memory margins rising with hyperscaler capex."
)
NAMES = {"MU": "Micron", "000660.KS": "SK Hynix", "005930.KS": "Samsung"}
COLOURS = {"MU": "#0b6fb8", "000660.KS": "#e4002b", "005930.KS": "#1428a0"}
FULL_GROUP = 4


def build(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Section:
    why = missing(con, "memory_margins", "capex_growth")
    if why:
        return skipped(ID, TITLE, LEDE, why)
    margins = rows(
        con,
        "select ticker, period_type, period_end, currency,"
        " cast(gross_margin as double) as margin from memory_margins"
        " where gross_margin is not null order by ticker, period_end",
    )
    capex = rows(
        con,
        "select period_type, period_end, currency, companies, members,"
        " cast(capex as double) as capex, yoy_growth from capex_growth"
        " where scope = 'hyperscalers' order by period_end",
    )
    if not margins and not capex:
        return skipped(
            ID,
            TITLE,
            LEDE,
            "no data yet: no memory maker gross margin and no "
            "hyperscaler capex in the warehouse (run `thesis fundamentals`)",
        )
    margin_type = _most_common_type(margins)
    margins = [m for m in margins if m["period_type"] == margin_type]
    capex, notes = _capex(capex)
    fig = new_figure(11.0, 6.2)
    top, bottom = fig.subplots(2, 1, sharex=True)
    for ticker in dict.fromkeys(m["ticker"] for m in margins):
        own = [m for m in margins if m["ticker"] == ticker]
        top.plot(
            [m["period_end"] for m in own],
            [m["margin"] for m in own],
            marker="o",
            color=COLOURS.get(ticker, "#555555"),
            label=NAMES.get(ticker, ticker),
        )
    top.axhline(0, color="#999999", lw=0.8)
    top.yaxis.set_major_formatter(PercentFormatter(1.0))
    style(top, f"Memory makers' gross margin ({margin_type or 'none'})", ylabel="gross margin")
    if margins:
        top.legend(fontsize=8, frameon=False)
    width = timedelta(days=200 if capex and capex[0]["period_type"] == "annual" else 60)
    for c in capex:
        bottom.bar(c["period_end"], c["capex"] / 1e9, width=-width, align="edge", color="#7a869a")
        if c["yoy_growth"] is not None:
            bottom.annotate(
                f"{c['yoy_growth']:+.0%} yoy",
                (c["period_end"] - width / 2, c["capex"] / 1e9),
                ha="center",
                va="bottom",
                fontsize=8,
            )
    kind = capex[0]["period_type"] if capex else "none"
    style(
        bottom,
        f"Hyperscaler capex ({kind}, {capex[0]['currency'] if capex else '—'})",
        ylabel="billions",
    )
    date_axis(bottom)
    save(fig, out_dir / f"{ID}.png")
    if not margins:
        notes.append("no data yet: no memory maker gross margin in `memory_margins`")
    if not capex:
        notes.append("no data yet: no hyperscaler capex in `capex_growth`")
    table_rows = [_margin_row(m) for m in margins] + [_capex_row(c) for c in capex]
    return Section(
        id=ID,
        title=TITLE,
        lede=LEDE,
        image=f"{ID}.png",
        notes=tuple(notes),
        alt=f"Line chart of {len(margins)} memory-maker gross margins above a bar chart of "
        f"{len(capex)} periods of hyperscaler capex.",
        table=table(
            ("series", "period", "period end", "value", "currency", "yoy / note"), table_rows
        ),
        facts={"margin_points": len(margins), "capex_periods": len(capex)},
    )


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
