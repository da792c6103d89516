"""Read current prices for the roofline inversion and store its inferences.

The inversion itself runs in pipeline/inference.py; this module only reads and writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import duckdb

from model.inversion.inference import Inference
from warehouse.query import dict_rows
from warehouse.upsert import merge_rows

_INFERENCE_TYPES = {
    "day": "date",
    "computed_at": "timestamptz",
    "run_id": "varchar",
    "provider": "varchar",
    "model": "varchar",
    "name": "varchar",
    "value": "double",
    "unit": "varchar",
    "label": "varchar",
    "explanation": "varchar",
    "reference_model": "varchar",
    "reference_hardware": "varchar",
    "assumptions": "json",
}
_INFERENCE_KEY = ("day", "provider", "model", "name", "reference_model", "reference_hardware")
PRICE_COLUMNS = (
    "provider, model, component, service_tier, tier_min_prompt_tokens, condition, "
    "usd_per_mtok, effective_from, effective_to"
)


def read_price_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every current price (view `latest_prices`), for `model.inversion.infer.infer_all`."""
    return dict_rows(con, f"select {PRICE_COLUMNS} from latest_prices order by provider, model")


def read_limit_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return dict_rows(
        con,
        "select provider, model, context_window_tokens, max_input_tokens from latest_limits",
    )


def delete_inferences(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the table (a backtest's scratch warehouse, between replayed days)."""
    con.execute("delete from inferences")


def store_inferences(
    con: duckdb.DuckDBPyConnection,
    inferences: Iterable[Inference],
    *,
    computed_at: datetime,
    run_id: str | None = None,
) -> int:
    """Write inferences; a second write on the same UTC day replaces that day's rows."""
    rows = [
        (
            computed_at.astimezone(UTC).date(),
            computed_at,
            run_id,
            i.provider,
            i.model,
            i.name,
            i.value,
            i.unit,
            i.label,
            i.explanation,
            str(i.assumptions.get("model", "")),
            str(i.assumptions.get("hardware", "")),
            json.dumps(i.assumptions, sort_keys=True, default=str),
        )
        for i in inferences
    ]
    if rows:
        # One statement from a frame: executemany costs ~4 ms a row, minutes for a day.
        merge_rows(
            con,
            "inferences",
            rows,
            _INFERENCE_KEY,
            casts=_INFERENCE_TYPES,
            replace=True,
        )
    return len(rows)
