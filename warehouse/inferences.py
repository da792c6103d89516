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
from warehouse.tables import INFERENCES, InferenceRow
from warehouse.write import merge_rows

PRICE_COLUMNS = (
    "provider, model, component, service_tier, tier_min_prompt_tokens, condition, "
    "usd_per_mtok, effective_from, effective_to"
)


def read_price_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every current canonical price (view `latest_prices`: one coherent sheet per model,
    dated prices already resolved), for `model.inversion.infer.infer_all`."""
    return dict_rows(
        con,
        f"select {PRICE_COLUMNS}, true as in_force from latest_prices order by provider, model",
    )


def read_limit_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return dict_rows(
        con,
        "select provider, model, context_window_tokens, max_input_tokens from latest_limits",
    )


def delete_inferences(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the table and the sheet keys it rests on (a scratch warehouse, between
    replayed days)."""
    con.execute("delete from inferences")
    con.execute("delete from inference_sheets")


def store_inferences(
    con: duckdb.DuckDBPyConnection,
    inferences: Iterable[Inference],
    *,
    computed_at: datetime,
    run_id: str | None = None,
) -> int:
    """Write inferences; a second write on the same UTC day replaces that day's rows."""
    rows = [
        InferenceRow(
            day=computed_at.astimezone(UTC).date(),
            computed_at=computed_at,
            run_id=run_id,
            provider=i.provider,
            model=i.model,
            name=i.name,
            value=i.value,
            unit=i.unit,
            label=i.label,
            explanation=i.explanation,
            reference_model=str(i.assumptions.get("model", "")),
            reference_hardware=str(i.assumptions.get("hardware", "")),
            assumptions=json.dumps(i.assumptions, sort_keys=True, default=str),
        )
        for i in inferences
    ]
    merge_rows(con, INFERENCES, rows, replace=True)
    return len(rows)
