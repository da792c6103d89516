"""Fundamentals triggers over the warehouse tables of migration 005."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from alerts.theses.load import load_theses
from alerts.triggers.evaluate_fundamentals import evaluate_fundamentals
from extractors.fundamentals.rows import FundamentalRow, PeriodType, QuoteRow
from tests.warehouse_templates import WarehouseTemplates
from warehouse.db import connect
from warehouse.tables import FUNDAMENTALS, QUOTES
from warehouse.write import insert_rows

NOW = dt.datetime(2026, 11, 24, 6, tzinfo=dt.UTC)
THESES = load_theses()


@pytest.fixture
def con(tmp_path: Path, warehouse_templates: WarehouseTemplates) -> duckdb.DuckDBPyConnection:
    return connect(warehouse_templates.copy(tmp_path, "w", "file"), wait_s=0)


def quote(con: duckdb.DuckDBPyConnection, ticker: str, day: str, price: str, cur: str) -> None:
    row = QuoteRow(
        ticker=ticker,
        as_of=dt.date.fromisoformat(day),
        price=Decimal(price),
        currency=cur,
        market_cap=None,
        fetched_at=NOW,
    )
    insert_rows(con, QUOTES, [row])


def item(
    con: duckdb.DuckDBPyConnection, ticker: str, end: str, period: PeriodType, name: str, value: str
) -> None:
    row = FundamentalRow(
        ticker=ticker,
        period_end=dt.date.fromisoformat(end),
        period_type=period,
        item=name,
        value=Decimal(value),
        currency=None if name == "gross_margin" else "USD",
        fetched_at=NOW,
    )
    insert_rows(con, FUNDAMENTALS, [row])


def capex(
    con: duckdb.DuckDBPyConnection, period: PeriodType, year_ends: dict[str, dict[str, str]]
) -> None:
    for ticker, by_end in year_ends.items():
        for end, value in by_end.items():
            item(con, ticker, end, period, "capital_expenditure", value)


def test_nvidia_drop_fires_for_every_trigger_watching_nvda(con: duckdb.DuckDBPyConnection) -> None:
    # NVDA closes around DeepSeek-R1: $142.62 (2025-01-24), $118.42 (2025-01-27).
    quote(con, "NVDA", "2025-01-24", "142.62", "USD")
    quote(con, "NVDA", "2025-01-27", "118.42", "USD")
    quote(con, "MU", "2025-01-24", "102.76", "USD")
    quote(con, "MU", "2025-01-27", "96.50", "USD")  # constructed -6%: below 10%
    alerts = evaluate_fundamentals(con, THESES)
    assert sorted((a.trigger_id, a.subject) for a in alerts) == [
        ("rack-scale-ticker-moves", "NVDA down 17%"),
        ("scale-up-topology-moves", "NVDA down 17%"),
    ]
    assert evaluate_fundamentals(con, THESES, since=dt.date(2025, 1, 27)) == []


def test_rising_memory_margin_with_growing_capex_is_quiet(con: duckdb.DuckDBPyConnection) -> None:
    # Real annual figures (USD millions): hyperscaler capex 2023 -> 2024, +55%;
    # Micron gross margin FY23 -9.1% -> FY24 22.4%.
    capex(con, "annual", {
        "GOOGL": {"2023-12-31": "-32251", "2024-12-31": "-52535"},
        "AMZN": {"2023-12-31": "-52729", "2024-12-31": "-82999"},
        "MSFT": {"2023-06-30": "-28107", "2024-06-30": "-44477"},
        "META": {"2023-12-31": "-27045", "2024-12-31": "-37256"},
    })  # fmt: skip
    for end, revenue, profit in (("2023-08-31", "15540", "-1416"), ("2024-08-29", "25111", "5613")):
        item(con, "MU", end, "annual", "total_revenue", revenue)
        item(con, "MU", end, "annual", "gross_profit", profit)
        item(con, "MU", end, "annual", "gross_margin", str(Decimal(profit) / Decimal(revenue)))
    growth = con.execute(
        "select round(yoy_growth, 3) from capex_growth where scope = 'hyperscalers'"
        " and yoy_growth is not null"
    ).fetchall()
    assert growth == [(0.550,)]
    assert evaluate_fundamentals(con, THESES) == []


def test_memory_margin_falling_while_capex_grows_fires(con: duckdb.DuckDBPyConnection) -> None:
    # Constructed quarters: hyperscaler capex +20% y/y, Micron margin 35.3% -> 26.9%
    # (Micron's real FQ4-24 and FQ3-24 margins, in the opposite order).
    q = {"2023-09-30": "-100", "2024-09-30": "-120"}
    capex(con, "quarterly", {t: q for t in ("GOOGL", "AMZN", "MSFT", "META")})
    item(con, "MU", "2024-08-29", "quarterly", "gross_margin", "0.353")
    item(con, "MU", "2024-11-28", "quarterly", "gross_margin", "0.269")
    (alert,) = evaluate_fundamentals(con, THESES)
    assert (alert.trigger_id, alert.model, alert.old_value, alert.new_value, alert.unit) == (
        "memory-margin-vs-capex", "MU", Decimal("35.3"), Decimal("26.9"), "% gross margin"
    )  # fmt: skip
    assert alert.subject == "MU gross margin falls while hyperscaler capex grows 20.0%"
