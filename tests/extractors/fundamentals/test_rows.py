"""Row conversion on frames shaped like yfinance's, filled with published figures.

The fixtures under tests/fixtures/fundamentals cite where each figure comes from.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import BadPayload
from extractors.fundamentals.rows import (
    INCOME_ITEMS,
    FundamentalRow,
    RawTicker,
    fundamental_rows,
    quote_row,
    statement_rows,
    to_decimal,
)
from tests.paths import FIXTURES as FIXTURES_ROOT

FIXTURES = FIXTURES_ROOT / "fundamentals"
FETCHED_AT = datetime(2025, 7, 26, 12, 0, tzinfo=UTC)
M = 1_000_000


def fixture(ticker: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{ticker}.json").read_text(encoding="utf-8"))


def frame(periods: dict[str, dict[str, float]], names: list[str], scale: int) -> pd.DataFrame:
    """A frame as yfinance builds it: item rows, period-end columns newest first, floats."""
    columns = sorted((pd.Timestamp(d) for d in periods), reverse=True)
    values = {col: periods[col.date().isoformat()] for col in columns}
    data = {
        col: [float(v[n]) * scale if n in v else math.nan for n in names]
        for col, v in values.items()
    }
    out = pd.DataFrame(data, index=names, columns=columns)
    return out.dropna(how="all")  # yfinance only has rows for items Yahoo sent


def raw_ticker(ticker: str) -> RawTicker:
    fx = fixture(ticker)
    income = list(INCOME_ITEMS)
    cash = ["CapitalExpenditure", "FreeCashFlow"]
    frames = {
        (p, s): frame(fx[p], names, fx["scale"]) if fx[p] else pd.DataFrame()
        for p in ("annual", "quarterly")
        for s, names in (("income", income), ("cash_flow", cash))
    }
    return RawTicker(ticker, fx["info"], frames, FETCHED_AT)


def pick(rows: list[FundamentalRow], period: str, kind: str, item: str) -> FundamentalRow:
    (row,) = [
        r
        for r in rows
        if r.period_end == date.fromisoformat(period) and r.period_type == kind and r.item == item
    ]
    return row


def test_nvda_fiscal_2025_annual_lines_are_the_published_figures() -> None:
    rows = fundamental_rows(raw_ticker("NVDA"))
    assert pick(rows, "2025-01-26", "annual", "total_revenue").value == 130_497 * M
    assert pick(rows, "2025-01-26", "annual", "cost_of_revenue").value == 32_639 * M
    assert pick(rows, "2025-01-26", "annual", "research_and_development").value == 12_914 * M
    assert pick(rows, "2025-01-26", "annual", "capital_expenditure").value == -3_236 * M
    assert pick(rows, "2025-01-26", "annual", "free_cash_flow").value == 60_853 * M
    revenue = pick(rows, "2025-01-26", "annual", "total_revenue")
    assert revenue.currency == "USD" and revenue.fetched_at == FETCHED_AT


def test_gross_margin_is_gross_profit_over_revenue_as_a_unitless_ratio() -> None:
    margin = pick(fundamental_rows(raw_ticker("NVDA")), "2025-01-26", "annual", "gross_margin")
    assert margin.value == Decimal("0.749887")  # 97,858 / 130,497
    assert margin.currency is None


def test_missing_line_items_stay_none_never_zero() -> None:
    # NVIDIA's Q4 FY2025 release as used here states revenue and operating income only.
    rows = fundamental_rows(raw_ticker("NVDA"))
    assert pick(rows, "2025-01-26", "quarterly", "total_revenue").value == 39_331 * M
    for item in ("cost_of_revenue", "gross_profit", "research_and_development", "gross_margin"):
        assert pick(rows, "2025-01-26", "quarterly", item).value is None


def test_samsung_statements_stay_in_krw() -> None:
    rows = fundamental_rows(raw_ticker("005930.KS"))
    revenue = pick(rows, "2024-03-31", "quarterly", "total_revenue")
    assert revenue.value == 71_915_601 * M
    assert revenue.currency == "KRW"
    assert pick(rows, "2024-03-31", "quarterly", "gross_margin").value == Decimal("0.361942")
    assert {r.currency for r in rows} == {"KRW", None}


def test_adr_quote_currency_and_statement_currency_are_kept_apart() -> None:
    raw = raw_ticker("TSM")
    quote = quote_row("TSM", raw.info, FETCHED_AT)
    rows = fundamental_rows(raw)
    assert (quote.price, quote.currency) == (Decimal("152.23"), "USD")
    assert quote.market_cap == Decimal("789547897580")  # shares x price, not the page's glitch
    assert pick(rows, "2024-12-31", "quarterly", "total_revenue").value == 868_460 * M
    assert {r.currency for r in rows if r.item != "gross_margin"} == {"TWD"}


def test_negative_gross_profit_gives_a_negative_margin() -> None:
    rows = fundamental_rows(raw_ticker("000660.KS"))
    assert pick(rows, "2023-12-31", "annual", "gross_profit").value == -533_448 * M
    assert pick(rows, "2023-12-31", "annual", "gross_margin").value == Decimal("-0.016281")
    mu = fundamental_rows(raw_ticker("MU"))
    assert pick(mu, "2023-08-31", "quarterly", "gross_margin").value == Decimal("-0.108479")
    assert pick(mu, "2024-08-29", "quarterly", "gross_margin").value == Decimal("0.353161")


def test_a_period_yahoo_pads_with_nothing_yields_no_rows() -> None:
    annual = frame(fixture("NVDA")["annual"], list(INCOME_ITEMS), M)
    annual[pd.Timestamp("2022-01-30")] = math.nan  # Yahoo's empty fifth year
    rows = statement_rows("NVDA", annual, "annual", INCOME_ITEMS, "USD", FETCHED_AT)
    assert {r.period_end for r in rows} == {date(2025, 1, 26), date(2024, 1, 28)}
    assert len(rows) == 2 * len(INCOME_ITEMS)


def test_without_financial_currency_the_statements_are_refused() -> None:
    raw = raw_ticker("NVDA")
    raw.info.pop("financialCurrency")
    with pytest.raises(BadPayload, match="financialCurrency"):
        fundamental_rows(raw)


def test_statements_without_any_revenue_are_refused() -> None:
    raw = raw_ticker("NVDA")
    raw.frames = {k: v.drop(index="TotalRevenue", errors="ignore") for k, v in raw.frames.items()}
    with pytest.raises(BadPayload, match="no revenue"):
        fundamental_rows(raw)


def test_quote_date_is_the_exchanges_trading_day_not_the_fetch_day() -> None:
    quote = quote_row("005930.KS", fixture("005930.KS")["info"], FETCHED_AT)
    assert quote.as_of == date(2025, 7, 25)  # fetched on Saturday the 26th
    assert (quote.price, quote.currency) == (Decimal("65900"), "KRW")
    assert quote.market_cap == Decimal("431310000000000")


def test_quote_without_market_cap_keeps_it_none() -> None:
    quote = quote_row("000660.KS", fixture("000660.KS")["info"], FETCHED_AT)
    assert quote.price == Decimal("176700")
    assert quote.market_cap is None


def test_quote_falls_back_to_current_price_and_fetch_date() -> None:
    info = {"currency": "USD", "currentPrice": 565.52}
    quote = quote_row("META", info, FETCHED_AT)
    assert (quote.price, quote.as_of) == (Decimal("565.52"), date(2025, 7, 26))


def test_quote_without_price_or_currency_is_refused() -> None:
    with pytest.raises(BadPayload, match="no price"):
        quote_row("NVDA", {"currency": "USD", "marketCap": 3.51e12}, FETCHED_AT)
    with pytest.raises(BadPayload, match="no currency"):
        quote_row("NVDA", {"regularMarketPrice": 143.96}, FETCHED_AT)


def test_to_decimal_keeps_the_printed_digits_and_maps_nan_to_none() -> None:
    assert to_decimal(143.96) == Decimal("143.96")
    assert to_decimal(np.float64(152.23)) == Decimal("152.23")
    assert to_decimal(np.int64(65900)) == Decimal(65900)
    assert to_decimal(math.nan) is None
    assert to_decimal(None) is None
    with pytest.raises(BadPayload):
        to_decimal("n/a")


@given(
    st.lists(
        st.one_of(st.none(), st.floats(min_value=-1e13, max_value=1e13, allow_nan=False)),
        min_size=len(INCOME_ITEMS),
        max_size=len(INCOME_ITEMS),
    )
)
def test_a_value_is_none_exactly_where_yahoo_had_none(values: list[float | None]) -> None:
    column = pd.Timestamp("2024-12-31")
    data = pd.DataFrame(
        {column: [math.nan if v is None else v for v in values]}, index=list(INCOME_ITEMS)
    )
    rows = statement_rows("X", data, "annual", INCOME_ITEMS, "USD", FETCHED_AT)
    if all(v is None for v in values):
        assert rows == []
        return
    got = {r.item: r.value for r in rows}
    for name, value in zip(INCOME_ITEMS, values, strict=True):
        expected = None if value is None else Decimal(repr(value))
        assert got[INCOME_ITEMS[name]] == expected
