"""Connections close when their block ends; transactions commit, roll back and nest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from warehouse.db import connection, transaction


class Boom(Exception):
    pass


def _rows(con: duckdb.DuckDBPyConnection) -> list[tuple[int]]:
    return con.execute("select n from t order by n").fetchall()


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with connection(tmp_path / "w.duckdb") as opened:
        opened.execute("create table t (n integer)")
        yield opened


def test_a_connection_is_closed_when_its_block_ends_even_by_an_error(tmp_path: Path) -> None:
    with pytest.raises(Boom), connection(tmp_path / "w.duckdb") as con:
        raise Boom
    with pytest.raises(duckdb.ConnectionException):
        con.execute("select 1")
    # Closed means unlocked: a second process-wide writer can open the file at once.
    with connection(tmp_path / "w.duckdb", wait_s=0) as again:
        assert again.execute("select count(*) from schema_migrations").fetchone() != (0,)


def test_a_transaction_commits_on_success_and_rolls_back_on_error(
    con: duckdb.DuckDBPyConnection,
) -> None:
    with transaction(con):
        con.execute("insert into t values (1)")
    with pytest.raises(Boom), transaction(con):
        con.execute("insert into t values (2)")
        raise Boom
    assert _rows(con) == [(1,)]
    with transaction(con):  # the connection is usable again after a rollback
        con.execute("insert into t values (3)")
    assert _rows(con) == [(1,), (3,)]


def test_an_inner_transaction_joins_the_callers(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(Boom), transaction(con):
        with transaction(con):
            con.execute("insert into t values (1)")
        con.execute("insert into t values (2)")
        raise Boom  # after the inner block "committed": the outer rollback undoes both
    assert _rows(con) == []
    with transaction(con):
        with transaction(con):
            con.execute("insert into t values (3)")
        con.execute("insert into t values (4)")
    assert _rows(con) == [(3,), (4,)]
