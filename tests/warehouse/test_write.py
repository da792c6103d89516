"""Writing rows of a Table: append, insert-if-new and insert-or-replace, on each engine."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import duckdb
import pytest

from extractors.fundamentals.rows import QuoteRow
from warehouse.table import Table
from warehouse.tables import (
    MODEL_LIMITS,
    PRICE_SERIES,
    QUOTES,
    RAW_SNAPSHOTS,
    RUNS,
    TRIGGER_STATE,
    ModelLimitRow,
    PriceSeriesRow,
    RawSnapshotRow,
    RunRow,
    TriggerStateRow,
)
from warehouse.write import PARAMETER_ROWS, insert_rows, merge_rows

AT = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


def quote(price: str, market_cap: str | None = None) -> QuoteRow:
    return QuoteRow(
        ticker="NVDA",
        as_of=date(2026, 3, 2),
        price=Decimal(price),
        currency="USD",
        market_cap=None if market_cap is None else Decimal(market_cap),
        fetched_at=AT,
    )


def state(value: str, active: bool = True) -> TriggerStateRow:
    return TriggerStateRow(
        trigger_id="t1",
        subject="openai gpt-4o",
        active=active,
        since=date(2026, 3, 1),
        last_value=value,
        evaluated_on=date(2026, 3, 2),
        updated_at=AT,
    )


def test_merge_without_replace_stores_the_first_of_several_new_rows_and_keeps_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    merge_rows(con, QUOTES, [quote("143.96"), quote("150")], replace=False)
    merge_rows(con, QUOTES, [quote("151")], replace=False)
    assert con.execute("select price, market_cap from quotes").fetchall() == [
        (Decimal("143.960000"), None)
    ]


def test_merge_with_replace_overwrites_the_stored_row_with_the_first_of_several(
    con: duckdb.DuckDBPyConnection,
) -> None:
    merge_rows(con, TRIGGER_STATE, [state("2.5")], replace=True)
    merge_rows(con, TRIGGER_STATE, [state("3.0", active=False), state("9.9")], replace=True)
    assert TRIGGER_STATE.rows(con.execute("select * from trigger_state")) == [
        state("3.0", active=False)
    ]


def test_decimals_keep_every_digit_the_column_holds(con: duckdb.DuckDBPyConnection) -> None:
    merge_rows(con, QUOTES, [quote("0.000001", "3512345678901.123456")], replace=False)
    assert QUOTES.rows(con.execute("select * from quotes")) == [
        quote("0.000001", "3512345678901.123456")
    ]


def test_insert_appends_every_row_and_reads_back_equal(con: duckdb.DuckDBPyConnection) -> None:
    rows = [
        ModelLimitRow(
            source="litellm",
            source_model_key=f"gpt-{n}",
            provider="openai",
            model=f"gpt-{n}",
            context_window_tokens=128_000 * n,
            max_input_tokens=None,
            max_output_tokens=16_384,
            change="new",
            snapshot_id="litellm/2026-03-02T07:30:00Z/abc",
            observed_at=AT,
        )
        for n in (1, 2)
    ]
    insert_rows(con, MODEL_LIMITS, rows)
    insert_rows(con, MODEL_LIMITS, rows[:1])
    stored = MODEL_LIMITS.rows(con.execute("select * from model_limits order by model"))
    assert stored == [rows[0], rows[0], rows[1]]


def test_a_table_without_a_key_cannot_be_merged(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="model_limits has no key"):
        merge_rows(con, MODEL_LIMITS, [], replace=False)


def _series_row(n: int) -> PriceSeriesRow:
    return PriceSeriesRow(
        provider="openai",
        model=f"gpt-{n}",
        component="input",
        service_tier="standard",
        tier_min_prompt_tokens=0,
        condition="",
        day=date(2026, 3, 2),
        usd_per_mtok=None if n % 7 == 0 else Decimal(n) / 1000,
        state="confirmed",
        source=None if n % 5 == 0 else "litellm",
        sheet_source="litellm",
        filled_from=None,
        source_model_key=f"gpt-{n}",
        agreeing_sources=["openrouter", "genai-prices"][: n % 3],
        disagreeing_sources=[],
        value_since=date(2026, 3, 1),
        effective_from=None,
        effective_to=None,
    )


def _raw_row(n: int) -> RawSnapshotRow:
    return RawSnapshotRow(
        content_sha256=f"{n:064x}",
        source="litellm",
        first_seen_at=AT,
        size_bytes=n,
        encoding="gzip",
        payload=bytes([n % 256, 0, 255]) * n,
    )


def _run_row(n: int) -> RunRow:
    summary = None if n % 4 == 0 else json.dumps({"n": n, "sources": ["a", "é"]})
    return RunRow(run_id=f"daily-{n}", kind="daily", started_at=AT, status="ok", summary=summary)


@pytest.mark.parametrize(
    ("table", "make"), [(PRICE_SERIES, _series_row), (RAW_SNAPSHOTS, _raw_row), (RUNS, _run_row)]
)
def test_small_batches_as_parameters_store_what_one_large_batch_as_a_frame_stores(
    con: duckdb.DuckDBPyConnection, table: Table[Any], make: Callable[[int], Any]
) -> None:
    rows = [make(n) for n in range(1, PARAMETER_ROWS + 51)]
    order = f"order by {', '.join(table.key or table.names[:1])}"
    insert_rows(con, table, rows)  # more than PARAMETER_ROWS: one frame
    as_frame = table.rows(con.execute(f"select * from {table.name} {order}"))
    con.execute(f"delete from {table.name}")
    for at in range(0, len(rows), 50):  # 50 at a time: list parameters
        insert_rows(con, table, rows[at : at + 50])
    assert table.rows(con.execute(f"select * from {table.name} {order}")) == as_frame
    assert sorted(as_frame, key=repr) == sorted(rows, key=repr)
