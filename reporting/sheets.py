"""The price-sheet series the report draws, each point with a state, made from the rows
reporting.read reads (pure: no warehouse here).

Prices are the reconciled series' own (price_series_daily): its value, state and sources
per day, nothing re-decided here. One thing the report adds, read off those states: a
value the series never confirmed, which then went back to the value before it (a
one-day typo in a feed), is not drawn as a price but listed under the chart. Any other
unconfirmed value is drawn as a marked point. Long-context tiers come from the same
series; context ceilings are per source (reporting.ceiling).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from reporting.ceiling import Merged, ceiling
from reporting.frontier import FRONTIER_PROVIDERS
from reporting.read import Sheets
from reporting.relations import Row
from reporting.series import Day, Rejected, Series, State, runs, worst

LABS = ", ".join(FRONTIER_PROVIDERS)
Key3 = tuple[str, str, str]  # provider, model, component


@dataclass(frozen=True)
class Prices:
    series: tuple[Series, ...]  # input and output of each frontier model
    spreads: tuple[Series, ...]  # output/input of each frontier model
    why: str | None = None  # why there is nothing to draw


def frontier_prices(sheets: Sheets) -> Prices:
    """Input, output and output/input of every frontier model, from the series."""
    if sheets.why_prices:
        return Prices((), (), sheets.why_prices)
    grouped: dict[Key3, list[Row]] = defaultdict(list)
    for r in sheets.prices:
        grouped[(r["provider"], r["model"], r["component"])].append(r)
    series: list[Series] = []
    spreads: list[Series] = []
    for provider, model in sheets.frontier:
        merged: dict[str, Merged] = {}
        for component in ("input", "output"):
            found = grouped.get((provider, model, component), [])
            merged[component] = priced_days(found, sheets.observed)
            points = merged[component].points()
            if points:
                keys = tuple(sorted({f"{r['source']}:{r['source_model_key']}" for r in found}))
                rejected = merged[component].rejected
                series.append(
                    Series(provider, model, component, "USD/Mtok", points, rejected, keys)
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


def priced_days(found: Sequence[Row], observed: Sequence[date]) -> Merged:
    """One price's days from its series rows (one per day it is priced, oldest first):
    each day's value, state and sources; a reverted, never-confirmed value left out
    and listed. Observed days from the first priced one on, without a row, are absent."""
    if not found:
        return Merged({}, set(), set(), ())
    values = [list(rows) for _, rows in groupby(found, key=lambda r: r["usd_per_mtok"])]
    reverted = {
        i
        for i in range(1, len(values) - 1)
        if values[i - 1][0]["usd_per_mtok"] == values[i + 1][0]["usd_per_mtok"]
        and all(r["state"] == "pending" for r in values[i])
    }
    days = {r["day"]: _day(r) for i, rows in enumerate(values) if i not in reverted for r in rows}
    rejected = tuple(
        Rejected(values[i][0]["day"], float(values[i][0]["usd_per_mtok"]), values[i][0]["source"])
        for i in sorted(reverted)
    )
    first = found[0]["day"]
    seen = {d for d in observed if d >= first} | {r["day"] for r in found}
    priced = {r["day"] for r in found}
    return Merged(days, seen - priced, seen, rejected)


def _day(r: Row) -> Day:
    state: State = r["state"]
    notes = []
    if r["filled_from"]:
        notes.append(f"filled from {r['filled_from']}")
    if r["disagreeing_sources"]:
        notes.append(f"disputed by {', '.join(r['disagreeing_sources'])}")
    if r["agreeing_sources"]:
        notes.append(f"{', '.join(r['agreeing_sources'])} agree")
    return Day(float(r["usd_per_mtok"]), state, r["source"], "; ".join(notes))


def ratio(top: Merged, bottom: Merged) -> Merged:
    """top / bottom on the days both have a value; the worse state of the two."""
    days: dict[date, Day] = {}
    for day in top.days.keys() & bottom.days.keys():
        t, b = top.days[day], bottom.days[day]
        if b.value <= 0:
            continue
        source = t.source if t.source == b.source else f"{b.source} / {t.source}"
        notes = (b.note and f"bottom: {b.note}", t.note and f"top: {t.note}")
        days[day] = Day(
            round(t.value / b.value, 4),
            worst((t.state, b.state)),
            source,
            "; ".join(n for n in notes if n),
        )
    observed = top.observed | bottom.observed
    return Merged(days, observed - days.keys(), observed, ())


def context_ceilings(sheets: Sheets) -> tuple[list[Series], str | None]:
    """Per frontier lab, the largest confirmed context window (or input limit) any of
    its models offers, each day."""
    if sheets.why_limits:
        return [], sheets.why_limits
    by_lab: dict[str, list[Row]] = defaultdict(list)
    for r in sheets.limits:
        by_lab[r["provider"]].append(r)
    out = [
        Series(lab, "", "context ceiling", "tokens", merged.points())
        for lab in FRONTIER_PROVIDERS
        if lab in by_lab
        for merged in [ceiling(by_lab[lab], sheets.days, sheets.ranks)]
    ]
    if not any(s.points for s in out):
        return [], f"no data yet: no confirmed context window recorded for {LABS}"
    return [s for s in out if s.points], None


def tier_thresholds(sheets: Sheets) -> tuple[list[Series], str | None]:
    """Per frontier lab and long-context threshold, the days the series prices any of
    its models' standard-tier input from that prompt length: confirmed when one such
    price is, else the best state there is."""
    if sheets.why_prices:
        return [], sheets.why_prices
    grouped: dict[tuple[str, int], list[Row]] = defaultdict(list)
    for r in sheets.thresholds:
        grouped[(r["provider"], int(r["threshold"]))].append(r)
    out: list[Series] = []
    for (lab, threshold), found in sorted(grouped.items()):
        days = {r["day"]: _tier_day(r, threshold) for r in found}
        seen = {d for d in sheets.observed if d >= found[0]["day"]} | days.keys()
        points = runs(seen, days, seen - days.keys())
        label = f"long-context tier from {threshold:,} tokens"
        out.append(Series(lab, "", label, "tokens", points))
    if not out:
        return [], f"no data yet: no long-context standard-tier input price for {LABS}"
    return out, None


def _tier_day(r: Row, threshold: int) -> Day:
    state: State = next(
        (s for s in ("confirmed", "disputed", "pending") if s in r["states"]), "pending"
    )
    models = int(r["models"])
    return Day(float(threshold), state, r["source"], f"{models} model(s) priced there")
