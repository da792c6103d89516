"""A source's price and limit history read from the warehouse change logs, sampled
compactly for trigger evaluation.

The warehouse stores a row only when a series changes (price_observations,
model_limits). Confirmation needs the value on the snapshots right after each change, so
a model's series are sampled together on every change snapshot plus the `confirm - 1`
snapshots that follow it: exact for confirmation, and far smaller than one point per
series per snapshot (hundreds of snapshots of thousands of models stay interactive).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

import duckdb

V = TypeVar("V", bound=Hashable)
Changes = list[tuple[int, V | None]]  # (snapshot index, value; None = removed)
# (component, service_tier, tier_min_prompt_tokens)
PriceKey = tuple[str, str, int]


@dataclass
class ModelHistory:
    provider: str
    model: str
    prices: dict[PriceKey, Changes[Decimal]] = field(default_factory=dict)
    ceiling: Changes[int] = field(default_factory=list)


@dataclass
class SourceHistory:
    source: str
    dates: list[date]
    models: dict[str, ModelHistory]

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
        " and effective_to is null and component in ('input', 'output', 'cache_read')"
        " and service_tier in ('standard', 'priority') order by observed_at",
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
    return SourceHistory(source, dates, models)


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
