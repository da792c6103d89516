"""`thesis infer` and the daily run's roofline step: invert the warehouse's current
prices through the roofline model (model/inversion) and store the inferences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from model.inversion.band import bands
from model.inversion.infer import infer_all
from model.inversion.inference import Inference
from warehouse.db import connection
from warehouse.inference_bands import store_bands
from warehouse.inferences import read_limit_rows, read_price_rows, store_inferences


@dataclass(frozen=True, slots=True)
class InferenceRequest:
    """Which models to invert (exact, case-insensitive; None: all) and the catalog
    architecture and hardware to read their prices against (None: the stand-ins of
    model/inversion/references.py), and the efficiency to read the bound at."""

    provider: str | None = None
    model: str | None = None
    assume_model: str | None = None
    assume_hardware: str | None = None
    efficiency: str = "calibrated"  # or "roofline" (model/roofline/efficiency.py)


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
    and record the result (each stand-in's inferences, and their bands) unless `store`
    is False."""
    found = infer_all(
        read_price_rows(con),
        read_limit_rows(con),
        provider=request.provider,
        model=request.model,
        assume_model=request.assume_model,
        assume_hardware=request.assume_hardware,
        efficiency=request.efficiency,
    )
    if store:
        at = now or datetime.now(UTC)
        store_inferences(con, found, computed_at=at, run_id=run_id)
        store_bands(con, bands(found), computed_at=at, run_id=run_id)
    return found
