"""Pure conversion of what yfinance returns (an info dict, statement frames) into rows.

No I/O here: the fetch edge (extractors/fundamentals/yahoo.py) hands over a `RawTicker`,
these functions turn it into `QuoteRow`s and `FundamentalRow`s. Money stays `Decimal`
with its currency beside it; a line item a company does not report stays None (never 0).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import BadPayload
from core.sqltypes import VARCHAR, Date, Decimal38_6, TimestampTz, Varchar

if TYPE_CHECKING:  # pandas costs ~1 s to import: only a fetch needs it
    import pandas as pd

PeriodType = Literal["annual", "quarterly"]
Statement = Literal["income", "cash_flow"]

# yfinance row name -> our item name, per statement.
INCOME_ITEMS: dict[str, str] = {
    "TotalRevenue": "total_revenue",
    "CostOfRevenue": "cost_of_revenue",
    "GrossProfit": "gross_profit",
    "OperatingIncome": "operating_income",
    "ResearchAndDevelopment": "research_and_development",
}
# Yahoo reports capital expenditure as a negative cash flow; we keep its sign.
CASH_FLOW_ITEMS: dict[str, str] = {
    "CapitalExpenditure": "capital_expenditure",
    "FreeCashFlow": "free_cash_flow",
}
STATEMENT_ITEMS: dict[Statement, dict[str, str]] = {
    "income": INCOME_ITEMS,
    "cash_flow": CASH_FLOW_ITEMS,
}
GROSS_MARGIN = "gross_margin"  # gross_profit / total_revenue, a ratio: currency None
MARGIN_PLACES = Decimal("0.000001")


# These two are also the rows of tables `quotes` and `fundamentals` (warehouse/tables.py):
# the annotations are the columns' types.
@dataclass(frozen=True, slots=True)
class QuoteRow:
    ticker: Varchar
    as_of: Date  # the exchange's trading date of the price
    price: Decimal38_6
    currency: Varchar
    market_cap: Decimal38_6 | None
    fetched_at: TimestampTz


@dataclass(frozen=True, slots=True)
class FundamentalRow:
    ticker: Varchar
    period_end: Date
    period_type: Annotated[PeriodType, VARCHAR]
    item: Varchar
    value: Decimal38_6 | None  # None: the line item is missing for that period
    currency: Varchar | None  # the statements' currency; None for ratios
    fetched_at: TimestampTz


@dataclass
class RawTicker:
    """What one ticker's fetch returned: yfinance's info dict and statement frames."""

    ticker: str
    info: dict[str, object]
    frames: dict[tuple[PeriodType, Statement], pd.DataFrame] = field(default_factory=dict)
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def to_decimal(value: object) -> Decimal | None:
    """A yfinance number as Decimal; None for missing (None, NaN) values."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float | int):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        # repr gives the shortest string that round-trips, so 143.96 stays 143.96.
        return Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    if hasattr(value, "item"):  # numpy scalar
        return to_decimal(value.item())
    raise BadPayload("yfinance", f"not a number: {value!r}")


def quote_row(ticker: str, info: Mapping[str, object], fetched_at: datetime) -> QuoteRow:
    """The day's quote from yfinance's info dict; raises BadPayload if price or currency lack."""
    price = to_decimal(info.get("regularMarketPrice")) or to_decimal(info.get("currentPrice"))
    currency = info.get("currency")
    if price is None:
        raise BadPayload(f"yfinance:{ticker}", "quote has no price")
    if not isinstance(currency, str) or not currency:
        raise BadPayload(f"yfinance:{ticker}", "quote has no currency")
    return QuoteRow(
        ticker=ticker,
        as_of=trading_date(info, fetched_at),
        price=price,
        currency=currency,
        market_cap=to_decimal(info.get("marketCap")),
        fetched_at=fetched_at,
    )


def trading_date(info: Mapping[str, object], fetched_at: datetime) -> date:
    """Date of the last trade in the exchange's time zone (Seoul trades a day ahead of UTC)."""
    when = info.get("regularMarketTime")
    if not isinstance(when, int | float) or isinstance(when, bool):
        return fetched_at.astimezone(UTC).date()
    zone_name = info.get("exchangeTimezoneName")
    try:
        zone = ZoneInfo(zone_name) if isinstance(zone_name, str) else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return datetime.fromtimestamp(when, tz=zone).date()


def statement_rows(
    ticker: str,
    frame: pd.DataFrame,
    period_type: PeriodType,
    items: Mapping[str, str],
    currency: str,
    fetched_at: datetime,
) -> list[FundamentalRow]:
    """One row per (reported period, item) of a yfinance statement frame.

    Columns are period ends, the index yfinance's item names. A period where none of
    our items has a value is padding Yahoo adds for old years: it yields no rows. In a
    reported period, an item absent or NaN yields a row with value None.
    """
    import pandas as pd

    rows: list[FundamentalRow] = []
    for column in frame.columns:
        period_end = pd.Timestamp(column).date()
        values = {
            item: to_decimal(frame.at[name, column]) if name in frame.index else None
            for name, item in items.items()
        }
        if all(v is None for v in values.values()):
            continue
        rows.extend(
            FundamentalRow(ticker, period_end, period_type, item, value, currency, fetched_at)
            for item, value in values.items()
        )
    return rows


def gross_margin_rows(rows: list[FundamentalRow]) -> list[FundamentalRow]:
    """gross_profit / total_revenue per period (None when either is missing or revenue is 0)."""
    by_period: dict[tuple[date, str], dict[str, FundamentalRow]] = {}
    for row in rows:
        by_period.setdefault((row.period_end, row.period_type), {})[row.item] = row
    out = []
    for items in by_period.values():
        revenue, profit = items.get("total_revenue"), items.get("gross_profit")
        base = revenue if revenue is not None else profit
        if base is None:
            continue  # a cash-flow-only period: no margin row at all
        margin = None
        if revenue and profit and revenue.value and profit.value is not None:
            margin = (profit.value / revenue.value).quantize(MARGIN_PLACES, ROUND_HALF_EVEN)
        out.append(
            FundamentalRow(
                base.ticker,
                base.period_end,
                base.period_type,
                GROSS_MARGIN,
                margin,
                None,
                base.fetched_at,
            )
        )
    return out


def fundamental_rows(raw: RawTicker) -> list[FundamentalRow]:
    """All statement rows of one ticker, in the statements' own currency (financialCurrency)."""
    source = f"yfinance:{raw.ticker}"
    currency = raw.info.get("financialCurrency")
    if not isinstance(currency, str) or not currency:
        raise BadPayload(source, "no financialCurrency: statement currency unknown")
    rows: list[FundamentalRow] = []
    for (period_type, statement), frame in sorted(raw.frames.items()):
        items = STATEMENT_ITEMS[statement]
        rows.extend(statement_rows(raw.ticker, frame, period_type, items, currency, raw.fetched_at))
    if not any(r.item == "total_revenue" and r.value is not None for r in rows):
        raise BadPayload(source, "statements report no revenue in any period")
    return rows + gross_margin_rows(rows)
