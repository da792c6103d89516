"""The row dataclasses of warehouse/tables.py and the migrated tables cannot drift apart.

`con` is a freshly migrated warehouse on each engine (a DuckDB file and a DuckLake), so a
migration that adds, drops, retypes or reorders a column fails here until its dataclass
says the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pytest

from core.sqltypes import Decimal20_9, Varchar
from warehouse.table import Column, Table
from warehouse.tables import MIGRATION_DATA, TABLES


def _migrated(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, bool]]:
    return [
        (name, data_type, nullable == "YES")
        for name, data_type, nullable in con.execute(
            "select column_name, data_type, is_nullable from information_schema.columns"
            " where table_catalog = current_database() and table_schema = current_schema()"
            " and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
    ]


def _declared(con: duckdb.DuckDBPyConnection, table: Table[object]) -> list[tuple[str, str, bool]]:
    # DuckDB spells a type its own way (timestamptz: TIMESTAMP WITH TIME ZONE); ask it.
    def spelled(sql_type: str) -> str:
        row = con.execute(f"select typeof(cast(null as {sql_type}))").fetchone()
        assert row is not None
        return str(row[0])

    return [(c.name, spelled(c.sql_type), c.nullable) for c in table.columns]


def test_every_row_dataclass_has_its_tables_columns_in_order_with_types_and_nullability(
    con: duckdb.DuckDBPyConnection,
) -> None:
    for table in TABLES:
        assert _declared(con, table) == _migrated(con, table.name), table.name


def test_every_table_the_migrations_create_has_a_row_dataclass(
    con: duckdb.DuckDBPyConnection,
) -> None:
    created = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
            " and table_catalog = current_database() and table_schema = current_schema()"
        ).fetchall()
    }
    assert created - set(MIGRATION_DATA) == {t.name for t in TABLES}


def test_a_nullable_decimal_field_is_a_nullable_column_that_travels_as_text() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Priced:
        model: Varchar
        usd_per_mtok: Decimal20_9 | None

    table = Table("priced", Priced, key=("model",))
    assert table.columns == (
        Column("model", "varchar", nullable=False, decimal=False),
        Column("usd_per_mtok", "decimal(20, 9)", nullable=True, decimal=True),
    )
    frame = table.frame(
        [Priced(model="m", usd_per_mtok=Decimal("1.5E-7")), Priced(model="n", usd_per_mtok=None)]
    )
    assert frame.to_dict("list") == {"model": ["m", "n"], "usd_per_mtok": ["0.00000015", None]}


def test_a_field_without_a_column_type_is_refused_saying_how_to_annotate_it() -> None:
    @dataclass(frozen=True)
    class Untyped:
        model: str

    with pytest.raises(TypeError, match=r"Untyped\.model has no column type.*Varchar"):
        Table("untyped", Untyped)


def test_a_key_naming_no_column_is_refused() -> None:
    @dataclass(frozen=True)
    class Keyed:
        model: Varchar

    with pytest.raises(TypeError, match="key of keyed names no column"):
        Table("keyed", Keyed, key=("provider",))
