"""Which price sheet each model's inferences rest on, per day the inversion ran
(migration 012): the key the next run compares against, and the record of reuse."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import duckdb

from warehouse.tables import INFERENCE_SHEETS, InferenceSheetRow
from warehouse.write import merge_rows

Key = tuple[str, str]


def last_sheet_keys(con: duckdb.DuckDBPyConnection) -> dict[Key, str]:
    """(provider, model) -> the sheet key of its newest stored day (no entry when that
    day's key is unknown: stored before keys were kept)."""
    rows = con.execute(
        "select provider, model, arg_max(sheet_key, day) from inference_sheets group by all"
    ).fetchall()
    return {(p, m): k for p, m, k in rows if k is not None}


def store_sheets(
    con: duckdb.DuckDBPyConnection,
    keys: Mapping[Key, str],
    recomputed: set[Key],
    *,
    computed_at: datetime,
    run_id: str | None = None,
) -> None:
    """One row per model for the day. A recomputed model's row replaces the day's; a
    reused one never does, so a same-day re-run keeps the row saying the day's rows were
    computed that day."""
    day = computed_at.astimezone(UTC).date()
    # A reused model's row for the day, once stored, stays: only the missing ones are new.
    stored = set(
        con.execute("select provider, model from inference_sheets where day = ?", [day]).fetchall()
    )

    def rows(which: bool) -> list[InferenceSheetRow]:
        return [
            InferenceSheetRow(
                day=day,
                computed_at=computed_at,
                run_id=run_id,
                provider=provider,
                model=model,
                sheet_key=key,
                recomputed=which,
            )
            for (provider, model), key in sorted(keys.items())
            if ((provider, model) in recomputed) == which
            and (which or (provider, model) not in stored)
        ]

    merge_rows(con, INFERENCE_SHEETS, rows(True), replace=True)
    merge_rows(con, INFERENCE_SHEETS, rows(False), replace=False)
