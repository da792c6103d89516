"""`thesis infer` and the daily run's roofline step: invert the warehouse's current
prices through the roofline model (model/inversion) and store the inferences."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from model.inversion.infer import infer_all
from model.inversion.inference import Inference
from warehouse.db import connection
from warehouse.inferences import read_limit_rows, read_price_rows, store_inferences


def infer(
    db: Path | str | None,
    *,
    run_id: str | None = None,
    now: datetime | None = None,
    provider: str | None = None,
    model: str | None = None,
    assume_model: str | None = None,
    assume_hardware: str | None = None,
    store: bool = True,
) -> list[Inference]:
    """Open the warehouse (read-only unless storing), invert, store, close."""
    with connection(db, read_only=not store) as con:
        return infer_and_store(
            con,
            run_id=run_id,
            now=now,
            provider=provider,
            model=model,
            assume_model=assume_model,
            assume_hardware=assume_hardware,
            store=store,
        )


def infer_and_store(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str | None = None,
    now: datetime | None = None,
    provider: str | None = None,
    model: str | None = None,
    assume_model: str | None = None,
    assume_hardware: str | None = None,
    store: bool = True,
) -> list[Inference]:
    """Invert today's prices (`latest_prices`, `latest_limits`) for every model, or the
    ones `provider`/`model` select, and record the result unless `store` is False."""
    found = infer_all(
        read_price_rows(con),
        read_limit_rows(con),
        provider=provider,
        model=model,
        assume_model=assume_model,
        assume_hardware=assume_hardware,
    )
    if store:
        store_inferences(con, found, computed_at=now or datetime.now(UTC), run_id=run_id)
    return found
