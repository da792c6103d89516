"""The last day of a daily-growing table that can still change what a group of triggers
finds: the rows after it only repeat the day before, so its digest (digest.py) leaves
them out, and a day that repeats what the warehouse held is not evaluated again.

Price triggers read the reconciled series sampled on every snapshot day (series_history).
A snapshot day adds a sample whose values repeat the one before unless a table changed,
and a repeated sample can make news only through a rule that looks ahead of a change:

- the series' prices are settled (the series confirmed them), so a price change fires on
  its own day, and so do the spreads, ratios and tier sets built from them;
- a model's release counts once its price is there on the snapshot after its first row;
- a context ceiling (model limits, not in the series) fires once it has held for
  `confirm_snapshots` samples;
- the first `confirm_snapshots` days of a history are its baseline;
- page news reads rows of their own (observations, page diffs, skipped sections), dated.

So the samples after the latest day of each kind of row, plus its look-ahead, repeat
what an evaluation on that day already saw. Margin triggers read the inversion's daily
bands, which on a day it reused a model's sheet repeat the last computed ones; a band
departure fires once it has held `confirm_days` stored days.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date

import duckdb

from alerts.theses.load import Theses
from alerts.triggers.base import Watched
from alerts.triggers.margin import ImpliedMargin


def snapshot_days_cutoff(con: duckdb.DuckDBPyConnection, theses: Theses) -> date | None:
    """The last snapshot day the price triggers can still draw news from (None: the
    newest day itself, or one still to come)."""
    confirm = max(
        (t.confirm_snapshots for t in theses.triggers if isinstance(t, Watched)), default=2
    )
    days = [d for (d,) in con.execute("select day from snapshot_days order by day").fetchall()]
    row = con.execute(
        "select (select max(day) from price_series),"
        " (select max(first) from (select min(day) as first from price_series group by"
        "  provider, model, component, service_tier, tier_min_prompt_tokens, condition)),"
        " (select max(cast(observed_at as date)) from model_limits),"
        " (select max(cast(observed_at as date)) from price_observations),"
        " (select max(cast(observed_at as date)) from page_diffs),"
        " (select max(cast(observed_at as date)) from page_section_failures)"
    ).fetchone()
    assert row is not None
    series, first_row, limits, observed, diffs, skipped = row
    ahead = [(series, 0), (first_row, 1), (limits, confirm - 1)]
    ahead += [(observed, 0), (diffs, 0), (skipped, 0)]
    return _cutoff(days, ahead, baseline=confirm)


def margin_days_cutoff(con: duckdb.DuckDBPyConnection, theses: Theses) -> date | None:
    """The last day of `inference_sheets` the margin triggers can still draw news from."""
    confirm = max(
        (t.confirm_days for t in theses.triggers if isinstance(t, ImpliedMargin)), default=1
    )
    days = [
        d
        for (d,) in con.execute("select distinct day from inference_sheets order by day").fetchall()
    ]
    row = con.execute(
        "select greatest((select max(day) from inference_sheets where recomputed),"
        " (select max(day) from inference_bands))"
    ).fetchone()
    assert row is not None
    return _cutoff(days, [(row[0], max(confirm, 1) - 1)], baseline=1)


def _cutoff(
    days: list[date], ahead: Iterable[tuple[date | None, int]], baseline: int
) -> date | None:
    """The day `ahead` days after the last of each day (counting `days`), and at least the
    `baseline`-th; None when that day is not in `days` yet."""
    at = baseline - 1
    for day, steps in ahead:
        if day is not None:
            at = max(at, bisect_left(days, day) + steps)
    return days[at] if at < len(days) else None
