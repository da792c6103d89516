"""A daily run stopped by its warehouse still ends with a truthful `runs` row: closed at
once when the warehouse is reachable again by the run's end, else by the next run from
the status the run left in its lease. Real DuckDB files, a real process holding the lock."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from core.errors import WarehouseLocked
from pipeline import daily
from pipeline.daily_summary import RunSummary
from warehouse.db import connection
from warehouse.run_leases import Lease
from warehouse.target import Target, parse_target

HOLD = "import sys,time,duckdb; c=duckdb.connect(sys.argv[1]); print('ok',flush=True); "


@pytest.fixture
def target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Target:
    monkeypatch.setenv("THESIS_LOCK_WAIT_S", "0")
    return parse_target(tmp_path / "thesis.duckdb")


@pytest.fixture
def analyst(target: Target) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Starts holding the warehouse when called (an analyst's duckdb session)."""
    procs: list[subprocess.Popen[bytes]] = []

    def hold() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLD + "time.sleep(300)", target.location],
            stdout=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ok"
        procs.append(proc)
        return proc

    yield hold
    for proc in procs:
        proc.kill()
        proc.wait(timeout=30)


def run_row(target: Target, run_id: str) -> tuple[str, dict[str, Any]]:
    with connection(target.location, read_only=True) as con:
        row = con.execute("select status, summary from runs where run_id = ?", [run_id]).fetchone()
    assert row is not None
    return row[0], json.loads(row[1])


def started(target: Target) -> tuple[RunSummary, Lease | None]:
    """A run with its lease and its `running` row, as the flow opens it."""
    summary = RunSummary(daily.new_run_id(), str(target))
    lease = daily.claim_run(target, summary)
    assert daily.open_run(target, summary.run_id) == []
    summary.recorded = True
    return summary, lease


def locked_midway(summary: RunSummary, target: Target) -> None:
    err = WarehouseLocked(f"warehouse {target} is locked by PID 1")
    summary.stop(err.kind, str(err), ["litellm"])


def test_a_run_stopped_by_a_lock_that_has_gone_by_its_end_closes_its_row_failed(
    target: Target,
) -> None:
    summary, lease = started(target)
    locked_midway(summary, target)
    daily.finish_run(target.location, summary, lease)

    status, doc = run_row(target, summary.run_id)
    assert status == "failed"
    assert summary.stopped is not None
    assert doc["stopped"] == {"kind": "warehouse_locked", "reason": summary.stopped.reason}
    assert list((target.spool_dir() / ".runs").iterdir()) == []


def test_a_run_whose_warehouse_stays_locked_is_closed_by_the_next_run(
    target: Target, analyst: Callable[[], subprocess.Popen[bytes]]
) -> None:
    summary, lease = started(target)
    holder = analyst()
    locked_midway(summary, target)
    doc = daily.finish_run(target.location, summary, lease)
    assert doc["problems"][-1].startswith("run not closed in the warehouse (the next run will)")
    holder.kill()
    holder.wait(timeout=30)
    with connection(target.location, read_only=True) as con:
        assert con.execute("select status from runs").fetchall() == [("running",)]

    later = daily.new_run_id()
    assert daily.open_run(target, later) == [summary.run_id]
    status, doc = run_row(target, summary.run_id)
    assert (status, doc["closed_by"]) == ("failed", later)
    assert doc["stopped"]["kind"] == "warehouse_locked"


def test_an_interrupted_run_ends_interrupted(target: Target) -> None:
    summary, lease = started(target)
    summary.stop("interrupted", "interrupted (Ctrl-C)", ["litellm"])
    daily.finish_run(target.location, summary, lease)
    assert run_row(target, summary.run_id)[0] == "interrupted"
