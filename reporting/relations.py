"""Read-only helpers over the warehouse: does a relation exist, rows as dicts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

Row = dict[str, Any]


def relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """True when a table or view of that name exists in the main schema."""
    found = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = 'main' and table_name = ?",
        [name],
    ).fetchone()
    return bool(found and found[0])


def columns(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """Column names of a table or view, in order (empty when it does not exist)."""
    found = con.execute(
        "select column_name from information_schema.columns"
        " where table_schema = 'main' and table_name = ? order by ordinal_position",
        [name],
    ).fetchall()
    return [str(r[0]) for r in found]


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> list[Row]:
    """Every row of a query as a dict keyed by column name."""
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def missing(con: duckdb.DuckDBPyConnection, *names: str) -> str | None:
    """Why a chart over these relations has nothing to show, or None when all have rows."""
    for name in names:
        if not relation_exists(con, name):
            return f"no data yet: `{name}` does not exist in this warehouse"
    for name in names:
        count = con.execute(f'select count(*) from "{name}"').fetchone()
        if not count or not count[0]:
            return f"no data yet: `{name}` is empty"
    return None
