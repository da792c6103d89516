"""The price-sheet series the report draws, each point with a state, made from the rows
reporting.read reads (pure: no warehouse here).

Until issue #12's reconciled series exists, each source's rows are merged here with
reporting.reconcile: each source judged by the confirmation rule of
alerts/triggers/confirm.py (a one-day typo that reverts is never drawn), the most trusted
source (`source_catalog.rank`) setting each day's value, and another source's different
value making the day `disputed`. Once reporting.read reads #12's series, `frontier_prices`
makes its Series from that value, state and source per day, and `_daily_by_source` and
`most_trusted` go. Context limits and tier thresholds stay per source under #12.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reporting.frontier import FRONTIER_PROVIDERS
from reporting.read import Sheets
from reporting.reconcile import Points, largest, most_trusted, ratio
from reporting.series import Series

# A value held over days: [first day, end day) (end None: still held), the value.
Span = tuple[date, date | None, Decimal | None]
LABS = ", ".join(FRONTIER_PROVIDERS)
DailyBySource = dict[tuple[str, str, str], tuple[dict[str, Points], tuple[str, ...]]]


@dataclass(frozen=True)
class Prices:
    series: tuple[Series, ...]  # input and output of each frontier model
    spreads: tuple[Series, ...]  # output/input of each frontier model
    why: str | None = None  # why there is nothing to draw


def frontier_prices(sheets: Sheets) -> Prices:
    """Input, output and output/input of every frontier model, across sources.

    SWITCH HERE to issue #12's reconciled daily series once it exists.
    """
    if sheets.why_prices:
        return Prices((), (), sheets.why_prices)
    found = _daily_by_source(sheets)
    ranks, tolerance = sheets.ranks, sheets.tolerance
    series: list[Series] = []
    spreads: list[Series] = []
    for provider, model in sheets.frontier:
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
    why = (
        None
        if series
        else f"no data yet: no frontier model has a standard-tier price (labs: {LABS})"
    )
    return Prices(tuple(series), tuple(spreads), why)


def context_ceilings(sheets: Sheets) -> tuple[list[Series], str | None]:
    """Per frontier lab, the largest context window (or input limit) any of its models
    offers, each day. Each (source, model) series is judged on its own, so a one-day typo
    in a window never becomes the ceiling."""
    if sheets.why_limits:
        return [], sheets.why_limits
    spans: dict[str, dict[tuple[str, str], list[Span]]] = defaultdict(lambda: defaultdict(list))
    for r in sheets.limits:
        tokens = Decimal(int(r["tokens"])) if r["tokens"] else None
        spans[r["provider"]][(r["source"], r["model"])].append(
            (r["first_day"], r["end_day"], tokens)
        )
    days = sheets.days
    per_lab = {
        lab: {key: on_days(s, days[key[0]]) for key, s in by_model.items()}
        for lab, by_model in spans.items()
    }
    ranks = sheets.ranks
    out = [
        Series(lab, "", "context ceiling", "tokens", merged.points(), merged.rejected)
        for lab in FRONTIER_PROVIDERS
        if lab in per_lab
        for merged in [largest(per_lab[lab], ranks)]
    ]
    if not any(s.points for s in out):
        return [], f"no data yet: no context window recorded for {LABS}"
    return [s for s in out if s.points], None


def tier_thresholds(sheets: Sheets) -> tuple[list[Series], str | None]:
    """Per frontier lab and long-context threshold, the days any of its models had a
    standard-tier input price starting at that prompt length (judged as above)."""
    if sheets.why_prices:
        return [], sheets.why_prices
    spans: dict[tuple[str, int], dict[tuple[str, str], list[Span]]]
    spans = defaultdict(lambda: defaultdict(list))
    for r in sheets.thresholds:
        threshold = int(r["threshold"])
        spans[(r["provider"], threshold)][(r["source"], "")].append(
            (r["first_day"], r["end_day"], Decimal(threshold))
        )
    days = sheets.days
    per_tier = {
        tier: {key: on_days(s, days[key[0]]) for key, s in by_source.items()}
        for tier, by_source in spans.items()
    }
    ranks = sheets.ranks
    out: list[Series] = []
    for (lab, threshold), by_source in sorted(per_tier.items()):
        merged = largest(by_source, ranks)
        if merged.days:
            label = f"long-context tier from {threshold:,} tokens"
            out.append(Series(lab, "", label, "tokens", merged.points(), merged.rejected))
    if not out:
        return [], f"no data yet: no long-context standard-tier input price for {LABS}"
    return out, None


def _daily_by_source(sheets: Sheets) -> DailyBySource:
    """Per (provider, model, component): each source's value on each of its snapshot
    days from the model's first appearance there (None when absent), from one key per
    source: the one with the longest record (keys alias one another until #12)."""
    found = sheets.prices
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
    days = sheets.days
    out: DailyBySource = {}
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
