"""Insert-or-replace and insert-if-new by key, on every engine the warehouse runs on.

`INSERT OR REPLACE` and `ON CONFLICT` need a PRIMARY KEY, which DuckLake does not have.
MERGE matches on the key columns instead, so one statement serves DuckDB files, MotherDuck
and DuckLake alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import duckdb
import pandas as pd


def merge_select(
    con: duckdb.DuckDBPyConnection,
    table: str,
    select_sql: str,
    keys: Sequence[str],
    params: Sequence[Any] | None = None,
    *,
    replace: bool,
    ordinal: str | None = None,
) -> None:
    """Merge the rows of `select_sql` (columns named as in `table`) into `table` by `keys`:
    a row whose key is new is inserted; an existing one is overwritten when `replace`, else
    kept. Of several incoming rows with one key, the one lowest in the `ordinal` column
    counts (the column is not stored); without one, give rows with distinct keys."""
    source = select_sql
    if ordinal is not None:
        source = (
            f"select * exclude ({ordinal}) from ({select_sql}) qualify row_number() over "
            f"(partition by {', '.join(keys)} order by {ordinal}) = 1"
        )
    match = " and ".join(f"{table}.{k} = incoming.{k}" for k in keys)
    sql = f"merge into {table} using ({source}) as incoming on ({match})"
    if replace:
        sql += " when matched then update by name"
    sql += " when not matched then insert by name"
    con.execute(sql, params)


def merge_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Iterable[Sequence[Any]],
    keys: Sequence[str],
    *,
    casts: dict[str, str],
    replace: bool,
    extra: str = "",
) -> None:
    """merge_select over `rows` in one statement, earlier rows first. `casts` names each
    row's columns, in order, with its SQL type; `extra` adds computed columns."""
    name = f"_merge_{table}"
    columns = ", ".join(f"cast({c} as {t}) as {c}" for c, t in casts.items())
    frame = pd.DataFrame(list(rows), columns=list(casts), dtype=object)
    con.register(name, frame.assign(_merge_ord=range(len(frame))))
    try:
        merge_select(
            con,
            table,
            f"select {columns}{extra}, _merge_ord from {name}",
            keys,
            replace=replace,
            ordinal="_merge_ord",
        )
    finally:
        con.unregister(name)
