"""Everything the report reads from the warehouse, in ONE module: no other module of
reporting/ sees the connection. `read(con)` runs every query once and returns the rows;
the charts and the series they draw are made from those rows alone.

Price sheets come from the reconciled series (`price_series_daily`, migration 011): per
canonical model, price and snapshot day the value in force, its state (confirmed,
pending, disputed by reconcile/confirm.py's rule and reconcile/series.py's precedence)
and its sources. Context windows are not part of that series: they are read per source
(`context_limits_history`) and reporting.ceiling applies the same confirmation rule.

Two readers name the relation and columns they expect (their contract) and say so in words
while they are missing: `implied_margin_daily` (migration 008) and
`openrouter_endpoints_daily` (a view of migration 010, filled by `openrouter-endpoints`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import duckdb

from reporting.frontier import FRONTIER, FRONTIER_PROVIDERS, Key, frontier_models
from reporting.relations import Row, columns, literal, literals, missing, relation_exists, rows

Found = tuple[list[Row], str | None]  # the rows, or why there are none to draw
BASE_FILTER = """
    component in ('input', 'output') and service_tier = 'standard'
    and tier_min_prompt_tokens = 0 and condition = ''
    and effective_from is null and effective_to is null and usd_per_mtok is not null
"""
LAB_LIST = literals(FRONTIER_PROVIDERS)
MARGINS = "implied_margin_daily"
MARGIN_COLUMNS = ("day", "provider", "model", "margin_low", "margin_high")
# Read when the view has them (migration 008's does): they say why a margin is extreme.
MARGIN_CONTEXT = {
    "hardware": "hardware",
    "revenue_usd_per_chip_hour_low": "revenue_low",
    "revenue_usd_per_chip_hour_high": "revenue_high",
}
ENDPOINTS = "openrouter_endpoints_daily"
ENDPOINT_COLUMNS = ("day", "model", "host", "output_usd_per_mtok", "throughput_p50_tokens_per_s")
BATCH_INFERENCE = "effective_decode_batch"


@dataclass(frozen=True)
class Sheets:
    """The frontier models' reconciled prices, and the context windows per source."""

    frontier: tuple[Key, ...]  # the canonical (provider, model) pairs the charts follow
    prices: list[Row]  # price_series_daily: standard base input/output of the frontier
    thresholds: list[Row]  # price_series_daily: the labs' long-context input tiers
    observed: list[date]  # every UTC day with a loaded snapshot (snapshot_days)
    limits: list[Row]  # context windows of the frontier labs' models, per source
    days: dict[str, list[date]]  # each source's UTC days with a loaded snapshot
    ranks: dict[str, int]  # source_catalog's trust rank (lower is more trusted)
    why_prices: str | None = None
    why_limits: str | None = None


@dataclass(frozen=True)
class AlertMark:
    alert_id: int
    day: date
    severity: str
    kind: str
    trigger_id: str
    provider: str
    model: str
    subject: str
    old_value: str
    new_value: str
    unit: str
    explanation: str
    source_url: str


ALERT_TEXT = (
    "severity",
    "kind",
    "trigger_id",
    "provider",
    "model",
    "subject",
    "old_value",
    "new_value",
    "unit",
    "explanation",
    "source_url",
)


@dataclass(frozen=True)
class Fundamentals:
    margins: list[Row]  # memory makers' gross margins
    capex: list[Row]  # hyperscalers' summed capex
    why: str | None = None


@dataclass(frozen=True)
class Warehouse:
    """Every row the report draws."""

    sheets: Sheets
    tiers: Found
    alerts: list[AlertMark]
    margins: Found
    hosts: Found
    fundamentals: Fundamentals
    batches: Found


def read(con: duckdb.DuckDBPyConnection) -> Warehouse:
    con.execute("set enable_progress_bar = false")  # DuckDB's bar would print to the CLI
    sheets = _sheets(con)
    return Warehouse(
        sheets=sheets,
        tiers=_current_tiers(con),
        alerts=_alerts(con),
        margins=_implied_margins(con),
        hosts=_host_throughput(con),
        fundamentals=_fundamentals(con),
        batches=_latest_batches(con),
    )


def _sheets(con: duckdb.DuckDBPyConnection) -> Sheets:
    why_prices = missing(con, "price_series_daily", "model_identity", "snapshots")
    why_limits = missing(con, "context_limits_history", "snapshots")
    frontier = () if why_prices else tuple(frontier_models(_first_seen(con), _canonical(con)))
    return Sheets(
        frontier=frontier,
        prices=_price_rows(con, frontier) if frontier else [],
        thresholds=[] if why_prices else _threshold_rows(con),
        observed=[] if why_prices else _observed(con),
        limits=[] if why_limits else _limit_rows(con),
        days={} if why_limits else _snapshot_days(con),
        ranks=_ranks(con),
        why_prices=why_prices,
        why_limits=why_limits,
    )


