"""Loading quotes and statement rows, and the views over them, on published figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extractors.fundamentals.rows import (
    CASH_FLOW_ITEMS,
    INCOME_ITEMS,
    FundamentalRow,
    QuoteRow,
    gross_margin_rows,
)
from tests.warehouse.fundamental_rows import statement_rows
from tests.warehouse_templates import WarehouseTemplates
from warehouse.db import connect
from warehouse.fundamentals_load import insert_fundamentals, insert_quotes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fundamentals"
DAY1 = datetime(2025, 7, 28, 6, 0, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)
ITEMS = INCOME_ITEMS | CASH_FLOW_ITEMS
M = 1_000_000


def rows_of(ticker: str, fetched_at: datetime = DAY1) -> list[FundamentalRow]:
    """The fixture's figures as statement rows (only items it states), plus margins."""
    rows = statement_rows(ticker, fetched_at)
    return rows + gross_margin_rows(rows)


@pytest.fixture
def con(
    engine: str, tmp_path: Path, warehouse_templates: WarehouseTemplates
) -> duckdb.DuckDBPyConnection:
    return connect(warehouse_templates.copy(tmp_path, "w", engine))


def latest(con: duckdb.DuckDBPyConnection, ticker: str, period: str, item: str) -> Any:
    row = con.execute(
        "select value from fundamentals_latest where ticker = ? and period_end = ?"
        " and period_type = 'annual' and item = ?",
        [ticker, date.fromisoformat(period), item],
    ).fetchone()
    assert row is not None
    return row[0]


def test_loading_the_same_rows_twice_adds_nothing(con: duckdb.DuckDBPyConnection) -> None:
    rows = rows_of("NVDA")
    assert insert_fundamentals(con, rows) == len(rows)
    assert insert_fundamentals(con, [replace(r, fetched_at=DAY2) for r in rows]) == 0
    assert latest(con, "NVDA", "2025-01-26", "total_revenue") == 130_497 * M


def test_a_restated_value_is_appended_and_becomes_latest(con: duckdb.DuckDBPyConnection) -> None:
    insert_fundamentals(con, rows_of("NVDA"))
    revenue = next(r for r in rows_of("NVDA") if r.item == "total_revenue")
    restated = replace(revenue, value=revenue.value + 1 * M, fetched_at=DAY2)  # type: ignore[operator]
    assert insert_fundamentals(con, [restated]) == 1
    assert latest(con, "NVDA", "2025-01-26", "total_revenue") == 130_498 * M
    history = con.execute(
        "select count(*) from fundamentals where ticker = 'NVDA' and item = 'total_revenue'"
        " and period_type = 'annual' and period_end = date '2025-01-26'"
    ).fetchone()
    assert history == (2,)


def test_a_missing_item_is_stored_as_null_not_zero(con: duckdb.DuckDBPyConnection) -> None:
    missing = FundamentalRow(
        "005930.KS", date(2024, 12, 31), "annual", "gross_profit", None, "KRW", DAY1
    )
    assert insert_fundamentals(con, [missing]) == 1
    assert latest(con, "005930.KS", "2024-12-31", "gross_profit") is None
    assert insert_fundamentals(con, [replace(missing, fetched_at=DAY2)]) == 0


def test_an_item_yahoo_drops_later_keeps_its_known_value(con: duckdb.DuckDBPyConnection) -> None:
    insert_fundamentals(con, rows_of("NVDA"))
    known = next(r for r in rows_of("NVDA") if r.item == "research_and_development")
    assert insert_fundamentals(con, [replace(known, value=None, fetched_at=DAY2)]) == 0
    assert latest(con, "NVDA", "2025-01-26", "research_and_development") == 12_914 * M


def test_one_quote_per_ticker_and_trading_day(con: duckdb.DuckDBPyConnection) -> None:
    quote = QuoteRow(
        "005930.KS", date(2025, 7, 25), Decimal("65900"), "KRW", Decimal("431310000000000"), DAY1
    )
    assert insert_quotes(con, [quote]) == 1
    assert insert_quotes(con, [replace(quote, price=Decimal("66000"), fetched_at=DAY2)]) == 0
    assert insert_quotes(con, [replace(quote, as_of=date(2025, 7, 28), fetched_at=DAY2)]) == 1
    stored = con.execute(
        "select price, currency, market_cap from quotes order by as_of limit 1"
    ).fetchone()
    assert stored == (Decimal("65900"), "KRW", Decimal("431310000000000"))


def growth(con: duckdb.DuckDBPyConnection, scope: str, name: str, kind: str, year: int) -> Any:
    return con.execute(
        "select capex, prev_capex, yoy_growth, companies, currency from capex_growth"
        " where scope = ? and name = ? and period_type = ? and fiscal_year = ?",
        [scope, name, kind, year],
    ).fetchall()


