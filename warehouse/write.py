"""Write rows of a `Table` (warehouse/tables.py): append, insert-if-new or insert-or-replace.

Rows go to DuckDB in one statement for any number of rows (`executemany` costs
milliseconds a row): up to PARAMETER_ROWS of them as one list parameter per column (a daily
run writes many such small batches: a run's row, a source's outcome, trigger state), more
as one pandas frame, cast to the table's types (registering a frame costs tens of
milliseconds whatever its size, converting a list parameter grows with it). `INSERT OR
REPLACE` and `ON CONFLICT` need a PRIMARY KEY, which DuckLake does not have; MERGE matches
on the table's key columns instead, so one statement serves DuckDB files, MotherDuck and
DuckLake alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import duckdb

from warehouse.table import Table

R = TypeVar("R")
ORDINAL = "_row"  # a staged row's position among the rows given
PARAMETER_ROWS = 200  # at most this many rows travel as list parameters, more as a frame


def as_parameters(table: Table[R], rows: Sequence[R]) -> tuple[str, list[list[Any]]]:
    """A select list of `rows` typed like `table` (one `unnest` of a list parameter per
    column, side by side) and its parameters, plus column `_row` numbering them from 0."""
    columns, params = [], []
    for c in table.columns:
        values = [getattr(r, c.name) for r in rows]
        if c.decimal:  # as text: a list of Decimals is typed by its first
            values = [None if v is None else format(v, "f") for v in values]
            columns.append(f'cast(unnest(?::varchar[]) as {c.sql_type}) as "{c.name}"')
        else:
            if c.sql_type.endswith("[]"):  # a tuple would not bind as a list
                values = [None if v is None else list(v) for v in values]
            columns.append(f'unnest(?::{c.sql_type}[]) as "{c.name}"')
        params.append(values)
    columns.append(f"unnest(?::bigint[]) as {ORDINAL}")
    params.append(list(range(len(rows))))
    return ", ".join(columns), params


@contextmanager
def staged(con: duckdb.DuckDBPyConnection, table: Table[R], rows: Sequence[R]) -> Iterator[str]:
    """A subquery of `rows` typed like `table`, plus column `_row` numbering them from 0,
    for statements run inside the `with` (a registered frame: for statements of other
    modules, which take no parameters)."""
    name = f"_staged_{table.name}"
    frame = table.frame(rows)
    frame[ORDINAL] = range(len(frame))
    con.register(name, frame)
    try:
        yield f"(select {table.cast_columns()}, {ORDINAL} from {name})"
    finally:
        con.unregister(name)


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: Table[R],
    rows: Sequence[R],
    *,
    parameter_rows: int | None = PARAMETER_ROWS,
) -> None:
    """Append `rows` to `table` in one statement (`parameter_rows` None: as list
    parameters however many rows there are)."""
    if not rows:
        return
    columns = ", ".join(f'"{c}"' for c in table.names)
    with _stage(con, table, rows, parameter_rows) as (stage, params):
        con.execute(f"insert into {table.name} ({columns}) select {columns} from {stage}", params)


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
    with _stage(con, table, rows) as (stage, params):
        incoming = (
            f"select * exclude ({ORDINAL}) from {stage}"
            f" qualify row_number() over (partition by {keys} order by {ORDINAL}) = 1"
        )
        match = " and ".join(f"{table.name}.{k} = incoming.{k}" for k in table.key)
        sql = f"merge into {table.name} using ({incoming}) as incoming on ({match})"
        if replace:
            sql += " when matched then update by name"
        con.execute(sql + " when not matched then insert by name", params)


@contextmanager
def _stage(
    con: duckdb.DuckDBPyConnection,
    table: Table[R],
    rows: Sequence[R],
    parameter_rows: int | None = PARAMETER_ROWS,
) -> Iterator[tuple[str, list[list[Any]]]]:
    """A subquery of `rows` as `staged` makes it, and the statement's parameters: list
    parameters for up to `parameter_rows` rows (None: any number), a registered frame (no
    parameters) for more."""
    if parameter_rows is None or len(rows) <= parameter_rows:
        select, params = as_parameters(table, rows)
        yield f"(select {select})", params
        return
    with staged(con, table, rows) as stage:
        yield stage, []
