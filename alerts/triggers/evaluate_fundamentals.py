"""Evaluate the fundamentals triggers over the warehouse's `quotes`, `memory_margins` and
`capex_growth` (migration 005). Margins and growth are shown in percent."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import duckdb

from alerts.records import Alert
from alerts.theses.load import Theses
from alerts.triggers.base import OnFundamentals
from alerts.triggers.inputs import FundamentalsData, Series
from alerts.triggers.market import PERIODS

PCT = Decimal("0.1")


def evaluate_fundamentals(
    con: duckdb.DuckDBPyConnection, theses: Theses, *, since: date | None = None
) -> list[Alert]:
    triggers = [t for t in theses.triggers if isinstance(t, OnFundamentals)]
    if not triggers:
        return []
    data = load_fundamentals(con)
    alerts: list[Alert] = []
    for trigger in triggers:
        tickers = theses.thesis(trigger.thesis_id).tickers
        alerts += trigger.on_fundamentals(data, tickers)
    return [a for a in alerts if since is None or a.date > since]


def load_fundamentals(con: duckdb.DuckDBPyConnection) -> FundamentalsData:
    return FundamentalsData(
        quotes=_quotes(con),
        margins={p: _margins(con, p) for p in PERIODS},
        capex_growth={p: _capex_growth(con, p) for p in PERIODS},
    )


def _quotes(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Series]]:
    rows = con.execute(
        "select ticker, as_of, price, currency from quotes order by ticker, as_of"
    ).fetchall()
    out: dict[str, dict[str, list[tuple[date, Decimal | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for ticker, as_of, price, currency in rows:
        out[ticker][currency].append((as_of, price))
    return {t: dict(by_currency) for t, by_currency in out.items()}


def _margins(con: duckdb.DuckDBPyConnection, period: str) -> dict[str, Series]:
    rows = con.execute(
        "select ticker, period_end, gross_margin from memory_margins"
        " where period_type = ? and gross_margin is not null order by period_end",
        [period],
    ).fetchall()
    out: dict[str, list[tuple[date, Decimal | None]]] = defaultdict(list)
    for ticker, period_end, margin in rows:
        out[ticker].append((period_end, (Decimal(str(margin)) * 100).quantize(PCT)))
    return dict(out)


def _capex_growth(con: duckdb.DuckDBPyConnection, period: str) -> Series:
    rows = con.execute(
        "select period_end, yoy_growth from capex_growth where scope = 'hyperscalers'"
        " and period_type = ? and yoy_growth is not null order by period_end",
        [period],
    ).fetchall()
    return [(end, (Decimal(str(g)) * 100).quantize(PCT)) for end, g in rows]
