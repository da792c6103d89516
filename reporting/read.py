"""Everything the report reads from the warehouse, in ONE module: no other module of
reporting/ sees the connection. `read(con)` runs every query once and returns the rows;
the charts and the series they draw are made from those rows alone.

Price sheets: the warehouse has no reconciled price series yet (issue #12 builds it), so
`Sheets` carries the per-source rows (`price_history`, `context_limits_history`, the
snapshot days, `source_catalog` ranks and the tolerance) and reporting.sheets merges them
(reporting.reconcile). When #12's reconciled daily series exists, `_sheets` reads its
value, state and source per day instead of `_price_rows`, and reporting.sheets'
`frontier_prices` builds its Series from those rows without merging.

Two readers name the relation and columns they expect (their contract) and say so in words
while they are missing: `implied_margin_daily` (migration 008) and
`openrouter_endpoints_daily` (a view of migration 010, filled by `openrouter-endpoints`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from reporting.frontier import FRONTIER_PROVIDERS, Key, frontier_models
from reporting.relations import Row, columns, literal, literals, missing, relation_exists, rows

Found = tuple[list[Row], str | None]  # the rows, or why there are none to draw
BASE_FILTER = """
    component in ('input', 'output') and service_tier = 'standard'
    and tier_min_prompt_tokens = 0 and condition = ''
    and effective_from is null and effective_to is null and usd_per_mtok is not null
"""
LAB_LIST = literals(FRONTIER_PROVIDERS)
DEFAULT_TOLERANCE = 0.01  # reconciliation_settings' shipped relative_tolerance
MARGINS = "implied_margin_daily"
MARGIN_COLUMNS = ("day", "provider", "model", "margin_low", "margin_high")
ENDPOINTS = "openrouter_endpoints_daily"
ENDPOINT_COLUMNS = ("day", "model", "host", "output_usd_per_mtok", "throughput_p50_tokens_per_s")
BATCH_INFERENCE = "effective_decode_batch"


@dataclass(frozen=True)
class Sheets:
    """The price-sheet history as stored, per source, for the frontier models."""

    frontier: tuple[Key, ...]  # the (provider, model) pairs the price charts follow
    prices: list[Row]  # standard base input/output prices of the frontier models
    limits: list[Row]  # context windows of the frontier labs' models
    thresholds: list[Row]  # long-context tier thresholds of the frontier labs
    days: dict[str, list[date]]  # each source's UTC days with a loaded snapshot
    ranks: dict[str, int]  # source_catalog's trust rank (lower is more trusted)
    tolerance: float  # relative difference under which two sources agree
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
        batches=_latest_batches(con, sheets.frontier),
    )


def _sheets(con: duckdb.DuckDBPyConnection) -> Sheets:
    why_prices = missing(con, "price_history", "snapshots")
    why_limits = missing(con, "context_limits_history", "snapshots")
    frontier = () if why_prices else tuple(frontier_models(_first_seen(con)))
    return Sheets(
        frontier=frontier,
        prices=_price_rows(con, frontier) if frontier else [],
        limits=[] if why_limits else _limit_rows(con),
        thresholds=[] if why_prices else _threshold_rows(con),
        days={} if why_prices and why_limits else _snapshot_days(con),
        ranks=_ranks(con),
        tolerance=_tolerance(con),
        why_prices=why_prices,
        why_limits=why_limits,
    )


def _first_seen(con: duckdb.DuckDBPyConnection) -> dict[Key, datetime]:
    """When each (provider, model) with a base price was first seen, in any source."""
    found = rows(
        con,
        f"select provider, model, min(valid_from) as first from price_history"
        f" where {BASE_FILTER} group by provider, model",
    )
    return {(r["provider"], r["model"]): r["first"] for r in found}


def _price_rows(con: duckdb.DuckDBPyConnection, keys: tuple[Key, ...]) -> list[Row]:
    return rows(
        con,
        f"""select source, provider, model, source_model_key, component, usd_per_mtok,
                   cast(valid_from as date) as first_day, cast(valid_to as date) as end_day
            from price_history
            where {BASE_FILTER}
              and provider || '/' || model in ({literals(f"{p}/{m}" for p, m in keys)})""",
    )


def _limit_rows(con: duckdb.DuckDBPyConnection) -> list[Row]:
    return rows(
        con,
        f"""select source, provider, model, cast(valid_from as date) as first_day,
                   cast(valid_to as date) as end_day,
                   greatest(coalesce(context_window_tokens, 0),
                            coalesce(max_input_tokens, 0)) as tokens
            from context_limits_history where provider in ({LAB_LIST})""",
    )


def _threshold_rows(con: duckdb.DuckDBPyConnection) -> list[Row]:
    return rows(
        con,
        f"""select source, provider, tier_min_prompt_tokens as threshold,
                   cast(valid_from as date) as first_day, cast(valid_to as date) as end_day
            from price_history
            where component = 'input' and service_tier = 'standard' and condition = ''
              and tier_min_prompt_tokens > 0 and effective_from is null
              and effective_to is null and usd_per_mtok is not null
              and provider in ({LAB_LIST})""",
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


def _tolerance(con: duckdb.DuckDBPyConnection) -> float:
    if missing(con, "reconciliation_settings"):
        return DEFAULT_TOLERANCE
    found = rows(con, "select value from reconciliation_settings where name = 'relative_tolerance'")
    return float(found[0]["value"]) if found else DEFAULT_TOLERANCE


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
    """Per model and day, the low and high implied serving margin (fractions of revenue).

    Contract: `implied_margin_daily` (day, provider, model, margin_low, margin_high), the
    view over the stand-in bands `thesis infer` and the daily run store (migration 008).
    """
    why = _lacking(con, MARGINS, MARGIN_COLUMNS, "the implied $/chip-hour margin band (#17)")
    if why:
        return [], why
    found = rows(
        con,
        f"""select day, provider, model, cast(margin_low as double) as low,
                   cast(margin_high as double) as high
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


def _latest_batches(con: duckdb.DuckDBPyConnection, frontier: tuple[Key, ...]) -> Found:
    """Each model's newest effective decode batch (migration 003), or why there is none.

    The inversion names canonical models, the price charts' frontier per-source ones: an
    inference takes the frontier name of its canonical model (model_identity) when it has
    one and its own name is not in the frontier.
    """
    if not relation_exists(con, "inferences"):
        return [], "no data yet: `inferences` does not exist in this warehouse (run `thesis infer`)"
    keys = literals(f"{p}/{m}" for p, m in frontier)
    found = rows(
        con,
        f"""with named as (
              select canonical_provider, canonical_model,
                     min(provider) as provider, min(model) as model
              from model_identity where provider || '/' || model in ({keys})
              group by all
            )
            select case when i.provider || '/' || i.model in ({keys}) or n.model is null
                        then i.provider else n.provider end as provider,
                   case when i.provider || '/' || i.model in ({keys}) or n.model is null
                        then i.model else n.model end as model,
                   i.value, i.assumptions, i.label
            from inferences i
            left join named n
              on n.canonical_provider = i.provider and n.canonical_model = i.model
            where i.name = {literal(BATCH_INFERENCE)}
            qualify row_number() over (
              partition by i.provider, i.model
              order by i.computed_at desc, i.reference_model) = 1""",
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
