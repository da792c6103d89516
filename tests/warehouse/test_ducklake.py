"""The warehouse in a DuckLake: a DuckDB catalog file on this machine, data as Parquet.

The loaders, views and upserts run on it in every `con` test (tests/warehouse/conftest.py
gives each engine); these tests cover what is DuckLake's own: where the data goes, the
read-only attach, the lock on the catalog, and a missing extension.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer

from core.errors import WarehouseLocked, WarehouseMissing, WarehouseUnavailable
from tests.paths import ROOT
from warehouse.db import connect, migrations

HOLD = """
import sys, time
sys.path.insert(0, sys.argv[3])
from warehouse.db import connect
con = connect(sys.argv[1], wait_s=0)
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _lake(tmp_path: Path) -> str:
    return f"ducklake:{tmp_path / 'lake' / 'thesis.ducklake'}"


def _add_runs(con: duckdb.DuckDBPyConnection, n: int) -> None:
    # Enough rows to be written as Parquet (DuckLake keeps a few rows inline in its catalog).
    con.execute(
        "insert into runs (run_id, kind, started_at, status)"
        " select 'r' || i, 'daily', now(), 'ok' from range(?) t(i)",
        [n],
    )


def _hold(location: str, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, location, str(seconds), str(ROOT)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def test_a_new_lake_is_migrated_once_and_keeps_its_data_as_parquet_beside_the_catalog(
    tmp_path: Path,
) -> None:
    location = _lake(tmp_path)
    con = connect(location, wait_s=0)
    _add_runs(con, 1000)
    con.close()
    con = connect(location, wait_s=0)
    assert con.execute("select count(*) from runs").fetchall() == [(1000,)]
    applied = con.execute("select version from schema_migrations order by 1").fetchall()
    assert [v for (v,) in applied] == [v for v, _, _ in migrations()]
    con.close()
    catalog = tmp_path / "lake" / "thesis.ducklake"
    assert catalog.is_file()
    # The catalog is a DuckDB database of DuckLake's own tables, not of ours.
    meta = duckdb.connect(str(catalog), read_only=True)
    tables = {t for (t,) in meta.execute("select table_name from duckdb_tables()").fetchall()}
    meta.close()
    assert "ducklake_snapshot" in tables and "runs" not in tables
    assert list((tmp_path / "lake" / "thesis.ducklake.files").rglob("*.parquet"))


def test_thesis_ducklake_data_path_puts_the_parquet_files_where_it_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "bucket"
    monkeypatch.setenv("THESIS_DUCKLAKE_DATA_PATH", f"{data}/")
    con = connect(_lake(tmp_path), wait_s=0)
    _add_runs(con, 1000)
    con.close()
    assert list(data.rglob("*.parquet"))
    assert not (tmp_path / "lake" / "thesis.ducklake.files").exists()


def test_a_read_only_lake_answers_queries_and_refuses_writes(tmp_path: Path) -> None:
    location = _lake(tmp_path)
    connect(location, wait_s=0).close()
    con = connect(location, read_only=True, wait_s=0)
    try:
        assert con.execute("select count(*) from latest_prices").fetchall() == [(0,)]
        with pytest.raises(duckdb.Error, match=r"read-only|read only"):
            con.execute(
                "insert into runs (run_id, kind, started_at, status)"
                " values ('r', 'daily', now(), 'ok')"
            )
    finally:
        con.close()


def test_a_read_only_open_of_a_lake_that_does_not_exist_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(WarehouseMissing, match="thesis run"):
        connect(_lake(tmp_path), read_only=True)
    assert not (tmp_path / "lake").exists()


def test_a_lake_held_by_another_process_fails_naming_the_holder_after_waiting(
    tmp_path: Path,
) -> None:
    location = _lake(tmp_path)
    connect(location, wait_s=0).close()
    holder = _hold(location, 30)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseLocked, match=f"PID {holder.pid}"):
            connect(location, wait_s=0.3, poll_s=0.1)
        assert time.monotonic() - started >= 0.3
    finally:
        holder.kill()
        holder.wait()


def test_without_the_packaged_extension_duckdb_installs_it_from_the_configured_mirror(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer
) -> None:
    # As on a machine without the `ducklake` extra: the mirror (here, an empty one on this
    # machine) is asked for the extension, and its absence is one clear error.
    monkeypatch.setitem(sys.modules, "duckdb_extension_ducklake", None)
    httpserver.expect_request(re.compile("/ext/.*")).respond_with_data("", status=404)
    monkeypatch.setenv("THESIS_DUCKDB_EXTENSION_REPOSITORY", httpserver.url_for("/ext"))
    monkeypatch.setenv("THESIS_DUCKDB_EXTENSION_DIR", str(tmp_path / "extensions"))
    with pytest.raises(WarehouseUnavailable) as err:
        connect(_lake(tmp_path), wait_s=0)
    message = str(err.value)
    assert message.startswith(f"cannot open warehouse {_lake(tmp_path)}: ")
    assert "ducklake" in message and "uv sync --extra ducklake" in message
    assert "\n" not in message
    asked = [request.path for request, _ in httpserver.log]
    assert len(asked) == 1 and asked[0].startswith("/ext/") and "ducklake" in asked[0]
