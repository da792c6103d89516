"""Output/input price spreads of frontier models over time, against the thesis band."""

from __future__ import annotations

from pathlib import Path

import duckdb
from matplotlib.lines import Line2D

from alerts.theses.load import DEFAULT_THESES_PATH
from reporting.band import Band, spread_band
from reporting.figures import date_axis, new_figure, provider_colour, save, style
from reporting.frontier import by_provider, frontier_models
from reporting.relations import Row, missing, rows
from reporting.section import Cell, Section, skipped, table
from reporting.series import first_seen, preferred_keys

ID = "spreads"
TITLE = "Output/input spreads and the thesis band"
LEDE = (
    "Output price divided by input price (standard tier, base context) on every day a "
    "source was observed. The thesis reads a spread of about 5x as decode being "
    "memory-bandwidth bound; the shaded band is where the theses file expects it."
)


def build(
    con: duckdb.DuckDBPyConnection, out_dir: Path, *, theses_path: Path = DEFAULT_THESES_PATH
) -> Section:
    why = missing(con, "price_spreads")
    if why:
        return skipped(ID, TITLE, LEDE, why)
    band = spread_band(theses_path)
    found = _frontier_spreads(con)
    if not found:
        return skipped(ID, TITLE, LEDE, "no data yet: no frontier model has a spread")
    fig = new_figure(11.0, 5.0)
    ax = fig.subplots()
    ax.axhspan(band.low, band.high, color="#2ca02c", alpha=0.12, lw=0)
    for (provider, _model), points in found.items():
        days = [p["day"] for p in points]
        ratios = [p["output_input_ratio"] for p in points]
        ax.step(
            days,
            ratios,
            where="post",
            color=provider_colour(provider),
            lw=1.4,
            marker="o",
            ms=3,
            alpha=0.85,
        )
    style(ax, "Output price ÷ input price", ylabel="ratio (x)")
    ax.set_ylim(bottom=0)
    date_axis(ax)
    handles = [Line2D([], [], color=provider_colour(p), lw=2, label=p) for p in by_provider(found)]
    handles.append(
        Line2D(
            [],
            [],
            color="#2ca02c",
            alpha=0.3,
            lw=8,
            label=f"thesis band {band.low:g}x–{band.high:g}x",
        )
    )
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="upper left")
    save(fig, out_dir / f"{ID}.png")
    latest = [_row(key, points[-1], band) for key, points in found.items()]
    outside = sum(1 for r in latest if r[-1] != "inside")
    return Section(
        id=ID,
        title=TITLE,
        lede=LEDE,
        image=f"{ID}.png",
        alt=f"Output/input price ratio over time for {len(found)} frontier models, with the "
        f"thesis band from {band.low:g}x to {band.high:g}x shaded; {outside} of them "
        "are outside it on their latest day.",
        notes=(f"Band: {band.low:g}x to {band.high:g}x ({band.origin}).",),
        table=table(
            ("provider", "model", "latest day", "input $/Mtok", "output $/Mtok", "ratio", "band"),
            latest,
            limit=60,
        ),
        facts={"models": len(found), "outside_band": outside},
    )


def _frontier_spreads(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[Row]]:
    """Each frontier model's daily spreads from its preferred source, oldest first."""
    keys = frontier_models(first_seen(con))
    sources = preferred_keys(con)
    out: dict[tuple[str, str], list[Row]] = {}
    for key in keys:
        if key not in sources:
            continue
        points = rows(
            con,
            "select day, cast(input_usd_per_mtok as double) as input_usd,"
            " cast(output_usd_per_mtok as double) as output_usd, output_input_ratio"
            " from price_spreads where source = ? and source_model_key = ? order by day",
            list(sources[key]),
        )
        if points:
            out[key] = points
    return out


def _row(key: tuple[str, str], last: Row, band: Band) -> tuple[Cell, ...]:
    ratio = float(last["output_input_ratio"])
    where = "below" if ratio < band.low else "above" if ratio > band.high else "inside"
    return (
        key[0],
        key[1],
        last["day"].isoformat(),
        last["input_usd"],
        last["output_usd"],
        round(ratio, 2),
        where,
    )
