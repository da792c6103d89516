"""The backtest's roofline step: invert each alert day's prices, as they stood that day.

The daily run inverts today's `latest_prices` for every model (warehouse.inferences.
infer_and_store) and attaches the result to its alerts (alerts.explain). A backtest has
the whole history loaded at once, so `latest_prices` would be the last snapshot's: here
the same inversion (model.inversion.infer.infer_all) runs on the prices as of each day that has
alerts, once per day and only for the models alerted that day, and is stored with
warehouse.inferences.store_inferences. Hundreds of snapshots stay interactive because
only alert days cost anything, and each costs a few models.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import duckdb

from alerts.explain import with_explanations
from alerts.records import Alert

SEP = "\x1f"  # joins provider and model into one key for the SQL filter

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


def explain_backtest(
    con: duckdb.DuckDBPyConnection, source: str, alerts: Sequence[Alert]
) -> list[Alert]:
    """The alerts, in the same order, each with its model's roofline explanation as of
    the snapshot day it fired on (empty where the inversion has nothing to say)."""
    from model.catalog.load import load_catalog
    from model.inversion.infer import infer_all
    from warehouse.inferences import store_inferences

    catalog = load_catalog()

    by_day: dict[date, list[int]] = defaultdict(list)
    for i, alert in enumerate(alerts):
        by_day[alert.date].append(i)
    ends = _day_ends(con, source)
    out = list(alerts)
    for day, positions in sorted(by_day.items()):
        models = sorted({f"{alerts[i].provider}{SEP}{alerts[i].model}" for i in positions})
        at = ends[day]
        found = infer_all(
            _rows(con, PRICES_AS_OF, [source, at, at, models]),
            _rows(con, LIMITS_AS_OF, [source, at, at, models]),
            catalog=catalog,
        )
        # Only this day's inferences may explain this day's alerts.
        con.execute("delete from inferences")
        store_inferences(con, found, computed_at=at, run_id="backtest")
        explained = with_explanations(con, [alerts[i] for i in positions])
        for i, alert in zip(positions, explained, strict=True):
            out[i] = alert
    return out


def _day_ends(con: duckdb.DuckDBPyConnection, source: str) -> dict[date, datetime]:
    """Each snapshot day's last snapshot time (alerts are dated by snapshot day)."""
    ends: dict[date, datetime] = {}
    for (at,) in con.execute(
        "select observed_at from snapshots where source = ? and status = 'loaded'"
        " order by observed_at",
        [source],
    ).fetchall():
        ends[at.date()] = at
    return ends


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [col[0] for col in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