def load_hyperscalers(con: duckdb.DuckDBPyConnection) -> None:
    for ticker in ("GOOGL", "AMZN", "META", "MSFT"):
        insert_fundamentals(con, rows_of(ticker))


def test_capex_growth_per_company_is_year_on_year_spend(con: duckdb.DuckDBPyConnection) -> None:
    load_hyperscalers(con)
    ((capex, prev, yoy, companies, currency),) = growth(con, "company", "GOOGL", "annual", 2024)
    assert (capex, prev, companies, currency) == (52_535 * M, 32_251 * M, 1, "USD")
    assert yoy == pytest.approx(52_535 / 32_251 - 1)
    ((_, _, first_year_yoy, _, _),) = growth(con, "company", "GOOGL", "annual", 2023)
    assert first_year_yoy is None


def test_capex_growth_of_the_hyperscaler_group(con: duckdb.DuckDBPyConnection) -> None:
    load_hyperscalers(con)
    group = "GOOGL+AMZN+MSFT+META"
    ((capex, prev, yoy, companies, currency),) = growth(con, "hyperscalers", group, "annual", 2024)
    assert capex == (52_535 + 82_999 + 37_256 + 44_477) * M
    assert prev == (32_251 + 52_729 + 27_045 + 28_107) * M
    assert (companies, currency) == (4, "USD")
    assert yoy == pytest.approx(217_267 / 140_132 - 1)


def test_quarterly_capex_compares_with_the_same_quarter_a_year_before(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_hyperscalers(con)
    ((capex, prev, yoy, _, _),) = growth(con, "company", "MSFT", "quarterly", 2024)
    assert (capex, prev) == (14_923 * M, 9_917 * M)
    assert yoy == pytest.approx(14_923 / 9_917 - 1)


def test_group_growth_needs_the_same_members_in_both_years(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_hyperscalers(con)
    con.execute("delete from fundamentals where ticker = 'META' and period_end < '2024-01-01'")
    ((_, _, yoy, companies, _),) = growth(
        con, "hyperscalers", "GOOGL+AMZN+MSFT+META", "annual", 2024
    )
    assert companies == 4
    assert yoy is None  # 2023 has three members: no like-for-like growth


def test_group_capex_is_never_summed_across_currencies(con: duckdb.DuckDBPyConnection) -> None:
    # Constructed case: Alphabet's figures relabelled EUR stand for a member reporting in
    # another currency; they must form their own group row, not join the USD sum.
    for ticker in ("AMZN", "META", "MSFT"):
        insert_fundamentals(con, rows_of(ticker))
    insert_fundamentals(con, [replace(r, currency="EUR") for r in rows_of("GOOGL")])
    rows = con.execute(
        "select currency, companies, capex from capex_growth where scope = 'hyperscalers'"
        " and period_type = 'annual' and fiscal_year = 2024 order by currency"
    ).fetchall()
    assert rows == [("EUR", 1, 52_535 * M), ("USD", 3, (82_999 + 37_256 + 44_477) * M)]


def test_memory_margins_track_each_maker_in_its_own_currency(
    con: duckdb.DuckDBPyConnection,
) -> None:
    for ticker in ("MU", "000660.KS", "005930.KS", "NVDA"):
        insert_fundamentals(con, rows_of(ticker))
    got = {
        (t, kind, day): (currency, margin)
        for t, kind, day, currency, margin in con.execute(
            "select ticker, period_type, period_end, currency, gross_margin from memory_margins"
        ).fetchall()
    }
    assert got[("MU", "annual", date(2024, 8, 29))] == ("USD", Decimal("0.223528"))
    assert got[("MU", "annual", date(2023, 8, 31))] == ("USD", Decimal("-0.091120"))
    assert got[("000660.KS", "annual", date(2023, 12, 31))] == ("KRW", Decimal("-0.016281"))
    assert got[("005930.KS", "quarterly", date(2024, 3, 31))] == ("KRW", Decimal("0.361942"))
    # Samsung's 2024 annual figures used here state no gross profit: margin unknown.
    assert got[("005930.KS", "annual", date(2024, 12, 31))] == ("KRW", None)
    assert not any(t == "NVDA" for t, _, _ in got)


def test_memory_margins_compare_with_the_same_period_a_year_before(
    con: duckdb.DuckDBPyConnection,
) -> None:
    for ticker in ("MU", "005930.KS"):
        insert_fundamentals(con, rows_of(ticker))
    rows = con.execute(
        "select ticker, period_type, period_end, prev_year_gross_margin, margin_change"
        " from memory_margins where prev_year_gross_margin is not null order by 1, 2, 3"
    ).fetchall()
    assert rows == [
        ("005930.KS", "quarterly", date(2024, 3, 31), Decimal("0.278268"), Decimal("0.083674")),
        ("MU", "annual", date(2024, 8, 29), Decimal("-0.091120"), Decimal("0.314648")),
        ("MU", "quarterly", date(2024, 8, 29), Decimal("-0.108479"), Decimal("0.461640")),
    ]
