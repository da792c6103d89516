"""Every price-sheet series the report draws, read in ONE place, with a state per point.

The warehouse has no reconciled price series yet (issue #12 builds it), so the
functions here read the per-source views (`price_history`, `context_limits_history`,
`snapshots`) and reconcile them with reporting.reconcile: each source judged by the
confirmation rule of alerts/triggers/confirm.py (a one-day typo that reverts is never
drawn), the most trusted source (`source_catalog.rank`) setting each day's value, and
another source's different value making the day `disputed`.

When #12's reconciled daily series exists, `frontier_prices` (and with it the price
history and spread charts) must switch to reading it: its value, state and source per
day replace `_daily_by_source` and `most_trusted`. `context_ceilings` and
`tier_thresholds` read limits and tier thresholds, which #12 leaves per source;
`current_tiers` reads the `context_tiers` view, which follows #12's `latest_prices`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import duckdb

from reporting.frontier import FRONTIER_PROVIDERS, Key, frontier_models
from reporting.reconcile import Points, largest, most_trusted, ratio
from reporting.relations import Row, literals, missing, rows
from reporting.series import Series

BASE_FILTER = """
    component in ('input', 'output') and service_tier = 'standard'
    and tier_min_prompt_tokens = 0 and condition = ''
    and effective_from is null and effective_to is null and usd_per_mtok is not null
"""
SNAPSHOT_DAYS = """
    select distinct source, cast(observed_at as date) as day
    from snapshots where status = 'loaded'
"""
# A value held over days: [first day, end day) (end None: still held), the value.
Span = tuple[date, date | None, Decimal | None]
DEFAULT_TOLERANCE = 0.01  # reconciliation_settings' shipped relative_tolerance
LABS = ", ".join(FRONTIER_PROVIDERS)
LAB_LIST = literals(FRONTIER_PROVIDERS)


@dataclass(frozen=True)
class Prices:
    series: tuple[Series, ...]  # input and output of each frontier model
    spreads: tuple[Series, ...]  # output/input of each frontier model
    why: str | None = None  # why there is nothing to draw


def first_seen(con: duckdb.DuckDBPyConnection) -> dict[Key, datetime]:
    """When each (provider, model) with a base price was first seen, in any source."""
    found = rows(
        con,
        f"select provider, model, min(valid_from) as first from price_history"
        f" where {BASE_FILTER} group by provider, model",
    )
    return {(r["provider"], r["model"]): r["first"] for r in found}


def frontier_prices(con: duckdb.DuckDBPyConnection) -> Prices:
    """Input, output and output/input of every frontier model, across sources.

    SWITCH HERE to issue #12's reconciled daily series once it exists.
    """
    why = missing(con, "price_history", "snapshots")
    if why:
        return Prices((), (), why)
    keys = frontier_models(first_seen(con))
    found = _daily_by_source(con, keys)
    ranks, tolerance = _ranks(con), _tolerance(con)
    series: list[Series] = []
    spreads: list[Series] = []
    for provider, model in keys:
        merged = {}
        for component in ("input", "output"):
            by_source, smks = found.get((provider, model, component), ({}, ()))
            merged[component] = most_trusted(by_source, ranks, tolerance)
            points = merged[component].points()
            if points:
                rejected = merged[component].rejected
                series.append(
                    Series(provider, model, component, "USD/Mtok", points, rejected, smks)
                )
        spread = ratio(merged["output"], merged["input"]).points()
        if spread:
            spreads.append(Series(provider, model, "output/input", "x", spread))
    if not series:
        why = f"no data yet: no frontier model has a standard-tier price (labs: {LABS})"
    return Prices(tuple(series), tuple(spreads), why)


def context_ceilings(con: duckdb.DuckDBPyConnection) -> tuple[list[Series], str | None]:
    """Per frontier lab, the largest context window (or input limit) any of its models
    offers, each day. Each (source, model) series is judged on its own, so a one-day typo
    in a window never becomes the ceiling."""
    why = missing(con, "context_limits_history", "snapshots")
    if why:
        return [], why
    found = rows(
        con,
        f"""select source, provider, model, cast(valid_from as date) as first_day,
                   cast(valid_to as date) as end_day,
                   greatest(coalesce(context_window_tokens, 0),
                            coalesce(max_input_tokens, 0)) as tokens
            from context_limits_history where provider in ({LAB_LIST})""",
    )
    spans: dict[str, dict[tuple[str, str], list[Span]]] = defaultdict(lambda: defaultdict(list))
    for r in found:
        tokens = Decimal(int(r["tokens"])) if r["tokens"] else None
        spans[r["provider"]][(r["source"], r["model"])].append(
            (r["first_day"], r["end_day"], tokens)
        )
    days = _snapshot_days(con)
    per_lab = {
        lab: {key: on_days(s, days[key[0]]) for key, s in by_model.items()}
        for lab, by_model in spans.items()
    }
    ranks = _ranks(con)
    out = [
        Series(lab, "", "context ceiling", "tokens", merged.points(), merged.rejected)
        for lab in FRONTIER_PROVIDERS
        if lab in per_lab
        for merged in [largest(per_lab[lab], ranks)]
    ]
    if not any(s.points for s in out):
        return [], f"no data yet: no context window recorded for {LABS}"
    return [s for s in out if s.points], None


def tier_thresholds(con: duckdb.DuckDBPyConnection) -> tuple[list[Series], str | None]:
    """Per frontier lab and long-context threshold, the days any of its models had a
    standard-tier input price starting at that prompt length (judged as above)."""
    why = missing(con, "price_history", "snapshots")
    if why:
        return [], why
    found = rows(
        con,
        f"""select source, provider, tier_min_prompt_tokens as threshold,
                   cast(valid_from as date) as first_day, cast(valid_to as date) as end_day
            from price_history
            where component = 'input' and service_tier = 'standard' and condition = ''
              and tier_min_prompt_tokens > 0 and effective_from is null
              and effective_to is null and usd_per_mtok is not null
              and provider in ({LAB_LIST})""",
    )
    spans: dict[tuple[str, int], dict[tuple[str, str], list[Span]]]
    spans = defaultdict(lambda: defaultdict(list))
    for r in found:
        threshold = int(r["threshold"])
        spans[(r["provider"], threshold)][(r["source"], "")].append(
            (r["first_day"], r["end_day"], Decimal(threshold))
        )
    days = _snapshot_days(con)
    per_tier = {
        tier: {key: on_days(s, days[key[0]]) for key, s in by_source.items()}
        for tier, by_source in spans.items()
    }
    ranks = _ranks(con)
    out: list[Series] = []
    for (lab, threshold), by_source in sorted(per_tier.items()):
        merged = largest(by_source, ranks)
        if merged.days:
            label = f"long-context tier from {threshold:,} tokens"
            out.append(Series(lab, "", label, "tokens", merged.points(), merged.rejected))
    if not out:
        return [], f"no data yet: no long-context standard-tier input price for {LABS}"
    return out, None


def current_tiers(con: duckdb.DuckDBPyConnection) -> tuple[list[Row], str | None]:
    """Today's long-context thresholds and price multipliers per provider."""
    why = missing(con, "context_tiers")
    if why:
        return [], why
    groups = rows(
        con,
        """select provider, component, threshold_tokens, round(multiplier, 2) as multiplier,
                  count(*) as models, min(model) as example, min(source) as source
           from context_tiers
           where service_tier = 'standard' and component in ('input', 'output')
             and multiplier is not null
           group by provider, component, threshold_tokens, round(multiplier, 2)
           order by provider, threshold_tokens, component""",
    )
    if not groups:
        why = "no data yet: no standard-tier long-context price in the current prices"
    return groups, why


