"""Every table, view and column of a migrated warehouse says what it means (issue 13 point 9).

Generic on purpose: a migration that adds a table, a view or a column fails here until
warehouse/comments.py describes it.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.paths import ROOT
from tests.warehouse_templates import warehouse_location
from warehouse.comments import (
    GLOSSARY,
    OVERRIDES,
    SAME_COLUMNS,
    TABLES,
    apply_comments,
    view_columns_take_comments,
    views_of,
)
from warehouse.comments import stored_comments as stored
from warehouse.db import connect, migrate

HOW = "add them to warehouse/comments.py (TABLES, GLOSSARY, or OVERRIDES for the table)"


def _lacking(rows: list[tuple[str, str, str | None, str | None]]) -> list[str]:
    return sorted(
        f"{kind} {table}" if column is None else f"{table}.{column}"
        for kind, table, column, comment in rows
        if not (comment or "").strip()
    )


def test_every_table_view_and_table_column_has_a_comment(
    con: duckdb.DuckDBPyConnection,
) -> None:
    views = views_of(stored(con))
    rows = [r for r in stored(con) if not (r[0] == "column" and r[1] in views)]
    assert len(rows) > 200
    lacking = _lacking(rows)
    assert not lacking, f"no comment on {', '.join(lacking)}: {HOW}"


def test_every_view_column_has_a_comment(con: duckdb.DuckDBPyConnection) -> None:
    if not view_columns_take_comments(con):
        pytest.skip("DuckLake refuses COMMENT ON COLUMN for a view's columns: 'it is not a table'")
    views = views_of(stored(con))
    rows = [r for r in stored(con) if r[0] == "column" and r[1] in views]
    assert len(rows) > 200
    lacking = _lacking(rows)
    assert not lacking, f"no comment on {', '.join(lacking)}: {HOW}"


def test_a_column_comment_says_its_unit(con: duckdb.DuckDBPyConnection) -> None:
    found = con.execute(
        "select comment from duckdb_columns() where table_name = 'price_observations'"
        " and column_name = 'usd_per_mtok'"
    ).fetchone()
    assert found is not None
    assert str(found[0]).startswith("Price in US dollars per million tokens")


def test_reopening_an_unchanged_warehouse_writes_no_comment(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert apply_comments(con) == 0


def test_migrate_without_its_dialect_still_comments_a_ducklake(tmp_path: Path) -> None:
    con = connect(warehouse_location(tmp_path, "thesis", "ducklake"))
    try:
        con.execute("comment on table runs is 'stale'")
        migrate(con)  # the default dialect is "duckdb"
        assert con.execute(
            "select comment from duckdb_tables() where table_name = 'runs'"
        ).fetchall() == [(TABLES["runs"],)]
    finally:
        con.close()


def test_a_redefined_view_and_a_changed_comment_get_theirs_back_on_the_next_open(
    tmp_path: Path,
) -> None:
    location = warehouse_location(tmp_path, "thesis", "file")
    connect(location).close()
    with duckdb.connect(location) as con:
        # What a later migration does: redefine a view (its comments go with it).
        con.execute(
            "create or replace view source_freshness as select source,"
            " max(observed_at) as last_seen_at from snapshots group by source"
        )
        con.execute("comment on table runs is 'stale'")
    con = connect(location)
    try:
        assert apply_comments(con) == 0
        assert con.execute(
            "select comment from duckdb_views() where view_name = 'source_freshness'"
        ).fetchall() == [(TABLES["source_freshness"],)]
        assert con.execute(
            "select comment from duckdb_columns() where table_name = 'source_freshness'"
            " and column_name = 'last_seen_at'"
        ).fetchall() == [(GLOSSARY["last_seen_at"],)]
        assert con.execute(
            "select comment from duckdb_tables() where table_name = 'runs'"
        ).fetchall() == [(TABLES["runs"],)]
    finally:
        con.close()


def test_every_entry_describes_something_the_warehouse_has(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = stored(con)
    objects = {table for _, table, _, _ in rows}
    columns = {(table, column) for kind, table, column, _ in rows if kind == "column"}
    names = {column for _, column in columns}
    assert sorted(set(TABLES) - objects) == [], "remove these from TABLES"
    assert sorted(set(GLOSSARY) - names) == [], "remove these from GLOSSARY"
    stale = [
        f"{table}.{column}"
        for table, described in OVERRIDES.items()
        for column in described
        if (table, column) not in columns
    ]
    assert stale == [], "remove these from OVERRIDES"
    assert sorted(set(SAME_COLUMNS) - objects) == [], "remove these from SAME_COLUMNS"


def test_the_docs_show_the_comment_the_warehouse_gives(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
    block = re.search(r"## Comments\n.*?```sql\n(.*?)```\n\n```text\n(.*?)```", text, re.S)
    assert block is not None, "docs/warehouse.md lost its Comments example"
    with connect(warehouse_location(tmp_path, "thesis", "file")) as con:
        result = con.execute(block.group(1))
        header = "|".join(str(d[0]) for d in result.description)
        listed = [header] + ["|".join(map(str, row)) for row in result.fetchall()]  # -list
    assert block.group(2).splitlines() == listed
