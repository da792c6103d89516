"""The reconciled price series (table `price_series`) read as one history for trigger
evaluation: one ModelHistory per canonical model, whatever the sources and keys.

The series already applied the one confirmation rule (reconcile/confirm.py) when it was
kept at load, causally and per day. So a price reads here as its value on the days the
series holds it `confirmed`, and as no evidence (None) while it is pending, disputed or
gone: a disputed value never fires as a change, a pending one fires on the day the series
confirms it, and a value that reverted before that never shows. Every value read is
confirmed, so the kinds' own application of the rule confirms it on its first day
(`SourceHistory.settled`). So are the long-context tier sets built from these prices; a
model's tier set is no evidence while one of its tier prices is pending or disputed (a
tier that moved reads as neither removed nor introduced until the series decides).
Context ceilings, which the series does not hold, come from the limits of one key of the
model (the key named like the model, from the first source by precedence) and are
confirmed by the kinds as before.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import duckdb

from alerts.triggers.history import (
    Changes,
    ModelHistory,
    PriceKey,
    SourceHistory,
    wanted_sql,
)

SERIES = "price-series"  # the history's name (and the daily run's bookkeeping key)
UNDECIDED = ("pending", "disputed")  # series states that hold no new value yet


def load_series_history(con: duckdb.DuckDBPyConnection) -> SourceHistory:
    dates = [d for (d,) in con.execute("select day from snapshot_days order by day").fetchall()]
    index = {d: i for i, d in enumerate(dates)}
    rows = con.execute(
        "select provider, model, component, service_tier, tier_min_prompt_tokens, day,"
        " state, usd_per_mtok, source, source_model_key"
        f" from price_series where condition = '' and {wanted_sql('')}"
        " order by provider, model, day"
    ).fetchall()
    models: dict[str, ModelHistory] = {}
    for provider, model, component, tier, threshold, day, state, usd, source, key in rows:
        name = f"{provider}/{model}"
        found = models.get(name)
        if found is None:
            found = models[name] = ModelHistory(provider, model)
        if key is not None:
            found.source_model_key, found.source = key, source
        price = (component, tier, int(threshold))
        changes = found.prices.setdefault(price, [])
        value = usd if state == "confirmed" else None
        if not changes or changes[-1][1] != value:
            changes.append((index[day], value))
        undecided = found.undecided.setdefault(price, [])
        if (state in UNDECIDED) != (undecided[-1][1] if undecided else False):
            undecided.append((index[day], state in UNDECIDED))
    _load_ceilings(con, index, models)
    canonical = {name: (m.provider, m.model) for name, m in models.items()}
    return SourceHistory(SERIES, dates, models, canonical=canonical, settled=True)


def _load_ceilings(
    con: duckdb.DuckDBPyConnection, index: dict[date, int], models: dict[str, ModelHistory]
) -> None:
    """Each model's ceiling from one key: named like the model first, then by the
    source's precedence (official, catalog rank), then the key."""
    rows = con.execute(
        "with chosen as (select i.source, i.source_model_key,"
        "  i.canonical_provider || '/' || i.canonical_model as name"
        "  from model_identity i left join source_catalog c using (source)"
        "  qualify row_number() over (partition by i.canonical_provider, i.canonical_model"
        "  order by i.source_model_key <> i.canonical_model, not coalesce(c.official, false),"
        "  coalesce(c.rank, 100), i.source, i.source_model_key) = 1)"
        " select c.name, l.context_window_tokens, l.max_input_tokens, l.change,"
        " cast(l.observed_at as date)"
        " from model_limits l join chosen c using (source, source_model_key)"
        " order by l.observed_at"
    ).fetchall()
    ceilings: dict[str, Changes[int]] = defaultdict(list)
    for name, window, max_input, change, day in rows:
        if name not in models or day not in index:
            continue
        stated = [v for v in (window, max_input) if v is not None]
        value = None if change == "removed" or not stated else int(max(stated))
        ceilings[name].append((index[day], value))
    for name, changes in ceilings.items():
        models[name].ceiling = changes


__all__ = ["SERIES", "PriceKey", "load_series_history"]
