"""Closing the `running` rows of runs whose process is gone, judged by their leases: real
processes (killed with SIGKILL, or alive) holding leases, and a real DuckDB file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.paths import ROOT
from warehouse import run_leases, runs
from warehouse.db import connection

HOLD = (
    "import sys,time; from pathlib import Path; from warehouse import run_leases; "
    "run_leases.take(Path(sys.argv[1]), sys.argv[2]); print('ok', flush=True); time.sleep(300)"
)


def lease_holder(spool: Path, run_id: str) -> subprocess.Popen[bytes]:
    """Another process that claimed `run_id` and lives until killed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(spool), run_id], cwd=ROOT, stdout=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ok"
    return proc


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with connection(tmp_path / "thesis.duckdb") as c:
        yield c


def status(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[str, dict[str, Any]]:
    row = con.execute("select status, summary from runs where run_id = ?", [run_id]).fetchone()
    assert row is not None
    return row[0], json.loads(row[1]) if row[1] else {}


def test_a_run_killed_with_sigkill_is_closed_as_interrupted_naming_its_process(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    spool = tmp_path / "spool"
    killed = runs.start_run(con, "daily")
    proc = lease_holder(spool, killed)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    assert run_leases.close_dead_runs(con, spool, by_run="daily-next") == [killed]

    found, summary = status(con, killed)
    assert found == "interrupted"
    reason = summary["stopped"]["reason"]
    assert f"PID {proc.pid} on " in reason and "closed by run daily-next" in reason
    assert list((spool / run_leases.FOLDER).iterdir()) == []


def test_a_live_run_keeps_its_running_row(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    alive = runs.start_run(con, "daily")
    proc = lease_holder(spool, alive)
    try:
        assert run_leases.close_dead_runs(con, spool, by_run="daily-next") == []
        assert status(con, alive)[0] == "running"
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert run_leases.close_dead_runs(con, spool, by_run="daily-later") == [alive]


def test_a_settled_lease_records_the_status_its_run_ended_with(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    spool = tmp_path / "spool"
    run_id = runs.start_run(con, "daily")
    lease = run_leases.take(spool, run_id)
    stopped = {"kind": "warehouse_locked", "reason": "warehouse x is locked by PID 1"}
    lease.settle("failed", {"run_id": run_id, "status": "failed", "stopped": stopped})
    lease.release(closed=False)

    assert run_leases.close_dead_runs(con, spool, by_run="daily-next") == [run_id]
    found, summary = status(con, run_id)
    assert (found, summary["stopped"], summary["closed_by"]) == ("failed", stopped, "daily-next")


def test_rows_without_a_lease_here_and_closed_runs_are_left_alone(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    spool = tmp_path / "spool"
    elsewhere = runs.start_run(con, "daily")  # another machine's run: no lease here
    done = runs.start_run(con, "daily")
    lease = run_leases.take(spool, done)
    runs.finish_run(con, done, "ok", {"run_id": done})
    lease.release(closed=False)  # closed in the warehouse, the file left behind

    assert run_leases.close_dead_runs(con, spool, by_run="daily-next") == []
    assert [status(con, r)[0] for r in (elsewhere, done)] == ["running", "ok"]
    assert list((spool / run_leases.FOLDER).iterdir()) == []


def test_a_lease_released_after_its_row_is_closed_leaves_no_file(tmp_path: Path) -> None:
    lease = run_leases.take(tmp_path, "daily-1")
    assert json.loads(lease.path.read_text())["pid"] == os.getpid()
    lease.release(closed=True)
    assert list((tmp_path / run_leases.FOLDER).iterdir()) == []


@pytest.mark.parametrize(
    ("raised", "expected", "kind"),
    [
        (KeyboardInterrupt(), "interrupted", "interrupted"),
        (ValueError("bad"), "failed", "internal_error"),
    ],
)
def test_a_run_on_one_connection_is_closed_by_what_stopped_it(
    con: duckdb.DuckDBPyConnection, raised: BaseException, expected: str, kind: str
) -> None:
    run_id = runs.start_run(con, "import")
    with pytest.raises(type(raised)), runs.closed_if_stopped(con, run_id):
        raise raised
    found, summary = status(con, run_id)
    assert (found, summary["stopped"]["kind"]) == (expected, kind)
