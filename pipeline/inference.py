"""`thesis infer` and the daily run's roofline step: invert the warehouse's current
prices through the roofline model (model/inversion) and store the inferences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from model.inversion.infer import infer_all
from model.inversion.inference import Inference
from warehouse.db import connection
from warehouse.inferences import read_limit_rows, read_price_rows, store_inferences


@dataclass(frozen=True, slots=True)
class InferenceRequest:
    """Which models to invert (exact, case-insensitive; None: all) and the catalog
    architecture and hardware to read their prices against (None: the per-provider
    references of model/inversion/references.py)."""

    provider: str | None = None
    model: str | None = None
    assume_model: str | None = None
    assume_hardware: str | None = None


EVERY_MODEL = InferenceRequest()


def infer(
    db: Path | str | None,
    request: InferenceRequest = EVERY_MODEL,
    *,
    run_id: str | None = None,
    now: datetime | None = None,
    store: bool = True,
) -> list[Inference]:
    """Open the warehouse (read-only unless storing), invert, store, close."""
    with connection(db, read_only=not store) as con:
        return infer_and_store(con, request, run_id=run_id, now=now, store=store)


def infer_and_store(
    con: duckdb.DuckDBPyConnection,
    request: InferenceRequest = EVERY_MODEL,
    *,
    run_id: str | None = None,
    now: datetime | None = None,
    store: bool = True,
) -> list[Inference]:
    """Invert today's prices (`latest_prices`, `latest_limits`) for the requested models
    and record the result unless `store` is False."""
    found = infer_all(
        read_price_rows(con),
        read_limit_rows(con),
        provider=request.provider,
        model=request.model,
        assume_model=request.assume_model,
        assume_hardware=request.assume_hardware,
    )
    if store:
        store_inferences(con, found, computed_at=now or datetime.now(UTC), run_id=run_id)
    return found
