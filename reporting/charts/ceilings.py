"""Context ceilings over time: the largest context window each frontier lab offers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from reporting.figures import (
    as_dates,
    date_axis,
    log_axis,
    new_figure,
    provider_colour,
    save,
    style,
)
from reporting.fmt import TOKENS
from reporting.frontier import FRONTIER_PROVIDERS
from reporting.relations import Row, missing, rows
from reporting.section import Cell, Section, skipped, table
from reporting.step_lines import Interval, running_max, step_line

ID = "context-ceilings"
TITLE = "Context ceilings over time"
LEDE = (
    "The longest context window (input tokens) any model of each frontier lab offers, as "
    "its most trusted source recorded it. The thesis expects ceilings to step up in jumps "
    "when a lab's serving memory (HBM per scale-up domain) grows."
)


def build(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Section:
    why = missing(con, "context_limits_history")
    if why:
        return skipped(ID, TITLE, LEDE, why)
    limits = _limits(con)
    if not limits:
        return skipped(
            ID,
            TITLE,
            LEDE,
            f"no data yet: no context window recorded for {', '.join(FRONTIER_PROVIDERS)}",
        )
    fig = new_figure(11.0, 4.6)
    ax = fig.subplots()
    table_rows: list[tuple[Cell, ...]] = []
    for provider, found in limits.items():
        until: datetime = found[0]["last_seen_at"]
        spans = [Interval(r["valid_from"], r["valid_to"], float(r["tokens"])) for r in found]
        ceiling = running_max(spans, until)
        xs, ys = step_line(ceiling, until)
        ax.plot(as_dates(xs), ys, color=provider_colour(provider), lw=2, label=provider)
        table_rows.append(_row(provider, found, ceiling))
    ax.set_yscale("log")
    log_axis(ax.yaxis, TOKENS)
    date_axis(ax)
    style(ax, "Largest context window per lab", ylabel="tokens")
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    save(fig, out_dir / f"{ID}.png")
    return Section(
        id=ID,
        title=TITLE,
        lede=LEDE,
        image=f"{ID}.png",
        alt=f"Step chart of the largest context window over time for {', '.join(limits)}.",
        table=table(("provider", "ceiling now (tokens)", "held by", "since", "source"), table_rows),
        facts={"providers": len(limits)},
    )


def _limits(con: duckdb.DuckDBPyConnection) -> dict[str, list[Row]]:
    """Per frontier provider, its limits intervals from its most trusted source."""
    found = rows(
        con,
        """with lim as (
               select h.*, coalesce(h.context_window_tokens, h.max_input_tokens) as tokens,
                      coalesce(c.rank, 100) as rank
               from context_limits_history h left join source_catalog c using (source)
               where coalesce(h.context_window_tokens, h.max_input_tokens) > 0
                 and h.provider in (select unnest(?::varchar[]))
           ),
           best as (
               select provider, source from lim group by provider, source
               qualify row_number() over (partition by provider
                                          order by min(rank), count(*) desc, source) = 1
           )
           select lim.provider, lim.model, lim.source, lim.tokens, lim.valid_from,
                  lim.valid_to, f.last_seen_at
           from lim join best using (provider, source)
           join source_freshness f using (source)
           order by lim.provider, lim.valid_from""",
        [list(FRONTIER_PROVIDERS)],
    )
    out: dict[str, list[Row]] = {p: [] for p in FRONTIER_PROVIDERS}
    for r in found:
        out[r["provider"]].append(r)
    return {p: v for p, v in out.items() if v}


def _row(provider: str, found: list[Row], ceiling: list[Interval]) -> tuple[Cell, ...]:
    current = [c for c in ceiling if c.end is None]
    if not current:
        return (provider, None, "—", "—", found[0]["source"])
    top = current[-1]
    holders = sorted(
        {r["model"] for r in found if r["valid_to"] is None and float(r["tokens"]) == top.value}
    )
    held_by = ", ".join(holders[:3]) + (f" (+{len(holders) - 3})" if len(holders) > 3 else "")
    return (provider, int(top.value), held_by, top.start.date().isoformat(), found[0]["source"])
