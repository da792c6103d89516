"""The warehouse as it stood at a past moment: the reconciled prices and one source's
context limits, and the time of each day's last snapshot (what a backtest replays)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import duckdb

from warehouse.query import dict_rows

SEP = "\x1f"  # joins provider and model into one key for the SQL filter (chr(31))

# One row per moment asked for and model: `wanted` zips a moment's number, the moment and
# a model key (from `model_key`), so one scan of the history answers every moment.
WANTED = """
wanted as (
    select unnest(?::integer[]) as moment, unnest(?::timestamptz[]) as at,
           unnest(?::varchar[]) as key)
"""

# `latest_prices` as it read at the end of each moment's day: per canonical price, the
# reconciled series' newest row up to that day, unless it says no source prices it.
PRICES_AS_OF = f"""
with {WANTED}
select w.moment, s.provider, s.model, s.component, s.service_tier,
       s.tier_min_prompt_tokens, s.condition, s.usd_per_mtok, s.effective_from,
       s.effective_to, true as in_force
from price_series s
join wanted w
  on s.provider || chr(31) || s.model = w.key
 and s.day <= cast(w.at as date)
qualify row_number() over (
    partition by w.moment, s.provider, s.model, s.component, s.service_tier,
                 s.tier_min_prompt_tokens, s.condition
    order by s.day desc) = 1
    and s.usd_per_mtok is not null
"""

LIMITS_AS_OF = f"""
with {WANTED}
select w.moment, h.provider, h.model, h.context_window_tokens, h.max_input_tokens
from context_limits_history h
join wanted w
  on h.provider || chr(31) || h.model = w.key
 and h.valid_from <= w.at and (h.valid_to is null or h.valid_to > w.at)
where h.source = ?
qualify row_number() over (
    partition by w.moment, h.provider, h.model order by h.source_model_key) = 1
"""

Moments = Sequence[tuple[datetime, Sequence[str]]]  # (at, model keys) per moment


def model_key(provider: str, model: str) -> str:
    return f"{provider}{SEP}{model}"


def _per_moment(
    con: duckdb.DuckDBPyConnection, sql: str, moments: Moments, *params: object
) -> list[list[dict[str, Any]]]:
    numbers: list[int] = []
    ats: list[datetime] = []
    keys: list[str] = []
    for number, (at, models) in enumerate(moments):
        numbers += [number] * len(models)
        ats += [at] * len(models)
        keys += models
    out: list[list[dict[str, Any]]] = [[] for _ in moments]
    for row in dict_rows(con, sql, [numbers, ats, keys, *params]):
        out[row.pop("moment")].append(row)
    return out


def prices_as_of(con: duckdb.DuckDBPyConnection, moments: Moments) -> list[list[dict[str, Any]]]:
    """Per moment, its models' prices as `latest_prices` read at the end of its day (the
    reconciled series the triggers read: one coherent sheet per canonical model)."""
    return _per_moment(con, PRICES_AS_OF, moments)


def limits_as_of(
    con: duckdb.DuckDBPyConnection, source: str, moments: Moments
) -> list[list[dict[str, Any]]]:
    """Per moment, the context limits `source` stated at its time for its models."""
    return _per_moment(con, LIMITS_AS_OF, moments, source)


def day_ends(con: duckdb.DuckDBPyConnection, source: str) -> dict[date, datetime]:
    """Each snapshot day's last loaded snapshot time (alerts are dated by snapshot day)."""
    ends: dict[date, datetime] = {}
    for (at,) in con.execute(
        "select observed_at from snapshots where source = ? and status = 'loaded'"
        " order by observed_at",
        [source],
    ).fetchall():
        ends[at.date()] = at
    return ends
