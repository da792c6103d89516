"""`thesis infer` and the daily run's roofline step: invert the warehouse's current
prices through the roofline model (model/inversion) and store the inferences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from model.catalog.load import load_catalog
from model.inversion.band import bands
from model.inversion.infer import infer_all
from model.inversion.inference import Inference
from model.inversion.sheet_key import code_version, context_key, sheet_keys
from warehouse.db import connection, transaction
from warehouse.inference_bands import store_bands
from warehouse.inference_sheets import last_sheet_keys, store_sheets
from warehouse.inferences import read_limit_rows, read_price_rows, store_inferences
from warehouse.price_sheets import read_sheets, sheet_digests


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
    and record the result (each stand-in's inferences, their bands and the sheet keys they
    rest on) unless `store` is False. Every requested model is computed: `thesis infer`
    shows them all."""
    sheets = _Sheets.read(con, request)
    found = sheets.invert(con, request, None)
    if store:
        keys = {k: v for k, v in sheets.keys.items() if _requested(k, request)}
        _store(con, found, keys, set(keys), now or datetime.now(UTC), run_id)
    return found


@dataclass(frozen=True, slots=True)
class Refresh:
    """The daily run's inversion: models inverted because their price sheet (or the
    catalog, code or assumptions) changed, models whose last inferences stand, and the
    inference rows stored."""

    recomputed: int
    reused: int
    rows: int

    def as_dict(self) -> dict[str, int]:
        return {"models_recomputed": self.recomputed, "models_reused": self.reused}


def refresh(db: Path | str | None, *, run_id: str | None = None) -> Refresh:
    with connection(db) as con:
        return refresh_inferences(con, run_id=run_id)


def refresh_inferences(
    con: duckdb.DuckDBPyConnection, *, run_id: str | None = None, now: datetime | None = None
) -> Refresh:
    """The daily run's step: invert only the models whose sheet key differs from the last
    stored one; the others' last inferences and bands stand (inference_bands_daily carries
    them), and today's `inference_sheets` rows say which were reused. The keys are compared
    on digests the warehouse computes; only the changed models' rows are read."""
    sheets = _Sheets.read(con, EVERY_MODEL)
    last = last_sheet_keys(con)
    changed = {k for k, key in sheets.keys.items() if last.get(k) != key}
    found = sheets.invert(con, EVERY_MODEL, changed) if changed else []
    _store(con, found, sheets.keys, changed, now or datetime.now(UTC), run_id)
    return Refresh(len(changed), len(sheets.keys) - len(changed), len(found))


@dataclass(frozen=True, slots=True)
class _Sheets:
    """Each priced model's sheet key under the request's assumptions."""

    keys: dict[tuple[str, str], str]

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection, request: InferenceRequest) -> _Sheets:
        assumptions = {
            "efficiency": request.efficiency,
            "assume_model": request.assume_model,
            "assume_hardware": request.assume_hardware,
        }
        context = context_key(code_version(), assumptions)
        return cls(sheet_keys(sheet_digests(con), context))

    def invert(
        self,
        con: duckdb.DuckDBPyConnection,
        request: InferenceRequest,
        only: set[tuple[str, str]] | None,
    ) -> list[Inference]:
        """`infer_all` of the requested models (of `only`, when given: only their rows
        are read)."""
        if only is None:
            prices, limits = read_price_rows(con), read_limit_rows(con)
        else:
            prices, limits = read_sheets(con, only)
        return infer_all(
            prices,
            limits,
            catalog=load_catalog(),
            provider=request.provider,
            model=request.model,
            assume_model=request.assume_model,
            assume_hardware=request.assume_hardware,
            efficiency=request.efficiency,
        )


def _requested(key: tuple[str, str], request: InferenceRequest) -> bool:
    provider, model = key
    return (not request.provider or provider.lower() == request.provider.lower()) and (
        not request.model or model.lower() == request.model.lower()
    )


def _store(
    con: duckdb.DuckDBPyConnection,
    found: list[Inference],
    keys: dict[tuple[str, str], str],
    recomputed: set[tuple[str, str]],
    at: datetime,
    run_id: str | None,
) -> None:
    """The inferences, their bands and the sheet key of each model in `keys`, all or
    none."""
    with transaction(con):
        store_inferences(con, found, computed_at=at, run_id=run_id)
        store_bands(con, bands(found), computed_at=at, run_id=run_id)
        store_sheets(con, keys, recomputed, computed_at=at, run_id=run_id)
