"""Evaluate the fundamentals triggers over the warehouse's `quotes`, `memory_margins` and
`capex_growth` (migration 005). Margins and growth are shown in percent."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import duckdb

from alerts.records import Alert
from alerts.theses.load import Theses, Trigger
from alerts.triggers.market import memory_margin_vs_capex, price_move

PCT = Decimal("0.1")


def evaluate_fundamentals(
    con: duckdb.DuckDBPyConnection, theses: Theses, *, since: date | None = None
) -> list[Alert]:
    alerts: list[Alert] = []
    for trigger in theses.triggers_of_kind("fundamentals"):
        if trigger.params["metric"] == "price_move":
            alerts += _price_moves(con, theses, trigger)
        else:
            # Quarterly against quarterly growth, annual against annual: never mixed.
            for period in ("quarterly", "annual"):
                margins, growth = _margins(con, period), _capex_growth(con, period)
                alerts += memory_margin_vs_capex(trigger, margins, growth)
    return [a for a in alerts if since is None or a.date > since]


def _tickers(theses: Theses, trigger: Trigger) -> list[str]:
    listed = trigger.params["tickers"]
    assert isinstance(listed, list)
    return [str(t) for t in listed] or list(theses.thesis(trigger.thesis_id).tickers)


def _price_moves(con: duckdb.DuckDBPyConnection, theses: Theses, trigger: Trigger) -> list[Alert]:
    alerts: list[Alert] = []
    for ticker in _tickers(theses, trigger):
        rows = con.execute(
            "select as_of, price, currency from quotes where ticker = ? order by as_of", [ticker]
        ).fetchall()
        # Never compare across currencies: one series per currency.
        by_currency: dict[str, list[tuple[date, Decimal | None]]] = defaultdict(list)
        for as_of, price, currency in rows:
            by_currency[currency].append((as_of, price))
        for currency, quotes in sorted(by_currency.items()):
            alerts += price_move(trigger, ticker, quotes, currency)
    return alerts


def _margins(
    con: duckdb.DuckDBPyConnection, period: str
) -> dict[str, list[tuple[date, Decimal | None]]]:
    rows = con.execute(
        "select ticker, period_end, gross_margin from memory_margins"
        " where period_type = ? and gross_margin is not null order by period_end",
        [period],
    ).fetchall()
    out: dict[str, list[tuple[date, Decimal | None]]] = defaultdict(list)
    for ticker, period_end, margin in rows:
        out[ticker].append((period_end, (Decimal(str(margin)) * 100).quantize(PCT)))
    return out


def _capex_growth(con: duckdb.DuckDBPyConnection, period: str) -> list[tuple[date, Decimal | None]]:
    rows = con.execute(
        "select period_end, yoy_growth from capex_growth where scope = 'hyperscalers'"
        " and period_type = ? and yoy_growth is not null order by period_end",
        [period],
    ).fetchall()
    return [(end, (Decimal(str(g)) * 100).quantize(PCT)) for end, g in rows]
