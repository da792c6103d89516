"""Migration 008: stand-in bands stored daily, and memory revenue against capex in USD."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import duckdb
import pytest

from model.inversion.band import bands
from model.inversion.infer import infer_all
from tests.gemini import price_rows
from tests.warehouse.fundamental_rows import statement_rows
from warehouse.fundamentals_load import insert_fundamentals
from warehouse.inference_bands import store_bands
from warehouse.tables import (
    FX_RATES,
    MEMORY_SEGMENT_REVENUE,
    FxRateRow,
    MemorySegmentRevenueRow,
)
from warehouse.write import insert_rows

NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
GEMINI = price_rows()


def test_bands_are_stored_once_per_day_and_read_back_through_the_views(
    con: duckdb.DuckDBPyConnection,
) -> None:
    found = bands(infer_all(GEMINI))
    assert store_bands(con, found, computed_at=NOON, run_id="r1") == len(found)
    store_bands(con, found, computed_at=NOON.replace(hour=18))  # same day: replaced
    assert con.execute("select count(*) from inference_bands").fetchone() == (len(found),)
    margin = next(b for b in found if b.name == "serving_margin")
    row = con.execute(
        "select margin_low, margin_high, hardware, stand_ins, revenue_usd_per_chip_hour_high "
        "from implied_margin_daily"
    ).fetchone()
    revenue = next(b for b in found if b.name == "implied_revenue_usd_per_chip_hour")
    assert row == (margin.low, margin.high, "tpu7x", 3, revenue.high)
    verdict = con.execute(
        "select threshold_tokens, verdict, firm from long_context_verdicts"
    ).fetchone()
    band = next(b for b in found if b.name == "long_context_verdict_at_200000")
    assert verdict == (200_000, band.verdict, band.firm)
    ladder = {r[0]: r[1] for r in con.execute("select name, pays_for from cache_ladder").fetchall()}
    assert set(ladder) == {"implied_kv_storage_usd_per_gb_hour", "cache_read_usd_per_gb_hour"}
    (values,) = con.execute(
        "select stand_in_values from inference_bands where name = 'effective_decode_batch'"
    ).fetchone() or ("{}",)
    assert set(json.loads(values)) == {"deepseek-v3.2", "qwen3-235b-a22b", "llama-3.1-70b"}


LOADED = datetime(2025, 7, 28, 6, 0, tzinfo=UTC)


# Bank of Korea quarterly averages of KRW per USD for 2024 (1,329.4 / 1,371.24 / 1,358.35 /
# 1,398.75, https://econwatcher.com/en/article-67738abe5821d46e62fdfbee.html); their mean,
# 1,364.435, stands for the year.
KRW_2024 = (1329.4 + 1371.24 + 1358.35 + 1398.75) / 4


@pytest.fixture
def fundamentals(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    for ticker in ("MU", "000660.KS", "005930.KS", "GOOGL", "AMZN", "MSFT", "META"):
        insert_fundamentals(con, statement_rows(ticker, LOADED))
    source = "Bank of Korea, via https://econwatcher.com/en/article-67738abe5821d46e62fdfbee.html"
    rates = [
        FxRateRow(currency="KRW", as_of=date(2024, 6, 30), usd_per_unit=1 / 1371.24,
                  source=source + " (Q2 2024 average)"),
        FxRateRow(currency="KRW", as_of=date(2024, 12, 31), usd_per_unit=1 / KRW_2024,
                  source=source + " (mean of the 2024 quarters)"),
    ]  # fmt: skip
    insert_rows(con, FX_RATES, rates)
    return con


def test_memory_revenue_in_usd_sits_beside_hyperscaler_capex(
    fundamentals: duckdb.DuckDBPyConnection,
) -> None:
    row = fundamentals.execute(
        "select memory_revenue_usd, memory_makers, memory_members, unconverted, "
        "hyperscaler_capex_usd, memory_revenue_over_capex from memory_revenue_vs_capex "
        "where period_type = 'annual' and fiscal_year = 2024"
    ).fetchone()
    assert row is not None
    # Micron FY2024 25,111 M USD + SK hynix 66,193,000 M KRW / 1,364.435 = 48,513.6 M USD
    memory = 25_111e6 + 66_193_000e6 / KRW_2024
    # capex 2024: Alphabet 52,535 + Amazon 82,999 + Microsoft (FY to June) 44,477 + Meta 37,256
    capex = (52_535 + 82_999 + 44_477 + 37_256) * 1e6
    assert row[0] == pytest.approx(memory)
    assert row[1] == 2
    assert row[2] == "000660.KS (total revenue); MU (total revenue)"  # Samsung's is not memory
    assert row[3] is None
    assert row[4] == pytest.approx(capex)
    assert row[5] == pytest.approx(memory / capex)  # 0.339: a third, not half


def test_a_reported_memory_segment_counts_and_a_missing_rate_is_named(
    fundamentals: duckdb.DuckDBPyConnection,
) -> None:
    # Samsung Q2 2024 memory revenue, KRW 21.74 trillion (https://www.smbom.com/news/13948)
    segment = MemorySegmentRevenueRow(
        ticker="005930.KS",
        period_end=date(2024, 6, 30),
        period_type="quarterly",
        revenue=Decimal("21740000000000"),
        currency="KRW",
        segment="DS: Memory",
        source_url="https://www.smbom.com/news/13948",
    )
    insert_rows(fundamentals, MEMORY_SEGMENT_REVENUE, [segment])
    row = fundamentals.execute(
        "select memory_revenue_usd, memory_members from memory_revenue_vs_capex "
        "where period_type = 'quarterly' and fiscal_year = 2024 and fiscal_quarter = 2"
    ).fetchone()
    # Micron's quarter ended 2024-05-30 (6,811 M USD) falls in the same calendar quarter
    assert row == (
        pytest.approx(6_811e6 + 21.74e12 / 1371.24),
        "005930.KS (memory segment: DS: Memory); MU (total revenue)",
    )
    fundamentals.execute("delete from fx_rates")
    row = fundamentals.execute(
        "select memory_revenue_usd, unconverted from memory_revenue_vs_capex "
        "where period_type = 'annual' and fiscal_year = 2024"
    ).fetchone()
    assert row == (pytest.approx(25_111e6), "000660.KS")


def test_fx_quotes_from_yahoo_convert_as_units_per_dollar(
    fundamentals: duckdb.DuckDBPyConnection,
) -> None:
    fundamentals.execute("delete from fx_rates")
    fundamentals.execute(
        "insert into quotes values ('KRW=X', date '2024-12-30', 1472.5, 'KRW', null, ?)", [NOON]
    )
    (usd,) = fundamentals.execute(
        "select usd_per_unit from fx_usd where currency = 'KRW'"
    ).fetchone() or (None,)
    assert usd == pytest.approx(1 / 1472.5)
