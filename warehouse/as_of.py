"""The warehouse as it stood at a past moment: one source's prices and context limits,
and the time of each day's last snapshot (what a backtest replays)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import duckdb

from warehouse.query import dict_rows

SEP = "\x1f"  # joins provider and model into one key for the SQL filter (chr(31))

PRICES_AS_OF = """
select provider, model, component, service_tier, tier_min_prompt_tokens, condition,
       usd_per_mtok, effective_from, effective_to
from price_history
where source = ? and valid_from <= ? and (valid_to is null or valid_to > ?)
  and provider || chr(31) || model in (select unnest(?::varchar[]))
qualify row_number() over (
    partition by provider, model, component, service_tier, tier_min_prompt_tokens, condition
    order by effective_from desc nulls last, source_model_key) = 1
"""

LIMITS_AS_OF = """
select provider, model, context_window_tokens, max_input_tokens
from context_limits_history
where source = ? and valid_from <= ? and (valid_to is null or valid_to > ?)
  and provider || chr(31) || model in (select unnest(?::varchar[]))
qualify row_number() over (partition by provider, model order by source_model_key) = 1
"""


def model_key(provider: str, model: str) -> str:
    return f"{provider}{SEP}{model}"


def prices_as_of(
    con: duckdb.DuckDBPyConnection, source: str, at: datetime, models: Sequence[str]
) -> list[dict[str, Any]]:
    """The prices `source` stated at `at` for `models` (keys from `model_key`)."""
    return dict_rows(con, PRICES_AS_OF, [source, at, at, list(models)])


def limits_as_of(
    con: duckdb.DuckDBPyConnection, source: str, at: datetime, models: Sequence[str]
) -> list[dict[str, Any]]:
    """The context limits `source` stated at `at` for `models` (keys from `model_key`)."""
    return dict_rows(con, LIMITS_AS_OF, [source, at, at, list(models)])


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