def _daily_by_source(
    con: duckdb.DuckDBPyConnection, keys: Sequence[Key]
) -> dict[tuple[str, str, str], tuple[dict[str, Points], tuple[str, ...]]]:
    """Per (provider, model, component): each source's value on each of its snapshot
    days from the model's first appearance there (None when absent), from one key per
    source: the one with the longest record (keys alias one another until #12)."""
    found = rows(
        con,
        f"""select source, provider, model, source_model_key, component, usd_per_mtok,
                   cast(valid_from as date) as first_day, cast(valid_to as date) as end_day
            from price_history
            where {BASE_FILTER}
              and provider || '/' || model in ({literals(f"{p}/{m}" for p, m in keys)})""",
    )
    records: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in found:
        records[(r["source"], r["provider"], r["model"])][r["source_model_key"]] += 1
    chosen = {k: min(v, key=lambda key: (-v[key], key)) for k, v in records.items()}
    spans: dict[tuple[str, str, str], dict[str, list[Span]]]
    spans = defaultdict(lambda: defaultdict(list))
    for r in found:
        if chosen[(r["source"], r["provider"], r["model"])] == r["source_model_key"]:
            key = (r["provider"], r["model"], r["component"])
            spans[key][r["source"]].append((r["first_day"], r["end_day"], r["usd_per_mtok"]))
    days = _snapshot_days(con)
    out: dict[tuple[str, str, str], tuple[dict[str, Points], tuple[str, ...]]] = {}
    for key, by_source in spans.items():
        smks = tuple(sorted(f"{s}:{chosen[(s, key[0], key[1])]}" for s in by_source))
        out[key] = ({s: on_days(v, days[s]) for s, v in by_source.items()}, smks)
    return out


def on_days(spans: Sequence[Span], days: Sequence[date]) -> list[tuple[date, Decimal | None]]:
    """The value in force at the end of each snapshot day from the first span on: the
    largest of the spans covering it (several keys may), None where none does."""
    first = min(start for start, _, _ in spans)
    out: list[tuple[date, Decimal | None]] = []
    for day in days[bisect_left(days, first) :]:
        live = [v for start, end, v in spans if start <= day and (end is None or end > day)]
        stated = [v for v in live if v is not None]
        out.append((day, max(stated) if stated else None))
    return out


def _snapshot_days(con: duckdb.DuckDBPyConnection) -> dict[str, list[date]]:
    """Each source's UTC days with a loaded snapshot, oldest first."""
    found = rows(con, f"{SNAPSHOT_DAYS} order by day")
    days: dict[str, list[date]] = defaultdict(list)
    for r in found:
        days[r["source"]].append(r["day"])
    return days


def _tolerance(con: duckdb.DuckDBPyConnection) -> float:
    if missing(con, "reconciliation_settings"):
        return DEFAULT_TOLERANCE
    found = rows(con, "select value from reconciliation_settings where name = 'relative_tolerance'")
    return float(found[0]["value"]) if found else DEFAULT_TOLERANCE


def _ranks(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    if missing(con, "source_catalog"):
        return {}
    found = rows(con, "select source, rank from source_catalog")
    return {r["source"]: int(r["rank"]) for r in found}
