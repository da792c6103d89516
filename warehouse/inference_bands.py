"""Store the inversion's stand-in bands (migration 008), one row per day, model and name."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

import duckdb

from model.inversion.band import Band
from warehouse.tables import INFERENCE_BANDS, InferenceBandRow
from warehouse.write import merge_rows


def delete_bands(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the table (a backtest's scratch warehouse, between replayed days)."""
    con.execute("delete from inference_bands")


def store_bands(
    con: duckdb.DuckDBPyConnection,
    bands: Iterable[Band],
    *,
    computed_at: datetime,
    run_id: str | None = None,
) -> int:
    """Write bands; a second write on the same UTC day replaces that day's rows."""
    day = computed_at.astimezone(UTC).date()
    rows = [
        InferenceBandRow(
            day=day,
            computed_at=computed_at,
            run_id=run_id,
            provider=b.provider,
            model=b.model,
            name=b.name,
            unit=b.unit,
            low=b.low,
            high=b.high,
            stand_ins=b.stand_ins,
            verdict=b.verdict,
            firm=b.firm,
            decided_by=b.decided_by,
            hardware=b.hardware,
            stand_in_values=json.dumps(b.values, sort_keys=True),
            stand_in_labels=json.dumps(b.labels, sort_keys=True),
            explanation=b.explanation,
        )
        for b in bands
    ]
    merge_rows(con, INFERENCE_BANDS, rows, replace=True)
    return len(rows)
