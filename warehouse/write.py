"""Write rows of a `Table` (warehouse/tables.py): append, insert-if-new or insert-or-replace.

Rows go to DuckDB as one pandas frame per statement, cast to the table's types: one
statement for any number of rows (`executemany` costs milliseconds a row). `INSERT OR
REPLACE` and `ON CONFLICT` need a PRIMARY KEY, which DuckLake does not have; MERGE matches
on the table's key columns instead, so one statement serves DuckDB files, MotherDuck and
DuckLake alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

import duckdb

from warehouse.table import Table

R = TypeVar("R")
ORDINAL = "_row"  # a staged row's position among the rows given


@contextmanager
def staged(con: duckdb.DuckDBPyConnection, table: Table[R], rows: Sequence[R]) -> Iterator[str]:
    """A subquery of `rows` typed like `table`, plus column `_row` numbering them from 0,
    for statements run inside the `with`."""
    name = f"_staged_{table.name}"
    frame = table.frame(rows)
    frame[ORDINAL] = range(len(frame))
    con.register(name, frame)
    try:
        yield f"(select {table.cast_columns()}, {ORDINAL} from {name})"
    finally:
        con.unregister(name)


def insert_rows(con: duckdb.DuckDBPyConnection, table: Table[R], rows: Sequence[R]) -> None:
    """Append `rows` to `table` in one statement."""
    if not rows:
        return
    columns = ", ".join(f'"{c}"' for c in table.names)
    with staged(con, table, rows) as stage:
        con.execute(f"insert into {table.name} ({columns}) select {columns} from {stage}")


def merge_rows(
    con: duckdb.DuckDBPyConnection, table: Table[R], rows: Sequence[R], *, replace: bool
) -> None:
    """Merge `rows` into `table` by its key in one statement: a row whose key is new is
    inserted; an existing one is overwritten when `replace`, else kept. Of several rows
    with one key, the first counts."""
    if not table.key:
        raise ValueError(f"{table.name} has no key to merge on: insert_rows appends")
    if not rows:
        return
    keys = ", ".join(table.key)
    with staged(con, table, rows) as stage:
        incoming = (
            f"select * exclude ({ORDINAL}) from {stage}"
            f" qualify row_number() over (partition by {keys} order by {ORDINAL}) = 1"
        )
        match = " and ".join(f"{table.name}.{k} = incoming.{k}" for k in table.key)
        sql = f"merge into {table.name} using ({incoming}) as incoming on ({match})"
        if replace:
            sql += " when matched then update by name"
        con.execute(sql + " when not matched then insert by name")
