"""Read-only SQL helpers for reporting.read (the only module that queries): does a
relation exist, rows as dicts.

The report passes no query parameters: DuckDB's Python client imports pandas (about a
second) on the first parameterised query. Values go into SQL through `literal`, which
quotes them as DuckDB string literals.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb

Row = dict[str, Any]


def literal(text: str) -> str:
    """A DuckDB string literal ('' doubles a quote; no other character is special)."""
    return "'" + text.replace("'", "''") + "'"


def literals(texts: Iterable[str]) -> str:
    """A SQL list of string literals, e.g. for `in (...)` (never empty)."""
    return ", ".join(literal(t) for t in texts) or "null"


def columns(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """Column names of a table or view in the main schema, in order (empty when absent)."""
    found = con.execute(
        "select column_name from information_schema.columns where table_schema = 'main'"
        f" and table_name = {literal(name)} order by ordinal_position"
    ).fetchall()
    return [str(r[0]) for r in found]


def relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(columns(con, name))


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[Row]:
    """Every row of a query as a dict keyed by column name."""
    cur = con.execute(sql)
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def missing(con: duckdb.DuckDBPyConnection, *names: str) -> str | None:
    """Why a chart over these relations has nothing to show, or None when all have rows."""
    for name in names:
        if not relation_exists(con, name):
            return f"no data yet: `{name}` does not exist in this warehouse"
    for name in names:  # one row is enough: counting a view would compute all of it
        if con.execute(f'select 1 from "{name}" limit 1').fetchone() is None:
            return f"no data yet: `{name}` is empty"
    return None
