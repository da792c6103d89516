"""The schema's DDL on DuckLake: keys become NOT NULL, sequences go, nothing else changes."""

from __future__ import annotations

import re

import duckdb
import pytest

from warehouse.db import migrations
from warehouse.dialect import DialectError, for_dialect, strip_comments


def test_duckdb_gets_the_migrations_exactly_as_written() -> None:
    for _, _, sql in migrations():
        assert for_dialect(sql, "duckdb") == sql


def test_every_migration_loses_its_keys_and_sequences_for_ducklake_and_nothing_else() -> None:
    for _, name, sql in migrations():
        lake = for_dialect(sql, "ducklake")
        assert not re.search(r"primary key|unique|nextval|create sequence", lake, re.I), name
        # The same tables, views and macros are created.
        created = r"create\s+(?:or\s+replace\s+)?(table|view|macro)\s+(\w+)"
        assert re.findall(created, lake, re.I) == re.findall(created, strip_comments(sql), re.I), (
            name
        )


def test_keys_become_not_null_columns_and_table_constraints_go() -> None:
    sql = (
        "create sequence s start 1;\n"
        "create table t (\n"
        "    id bigint primary key default nextval('s'),\n"
        "    k varchar not null,   -- the key, with a comment\n"
        "    c varchar,\n"
        "    unique (k, c)\n"
        ");\n"
        "create table u (a int, b int, primary key (a, b));"
    )
    con = duckdb.connect()
    con.execute(for_dialect(sql, "ducklake"))
    columns = con.execute(
        "select table_name, column_name, is_nullable from information_schema.columns"
        " order by table_name, ordinal_position"
    ).fetchall()
    assert columns == [
        ("t", "id", "NO"),
        ("t", "k", "NO"),
        ("t", "c", "YES"),
        ("u", "a", "YES"),
        ("u", "b", "YES"),
    ]
    assert con.execute(
        "select count(*) from duckdb_constraints() where constraint_type"
        " in ('PRIMARY KEY', 'UNIQUE')"
    ).fetchall() == [(0,)]


def test_a_construct_no_rewrite_covers_is_refused_rather_than_passed_through() -> None:
    with pytest.raises(DialectError, match="unique"):
        for_dialect("create unique index i on t (k);", "ducklake")


def test_comment_stripping_keeps_a_double_dash_inside_a_string() -> None:
    sql = "select '--not a comment' as x -- a comment\nfrom t"
    assert strip_comments(sql) == "select '--not a comment' as x \nfrom t"
