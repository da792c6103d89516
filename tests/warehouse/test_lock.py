"""An analyst holding the warehouse open: the run waits, then fails naming the holder."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.errors import WarehouseLocked, WarehouseMissing
from warehouse.db import connect, lock_holder

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], config={"storage_compatibility_version": "v1.5.0"})
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def test_locked_warehouse_fails_naming_the_holder_after_waiting(db_path: Path) -> None:
    connect(db_path).close()
    holder = _hold(db_path, 30)
    try:
        waits: list[float] = []
        with pytest.raises(WarehouseLocked) as err:
            connect(db_path, wait_s=3, poll_s=0.1, sleep=lambda s: (waits.append(s), time.sleep(s)))
        assert f"PID {holder.pid}" in str(err.value)
        assert "the next run catches up" in str(err.value)
        assert len(waits) >= 2
    finally:
        holder.kill()
        holder.wait()


def test_connect_succeeds_once_the_holder_lets_go(db_path: Path) -> None:
    connect(db_path).close()
    holder = _hold(db_path, 1.0)
    try:
        con = connect(db_path, wait_s=20, poll_s=0.2)
        assert con.execute("select count(*) from schema_migrations").fetchone()[0] >= 1
        con.close()
    finally:
        holder.wait()


def test_read_only_open_of_a_missing_file_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(WarehouseMissing, match="thesis run"):
        connect(tmp_path / "nothing.duckdb", read_only=True)


def test_lock_holder_is_read_from_duckdbs_message() -> None:
    msg = (
        'IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in '
        "/usr/bin/duckdb (PID 4242). See also https://duckdb.org/docs"
    )
    assert lock_holder(msg) == "PID 4242 (duckdb)"
    assert lock_holder("IO Error: disk full") is None
