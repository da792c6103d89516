"""What the report reads besides price series: alerts fired, fundamentals, and the two
feeds other parts of thesis are adding.

Two readers stand ready for data nobody stores yet; each names the relation and columns
it expects (its contract) and says so in words while they are missing:

- `implied_margins`: the implied $/chip-hour serving margin band per model and day
  (issue #17, point 6), read from `implied_margin_daily`;
- `host_throughput`: per-host throughput per dollar of the OpenRouter endpoints of the
  open-weight models (issue #16, point 1), read from `openrouter_endpoints_daily`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from reporting.relations import Row, columns, missing, rows

MARGINS = "implied_margin_daily"
MARGIN_COLUMNS = ("day", "provider", "model", "margin_low", "margin_high")
ENDPOINTS = "openrouter_endpoints_daily"
ENDPOINT_COLUMNS = ("day", "model", "host", "output_usd_per_mtok", "throughput_p50_tokens_per_s")


TEXT_FIELDS = (
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


def alerts(con: duckdb.DuckDBPyConnection) -> list[AlertMark]:
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
        AlertMark(
            alert_id=int(r["alert_id"]),
            day=r["day"],
            **{k: str(r[k] or "") for k in TEXT_FIELDS},
        )
        for r in found
    ]


def implied_margins(con: duckdb.DuckDBPyConnection) -> tuple[list[Row], str | None]:
    """Per model and day, the low and high implied serving margin (fractions of revenue).

    Contract: a relation `implied_margin_daily` with columns day, provider, model,
    margin_low, margin_high. Nothing in thesis writes it yet: issue #17 (point 6) stores
    the implied $/chip-hour and margin band daily.
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


def host_throughput(con: duckdb.DuckDBPyConnection) -> tuple[list[Row], str | None]:
    """Per open-weight model, host and day: p50 output throughput per dollar of output
    price, in (tokens/s) per (USD/Mtok).

    Contract: a relation `openrouter_endpoints_daily` with columns day, model, host,
    output_usd_per_mtok, throughput_p50_tokens_per_s (NULL without an API key). Nothing
    in thesis writes it yet: issue #16 (point 1) adds the `openrouter-endpoints` source.
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


def memory_margins(con: duckdb.DuckDBPyConnection) -> list[Row]:
    return rows(
        con,
        "select ticker, period_type, period_end, currency,"
        " cast(gross_margin as double) as margin from memory_margins"
        " where gross_margin is not null order by ticker, period_end",
    )


def hyperscaler_capex(con: duckdb.DuckDBPyConnection) -> list[Row]:
    return rows(
        con,
        "select period_type, period_end, currency, companies, members,"
        " cast(capex as double) as capex, yoy_growth from capex_growth"
        " where scope = 'hyperscalers' order by period_end",
    )


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
