"""Load quotes and statement rows into `quotes` and `fundamentals` (005_fundamentals.sql).

Both are append-only and idempotent: a quote is kept once per ticker and trading day;
a statement item is appended only when first seen or when its value or currency
changes. A missing value never replaces a known one: Yahoo drops line items from one
day to the next, and a gap is not a restatement.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from extractors.fundamentals.rows import FundamentalRow, QuoteRow
from warehouse.tables import FUNDAMENTALS, QUOTES
from warehouse.write import ORDINAL, merge_rows, staged


def insert_quotes(con: duckdb.DuckDBPyConnection, rows: Sequence[QuoteRow]) -> int:
    """Insert quotes not yet stored for their (ticker, trading day); return how many."""
    if not rows:
        return 0
    before = _count(con, "quotes")
    # The first fetch of a trading day stands: an existing (ticker, as_of) is kept.
    merge_rows(con, QUOTES, rows, replace=False)
    return _count(con, "quotes") - before


def insert_fundamentals(con: duckdb.DuckDBPyConnection, rows: Sequence[FundamentalRow]) -> int:
    """Append rows that are new or changed against `fundamentals_latest`; return how many."""
    if not rows:
        return 0
    before = _count(con, "fundamentals")
    with staged(con, FUNDAMENTALS, rows) as stage:
        con.execute(
            f"""
            insert into fundamentals by name
            select distinct s.* exclude ({ORDINAL})
            from {stage} s
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


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"select count(*) from {table}").fetchone()
    return int(row[0]) if row else 0
