"""Bookkeeping of runs and of each source's outcome within a run."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import duckdb

from core.errors import ThesisError
from warehouse.tables import RUNS, SOURCE_RUNS, RunRow, SourceRunRow
from warehouse.write import insert_rows, merge_rows


def now() -> datetime:
    return datetime.now(UTC)


def new_run_id(kind: str, at: datetime | None = None) -> str:
    """A run's id, e.g. daily-20260801T060000-1a2b3c4d: its kind, start time and a nonce."""
    return f"{kind}-{(at or now()):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def start_run(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    started_at: datetime | None = None,
    run_id: str | None = None,
) -> str:
    """Open a run; `run_id` when the caller named it already (the Prefect flow run)."""
    started_at = started_at or now()
    run_id = run_id or new_run_id(kind, started_at)
    insert_rows(
        con, RUNS, [RunRow(run_id=run_id, kind=kind, started_at=started_at, status="running")]
    )
    return run_id


def record_source(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    source: str,
    status: str,
    *,
    started_at: datetime,
    error_kind: str | None = None,
    error: str | None = None,
    snapshot_id: str | None = None,
    rows_added: int = 0,
) -> None:
    row = SourceRunRow(
        run_id=run_id,
        source=source,
        status=status,
        error_kind=error_kind,
        error=error,
        snapshot_id=snapshot_id,
        rows_added=rows_added,
        started_at=started_at,
        finished_at=now(),
    )
    merge_rows(con, SOURCE_RUNS, [row], replace=True)


def last_outcomes(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """Each source's most recent outcome: status, error and when it finished."""
    rows = con.execute(
        "select source, status, error, finished_at from source_runs qualify "
        "row_number() over (partition by source order by started_at desc) = 1"
    ).fetchall()
    return {r[0]: {"status": r[1], "error": r[2], "at": r[3]} for r in rows}


def freshness(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """Each source's last success (any outcome but `failed`: an unchanged page is fresh)
    and its last failure with its reason; None where there is none."""
    rows = con.execute(
        "select source, max(finished_at) filter (where status <> 'failed'), "
        "max(finished_at) filter (where status = 'failed'), "
        "arg_max(error, finished_at) filter (where status = 'failed') "
        "from source_runs group by source"
    ).fetchall()
    return {
        r[0]: {
            "last_success": r[1],
            "last_failure": None if r[2] is None else {"at": r[2], "error": r[3]},
        }
        for r in rows
    }


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, status: str, summary: dict[str, Any]
) -> None:
    con.execute(
        "update runs set finished_at = ?, status = ?, summary = ? where run_id = ?",
        [now(), status, json.dumps(summary, default=str), run_id],
    )


def close_running(
    con: duckdb.DuckDBPyConnection, run_id: str, status: str, summary: dict[str, Any]
) -> bool:
    """Close a run that is still `running` (one whose process is gone); whether it was."""
    found = con.execute(
        "update runs set finished_at = ?, status = ?, summary = ? "
        "where run_id = ? and status = 'running' returning run_id",
        [now(), status, json.dumps(summary, default=str), run_id],
    ).fetchall()
    return bool(found)


@contextmanager
def closed_if_stopped(con: duckdb.DuckDBPyConnection, run_id: str) -> Iterator[None]:
    """A run done on one connection (an import, a fundamentals run): an exception out of
    the block closes its row, `interrupted` for Ctrl-C, else `failed` with the reason,
    before it propagates. If even that write fails, the error says so."""
    try:
        yield
    except (Exception, KeyboardInterrupt) as err:
        status, stopped = _stopped_by(err)
        try:
            close_running(con, run_id, status, {"run_id": run_id, "stopped": stopped})
        except duckdb.Error as also:
            err.add_note(f"run {run_id} could not be closed and stays 'running': {also}")
        raise


def _stopped_by(err: BaseException) -> tuple[str, dict[str, str]]:
    """The status and `stopped` entry of a run that `err` ended."""
    if isinstance(err, KeyboardInterrupt):
        return "interrupted", {"kind": "interrupted", "reason": "interrupted (Ctrl-C)"}
    if isinstance(err, ThesisError):
        return "failed", {"kind": err.kind, "reason": str(err)}
    return "failed", {"kind": "internal_error", "reason": f"{type(err).__name__}: {err}"}
