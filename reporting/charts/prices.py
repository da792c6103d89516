"""Price history per frontier model: input and output, standard tier, as step lines."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from reporting.figures import as_dates, date_axis, log_axis, new_figure, save, style
from reporting.fmt import USD
from reporting.frontier import FRONTIER_PROVIDERS
from reporting.relations import missing
from reporting.section import Cell, Section, skipped, table
from reporting.series import Series, frontier_series
from reporting.step_lines import Interval, step_line

ID = "price-history"
TITLE = "Price history of frontier models"
LEDE = (
    "Standard-tier list price per million tokens over time, one panel per lab: output solid, "
    "input dashed, one colour per model (log scale). Each model is read from its most "
    "trusted source; a step is a change that source recorded."
)
PANEL_COLOURS = (
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


def build(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Section:
    why = missing(con, "price_history")
    if why:
        return skipped(ID, TITLE, LEDE, why)
    series = frontier_series(con)
    if not series:
        return skipped(
            ID,
            TITLE,
            LEDE,
            "no data yet: no frontier model has a standard-tier "
            f"input and output price (labs: {', '.join(FRONTIER_PROVIDERS)})",
        )
    providers = list(dict.fromkeys(s.provider for s in series))
    cols = min(3, len(providers))
    nrows = math.ceil(len(providers) / cols)
    fig = new_figure(11.0, max(3.6, 3.3 * nrows))
    axes = fig.subplots(nrows, cols, squeeze=False)
    for ax, provider in zip(axes.flat, providers, strict=False):
        _panel(ax, provider, [s for s in series if s.provider == provider])
    spare = list(axes.flat)[len(providers) :]
    for ax in spare:
        ax.axis("off")
    if spare:  # an empty panel holds the key to the line styles
        spare[0].legend(
            handles=[
                Line2D([], [], color="#444444", lw=1.8, label="output price"),
                Line2D([], [], color="#444444", lw=1.2, ls="--", label="input price"),
            ],
            loc="center",
            fontsize=9,
            frameon=False,
        )
    save(fig, out_dir / f"{ID}.png")
    return Section(
        id=ID,
        title=TITLE,
        lede=LEDE,
        image=f"{ID}.png",
        alt=f"Step charts of input and output prices in USD per million tokens for "
        f"{len(series)} frontier models of {', '.join(providers)}.",
        table=table(
            (
                "provider",
                "model",
                "source",
                "input $/Mtok",
                "output $/Mtok",
                "price changes",
                "first seen",
            ),
            [_row(s) for s in series],
            limit=60,
        ),
        facts={"models": len(series)},
    )


def _panel(ax: Axes, provider: str, series: list[Series]) -> None:
    for colour, item in zip(PANEL_COLOURS * 3, series, strict=False):
        xs, ys = step_line(item.output, item.last_seen_at)
        ax.plot(as_dates(xs), ys, color=colour, lw=1.8, label=item.model)
        xs, ys = step_line(item.input, item.last_seen_at)
        ax.plot(as_dates(xs), ys, color=colour, lw=1.2, ls="--")
    ax.set_yscale("log")
    log_axis(ax.yaxis, USD)
    date_axis(ax)
    style(ax, provider, ylabel="USD per Mtok")
    ax.legend(fontsize=6.5, loc="best", frameon=True, framealpha=0.85, edgecolor="none")
    ax.tick_params(axis="x", labelsize=8)


def _row(s: Series) -> tuple[Cell, ...]:
    changes = max(0, len(s.input) - 1) + max(0, len(s.output) - 1)
    starts = [i.start for i in (*s.input, *s.output)]
    return (
        s.provider,
        s.model,
        s.source,
        _current(s.input),
        _current(s.output),
        changes,
        min(starts).date().isoformat() if starts else "—",
    )


def _current(intervals: tuple[Interval, ...]) -> Cell:
    """The price still in force, or a dash when the series was removed."""
    open_ = [i for i in intervals if i.end is None]
    return open_[-1].value if open_ else None
