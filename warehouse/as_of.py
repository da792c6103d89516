"""The warehouse as it stood at a past moment: one source's prices and context limits,
and the time of each day's last snapshot (what a backtest replays)."""

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

PRICES_AS_OF = f"""
with {WANTED}
select w.moment, h.provider, h.model, h.component, h.service_tier,
       h.tier_min_prompt_tokens, h.condition, h.usd_per_mtok, h.effective_from,
       h.effective_to
from price_history h
join wanted w
  on h.provider || chr(31) || h.model = w.key
 and h.valid_from <= w.at and (h.valid_to is null or h.valid_to > w.at)
where h.source = ?
qualify row_number() over (
    partition by w.moment, h.provider, h.model, h.component, h.service_tier,
                 h.tier_min_prompt_tokens, h.condition
    order by h.effective_from desc nulls last, h.source_model_key) = 1
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
    con: duckdb.DuckDBPyConnection, sql: str, source: str, moments: Moments
) -> list[list[dict[str, Any]]]:
    numbers: list[int] = []
    ats: list[datetime] = []
    keys: list[str] = []
    for number, (at, models) in enumerate(moments):
        numbers += [number] * len(models)
        ats += [at] * len(models)
        keys += models
    out: list[list[dict[str, Any]]] = [[] for _ in moments]
    for row in dict_rows(con, sql, [numbers, ats, keys, source]):
        out[row.pop("moment")].append(row)
    return out


def prices_as_of(
    con: duckdb.DuckDBPyConnection, source: str, moments: Moments
) -> list[list[dict[str, Any]]]:
    """Per moment, the prices `source` stated at its time for its models."""
    return _per_moment(con, PRICES_AS_OF, source, moments)


def limits_as_of(
    con: duckdb.DuckDBPyConnection, source: str, moments: Moments
) -> list[list[dict[str, Any]]]:
    """Per moment, the context limits `source` stated at its time for its models."""
    return _per_moment(con, LIMITS_AS_OF, source, moments)


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