def _first_seen(con: duckdb.DuckDBPyConnection) -> dict[Key, date]:
    """When each canonical model with a base price was first priced in the series."""
    found = rows(
        con,
        f"select provider, model, min(day) as first from price_series_daily"
        f" where {BASE_FILTER} group by provider, model",
    )
    return {(r["provider"], r["model"]): r["first"] for r in found}


def _canonical(con: duckdb.DuckDBPyConnection) -> dict[Key, Key]:
    """The canonical model of each source key the frontier list names."""
    keys = literals(f"{p}/{m}" for p, m in FRONTIER)
    found = rows(
        con,
        f"select distinct provider, model, canonical_provider, canonical_model"
        f" from model_identity where provider || '/' || model in ({keys})",
    )
    return {
        (r["provider"], r["model"]): (r["canonical_provider"], r["canonical_model"]) for r in found
    }


def _price_rows(con: duckdb.DuckDBPyConnection, keys: tuple[Key, ...]) -> list[Row]:
    return rows(
        con,
        f"""select day, provider, model, component, usd_per_mtok, state, source,
                   filled_from, source_model_key, agreeing_sources, disagreeing_sources,
                   value_since
            from price_series_daily
            where {BASE_FILTER}
              and provider || '/' || model in ({literals(f"{p}/{m}" for p, m in keys)})
            order by provider, model, component, day""",
    )


def _threshold_rows(con: duckdb.DuckDBPyConnection) -> list[Row]:
    """Per lab, long-context threshold and day: the states of the models priced there."""
    return rows(
        con,
        f"""select day, provider, tier_min_prompt_tokens as threshold,
                   list(state) as states, min(source) as source, count(*) as models
            from price_series_daily
            where component = 'input' and service_tier = 'standard' and condition = ''
              and tier_min_prompt_tokens > 0 and provider in ({LAB_LIST})
            group by day, provider, tier_min_prompt_tokens
            order by provider, threshold, day""",
    )


def _observed(con: duckdb.DuckDBPyConnection) -> list[date]:
    return [r["day"] for r in rows(con, "select day from snapshot_days order by day")]


def _limit_rows(con: duckdb.DuckDBPyConnection) -> list[Row]:
    return rows(
        con,
        f"""select source, provider, model, cast(valid_from as date) as first_day,
                   cast(valid_to as date) as end_day,
                   greatest(coalesce(context_window_tokens, 0),
                            coalesce(max_input_tokens, 0)) as tokens
            from context_limits_history where provider in ({LAB_LIST})""",
    )


def _snapshot_days(con: duckdb.DuckDBPyConnection) -> dict[str, list[date]]:
    found = rows(
        con,
        "select distinct source, cast(observed_at as date) as day"
        " from snapshots where status = 'loaded' order by day",
    )
    days: dict[str, list[date]] = defaultdict(list)
    for r in found:
        days[r["source"]].append(r["day"])
    return days


