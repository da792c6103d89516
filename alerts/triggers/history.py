"""A source's price and limit history read from the warehouse change logs, sampled
compactly for trigger evaluation.

The warehouse stores a row only when a series changes (price_observations,
model_limits). Confirmation needs the value on the snapshots right after each change, so
a model's series are sampled together on every change snapshot plus the `confirm - 1`
snapshots that follow it: exact for confirmation, and far smaller than one point per
series per snapshot (hundreds of snapshots of thousands of models stay interactive).

It also holds what the other sources said about the same (provider, model) price series:
a change one source makes is confirmed at once when another shows the same new value.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

import duckdb

from alerts.triggers.inputs import COMPONENTS, SERVICE_TIERS

V = TypeVar("V", bound=Hashable)
Changes = list[tuple[int, V | None]]  # (snapshot index, value; None = removed)
# (component, service_tier, tier_min_prompt_tokens)
PriceKey = tuple[str, str, int]
# A value another source showed over [from, to) (to None = still shows it).
Stated = tuple[Decimal, date, date | None]
CORROBORATION_WINDOW = timedelta(days=7)


def wanted_sql(alias: str) -> str:
    """SQL for the series trigger kinds read (constants, so safe to inline)."""
    components = ", ".join(f"'{c}'" for c in COMPONENTS)
    tiers = ", ".join(f"'{t}'" for t in SERVICE_TIERS)
    return f"{alias}component in ({components}) and {alias}service_tier in ({tiers})"


@dataclass
class ModelHistory:
    provider: str
    model: str
    prices: dict[PriceKey, Changes[Decimal]] = field(default_factory=dict)
    ceiling: Changes[int] = field(default_factory=list)
    source_model_key: str = ""  # the key its newest value was read under
    source: str = ""  # the source of that value


@dataclass
class SourceHistory:
    source: str
    dates: list[date]
    models: dict[str, ModelHistory]
    # (provider, model, price key) -> what the other sources stated for it
    elsewhere: dict[tuple[str, str, PriceKey], list[Stated]] = field(default_factory=dict)
    # source key -> canonical (provider, model) from model identity (reconcile/identity.py)
    canonical: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Every value stated is already confirmed (the reconciled series applied the rule).
    settled: bool = False

    def corroborated(self, model: ModelHistory, key: PriceKey, day: date, value: Decimal) -> bool:
        """Another source showed this value for the series within the week up to `day`.

        Only evidence seen by `day` counts (the daily run cannot page in the past), the
        same equality and independence as the `price_changes` view: equal Decimals,
        a different source id."""
        if self.settled:
            return True
        since = day - CORROBORATION_WINDOW
        return any(
            usd == value and start <= day and (end is None or end >= since)
            for usd, start, end in self.elsewhere.get((model.provider, model.model, key), ())
        )

    def first_seen(self, key: str) -> int | None:
        """Snapshot index where the model's base input price first appeared."""
        changes = self.models[key].prices.get(("input", "standard", 0), [])
        return changes[0][0] if changes else None


def value_at(changes: Changes[V], index: int) -> V | None:
    """The series' value on snapshot `index` (None before it appears or once removed)."""
    at = bisect_right(changes, index, key=lambda c: c[0])
    return changes[at - 1][1] if at else None


def sample_indices(series: Sequence[Changes[V]], confirm: int, count: int) -> list[int]:
    """Every change index and the confirm - 1 snapshots after it, across `series`."""
    out: set[int] = set()
    for changes in series:
        for index, _ in changes:
            out.update(range(index, min(index + max(confirm, 1), count)))
    return sorted(out)


def load_history(con: duckdb.DuckDBPyConnection, source: str) -> SourceHistory:
    snaps = con.execute(
        "select snapshot_id, observed_at from snapshots where source = ? and status = 'loaded'"
        " order by observed_at, snapshot_id",
        [source],
    ).fetchall()
    index = {sid: i for i, (sid, _) in enumerate(snaps)}
    dates = [_day(at) for _, at in snaps]
    models: dict[str, ModelHistory] = {}
    prices = con.execute(
        "select source_model_key, provider, model, component, service_tier,"
        " tier_min_prompt_tokens, usd_per_mtok, snapshot_id from price_observations"
        " where source = ? and condition = '' and effective_from is null"
        f" and effective_to is null and {wanted_sql('')} order by observed_at",
        [source],
    ).fetchall()
    grouped: dict[tuple[str, PriceKey], Changes[Decimal]] = defaultdict(list)
    for key, provider, model, component, tier, threshold, usd, sid in prices:
        if sid not in index:
            continue
        models[key] = ModelHistory(provider, model)  # latest mapping wins
        grouped[(key, (component, tier, int(threshold)))].append((index[sid], usd))
    for (key, price_key), changes in grouped.items():
        models[key].prices[price_key] = changes
    _load_ceilings(con, source, index, models)
    canonical = {
        key: (provider, model)
        for key, provider, model in con.execute(
            "select source_model_key, canonical_provider, canonical_model from model_identity"
            " where source = ?",
            [source],
        ).fetchall()
    }
    return SourceHistory(source, dates, models, _load_elsewhere(con, source), canonical)


def _load_elsewhere(
    con: duckdb.DuckDBPyConnection, source: str
) -> dict[tuple[str, str, PriceKey], list[Stated]]:
    """Other sources' values for the provider/model series this source prices."""
    rows = con.execute(
        "select h.provider, h.model, h.component, h.service_tier, h.tier_min_prompt_tokens,"
        " h.usd_per_mtok, h.valid_from, h.valid_to from price_history h"
        " semi join (select distinct provider, model from price_observations where source = ?)"
        " mine using (provider, model)"
        " where h.source <> ? and h.condition = '' and h.effective_from is null"
        f" and h.effective_to is null and {wanted_sql('h.')} and h.usd_per_mtok is not null",
        [source, source],
    ).fetchall()
    out: dict[tuple[str, str, PriceKey], list[Stated]] = defaultdict(list)
    for provider, model, component, tier, threshold, usd, start, end in rows:
        stated = (usd, _day(start), None if end is None else _day(end))
        out[(provider, model, (component, tier, int(threshold)))].append(stated)
    return dict(out)


def _load_ceilings(
    con: duckdb.DuckDBPyConnection,
    source: str,
    index: dict[str, int],
    models: dict[str, ModelHistory],
) -> None:
    """Context ceiling = the larger of context window and max input tokens."""
    rows = con.execute(
        "select source_model_key, context_window_tokens, max_input_tokens, change, snapshot_id"
        " from model_limits where source = ? order by observed_at",
        [source],
    ).fetchall()
    for key, window, max_input, change, sid in rows:
        if key not in models or sid not in index:
            continue
        stated = [v for v in (window, max_input) if v is not None]
        value = None if change == "removed" or not stated else int(max(stated))
        models[key].ceiling.append((index[sid], value))


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    assert isinstance(value, date)
    return value
