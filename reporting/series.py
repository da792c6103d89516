"""Base-tier (standard, no long-context tier, undated) price series of chosen models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from reporting.frontier import Key, frontier_models
from reporting.relations import rows
from reporting.step_lines import Interval

BASE_FILTER = """
    component in ('input', 'output') and service_tier = 'standard'
    and tier_min_prompt_tokens = 0 and condition = ''
    and effective_from is null and effective_to is null and usd_per_mtok is not null
"""


@dataclass(frozen=True)
class Series:
    provider: str
    model: str
    source: str
    source_model_key: str
    last_seen_at: datetime  # the source's newest loaded snapshot: lines end here
    input: tuple[Interval, ...]
    output: tuple[Interval, ...]


def first_seen(con: duckdb.DuckDBPyConnection) -> dict[Key, datetime]:
    """When each (provider, model) with a base price was first seen, in any source."""
    found = rows(
        con,
        f"select provider, model, min(valid_from) as first from price_history"
        f" where {BASE_FILTER} group by provider, model",
    )
    return {(r["provider"], r["model"]): r["first"] for r in found}


def preferred_keys(con: duckdb.DuckDBPyConnection) -> dict[Key, tuple[str, str]]:
    """Per (provider, model), the (source, source_model_key) to chart: the most trusted
    source (source_catalog rank), then the key with the longest record."""
    found = rows(
        con,
        f"""select provider, model, source, source_model_key
            from price_history h left join source_catalog c using (source)
            where {BASE_FILTER}
            group by provider, model, source, source_model_key
            qualify row_number() over (
                partition by provider, model
                order by min(coalesce(c.rank, 100)), count(*) desc, source, source_model_key
            ) = 1""",
    )
    return {(r["provider"], r["model"]): (r["source"], r["source_model_key"]) for r in found}


def frontier_series(con: duckdb.DuckDBPyConnection) -> list[Series]:
    """The input and output price intervals of each frontier model, from its best source."""
    keys = frontier_models(first_seen(con))
    sources = preferred_keys(con)
    return [_series(con, key, *sources[key]) for key in keys if key in sources]


def _series(con: duckdb.DuckDBPyConnection, key: Key, source: str, smk: str) -> Series:
    found = rows(
        con,
        f"""select component, valid_from, valid_to, cast(usd_per_mtok as double) as usd
            from price_history where source = ? and source_model_key = ? and {BASE_FILTER}
            order by valid_from""",
        [source, smk],
    )
    seen = rows(con, "select last_seen_at from source_freshness where source = ?", [source])
    until = seen[0]["last_seen_at"] if seen else max(r["valid_from"] for r in found)
    by_component: dict[str, list[Interval]] = {"input": [], "output": []}
    for r in found:
        by_component[r["component"]].append(Interval(r["valid_from"], r["valid_to"], r["usd"]))
    return Series(
        key[0],
        key[1],
        source,
        smk,
        until,
        tuple(by_component["input"]),
        tuple(by_component["output"]),
    )