def _ranks(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    if missing(con, "source_catalog"):
        return {}
    found = rows(con, "select source, rank from source_catalog")
    return {r["source"]: int(r["rank"]) for r in found}


def _current_tiers(con: duckdb.DuckDBPyConnection) -> Found:
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


def _alerts(con: duckdb.DuckDBPyConnection) -> list[AlertMark]:
    """Every alert about a model, once (the table holds one row per channel)."""
    if missing(con, "alerts"):
        return []
    found = rows(
        con,
        """select min(alert_id) as alert_id, any_value(event_date) as day,
                  any_value(severity) as severity, any_value(kind) as kind,
                  any_value(trigger_id) as trigger_id, any_value(provider) as provider,
                  any_value(model) as model, any_value(subject) as subject,
                  any_value(old_value) as old_value, any_value(new_value) as new_value,
                  any_value(unit) as unit, any_value(explanation) as explanation,
                  any_value(source_url) as source_url
           from alerts
           where message_type = 'alert' and provider is not null and model is not null
           group by alert_key order by day, alert_id""",
    )
    return [
        AlertMark(int(r["alert_id"]), r["day"], **{k: str(r[k] or "") for k in ALERT_TEXT})
        for r in found
    ]


def _implied_margins(con: duckdb.DuckDBPyConnection) -> Found:
    """Per model and day, the low and high implied serving margin (fractions of revenue),
    the hardware and the implied revenue per chip-hour (USD, low and high; None where
    the view lacks them).

    Contract: `implied_margin_daily` (day, provider, model, margin_low, margin_high), the
    view over the stand-in bands `thesis infer` and the daily run store (migration 008).
    """
    why = _lacking(con, MARGINS, MARGIN_COLUMNS, "the implied $/chip-hour margin band (#17)")
    if why:
        return [], why
    have = columns(con, MARGINS)
    context = ", ".join(
        f"cast({c} as {'varchar' if c == 'hardware' else 'double'}) as {name}"
        if c in have
        else f"null as {name}"
        for c, name in MARGIN_CONTEXT.items()
    )
    found = rows(
        con,
        f"""select day, provider, model, cast(margin_low as double) as low,
                   cast(margin_high as double) as high, {context}
            from {MARGINS} where margin_low is not null and margin_high is not null
            order by provider, model, day""",
    )
    return found, None if found else f"no data yet: `{MARGINS}` is empty"


def _host_throughput(con: duckdb.DuckDBPyConnection) -> Found:
    """Per open-weight model, host and day: p50 output throughput per dollar of output
    price, in (tokens/s) per (USD/Mtok).

    Contract: `openrouter_endpoints_daily` (day, model, host, output_usd_per_mtok,
    throughput_p50_tokens_per_s, NULL without an API key): migration 010's view over
    `endpoint_observations`, which the `openrouter-endpoints` source fills.
    """
    why = _lacking(
        con, ENDPOINTS, ENDPOINT_COLUMNS, "OpenRouter per-host endpoint statistics (#16)"
    )
    if why:
        return [], why
    found = rows(
        con,
        f"""select day, model, host,
                   cast(output_usd_per_mtok as double) as output_usd_per_mtok,
                   cast(throughput_p50_tokens_per_s as double) as throughput_tokens_per_s,
                   cast(throughput_p50_tokens_per_s as double)
                     / cast(output_usd_per_mtok as double) as per_dollar
            from {ENDPOINTS}
            where throughput_p50_tokens_per_s is not null and output_usd_per_mtok > 0
            order by model, host, day""",
    )
    if not found:
        return [], (
            f"no data yet: `{ENDPOINTS}` has no throughput with a positive output price "
            "(throughput needs OPENROUTER_API_KEY)"
        )
    return found, None


def _fundamentals(con: duckdb.DuckDBPyConnection) -> Fundamentals:
    why = missing(con, "memory_margins", "capex_growth")
    both = [missing(con, name) for name in ("memory_margins", "capex_growth")]
    if all(w and w.endswith("is empty") for w in both):
        why = (
            "no data yet: no company fundamentals loaded (memory makers' gross margins, "
            "hyperscalers' capex); `thesis fundamentals` fetches them"
        )
    if why:
        return Fundamentals([], [], why)
    margins = rows(
        con,
        "select ticker, period_type, period_end, currency,"
        " cast(gross_margin as double) as margin from memory_margins"
        " where gross_margin is not null order by ticker, period_end",
    )
    capex = rows(
        con,
        "select period_type, period_end, currency, companies, members,"
        " cast(capex as double) as capex, yoy_growth from capex_growth"
        " where scope = 'hyperscalers' order by period_end",
    )
    return Fundamentals(margins, capex)


def _latest_batches(con: duckdb.DuckDBPyConnection) -> Found:
    """Each model's newest effective decode batch (migration 003), or why there is none.
    The inversion and the price charts both name canonical models."""
    if not relation_exists(con, "inferences"):
        return [], "no data yet: `inferences` does not exist in this warehouse (run `thesis infer`)"
    found = rows(
        con,
        f"""select provider, model, value, assumptions, label from inferences
            where name = {literal(BATCH_INFERENCE)}
            qualify row_number() over (
              partition by provider, model order by computed_at desc, reference_model) = 1""",
    )
    if not found:
        return [], f"no data yet: `inferences` has no {BATCH_INFERENCE} rows"
    return found, None


def _lacking(
    con: duckdb.DuckDBPyConnection, name: str, needed: tuple[str, ...], what: str
) -> str | None:
    have = columns(con, name)
    if not have:
        return f"no data yet: nothing stores {what}: `{name}` does not exist in this warehouse"
    lacking = [c for c in needed if c not in have]
    if lacking:
        return f"no data yet: `{name}` has no column {', '.join(lacking)}"
    return None
