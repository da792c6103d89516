"""The fundamentals fixtures (tests/fixtures/fundamentals/*.json) as statement rows."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from extractors.fundamentals.rows import CASH_FLOW_ITEMS, INCOME_ITEMS, FundamentalRow
from tests.paths import FIXTURES

ITEMS = INCOME_ITEMS | CASH_FLOW_ITEMS


def statement_rows(ticker: str, fetched_at: datetime) -> list[FundamentalRow]:
    """The fixture's figures as statement rows (only items it states)."""
    fx: dict[str, Any] = json.loads(
        (FIXTURES / "fundamentals" / f"{ticker}.json").read_text("utf-8")
    )
    return [
        FundamentalRow(
            ticker,
            date.fromisoformat(day),
            kind,
            ITEMS[name],
            Decimal(value) * fx["scale"],
            fx["info"]["financialCurrency"],
            fetched_at,
        )
        for kind in ("annual", "quarterly")
        for day, values in fx[kind].items()
        for name, value in values.items()
    ]
