"""Load quotes and statement rows into `quotes` and `fundamentals` (005_fundamentals.sql).

Both are append-only and idempotent: a quote is kept once per ticker and trading day;
a statement item is appended only when first seen or when its value or currency
changes. A missing value never replaces a known one: Yahoo drops line items from one
day to the next, and a gap is not a restatement.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import duckdb

from extractors.fundamentals.rows import FundamentalRow, QuoteRow
from warehouse.upsert import merge_rows

_STAGE = "_stage_fundamentals"
_QUOTE_TYPES = {
    "ticker": "varchar",
    "as_of": "date",
    "price": "decimal(38, 6)",
    "currency": "varchar",
    "market_cap": "decimal(38, 6)",
    "fetched_at": "timestamptz",
}


def insert_quotes(con: duckdb.DuckDBPyConnection, rows: Sequence[QuoteRow]) -> int:
    """Insert quotes not yet stored for their (ticker, trading day); return how many."""
    if not rows:
        return 0
    before = _count(con, "quotes")
    # Decimals travel as text: a frame column of Decimals is typed by sampling, not exactly.
    # The first fetch of a trading day stands: an existing (ticker, as_of) is kept.
    merge_rows(
        con,
        "quotes",
        [
            [r.ticker, r.as_of, _text(r.price), r.currency, _text(r.market_cap), r.fetched_at]
            for r in rows
        ],
        ("ticker", "as_of"),
        casts=_QUOTE_TYPES,
        replace=False,
    )
    return _count(con, "quotes") - before


def insert_fundamentals(con: duckdb.DuckDBPyConnection, rows: Sequence[FundamentalRow]) -> int:
    """Append rows that are new or changed against `fundamentals_latest`; return how many."""
    if not rows:
        return 0
    con.execute(f"create or replace temp table {_STAGE} as select * from fundamentals limit 0")
    try:
        con.executemany(
            f"insert into {_STAGE} (ticker, period_end, period_type, item, value, currency,"
            " fetched_at) values (?, ?, ?, ?, ?, ?, ?)",
            [
                [r.ticker, r.period_end, r.period_type, r.item, r.value, r.currency, r.fetched_at]
                for r in rows
            ],
        )
        before = _count(con, "fundamentals")
        con.execute(
            f"""
            insert into fundamentals
            select distinct s.ticker, s.period_end, s.period_type, s.item, s.value,
                   s.currency, s.fetched_at
            from {_STAGE} s
            left join fundamentals_latest l
              on l.ticker = s.ticker and l.period_end = s.period_end
             and l.period_type = s.period_type and l.item = s.item
            where l.ticker is null
               or (s.value is not null
                   and (l.value is distinct from s.value
                        or l.currency is distinct from s.currency))
            """
        )
        return _count(con, "fundamentals") - before
    finally:
        con.execute(f"drop table if exists {_STAGE}")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"select count(*) from {table}").fetchone()
    return int(row[0]) if row else 0
