"""The daily run's steps, which flows/daily.py composes into the Prefect flow.

Each price source is fetched into the spool (the warehouse stays closed), each spooled
payload parsed once, then loaded with its outcome recorded for the run; the checklist
and channel settings are checked before any of it; the run is opened and closed in
`runs`. A failing source is an outcome, never an exception: the others still load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from alerts.delivery.channels import channels_from_env
from alerts.theses.load import Theses, load_theses
from core.errors import ConfigError, SourceError, StorageFull, ThesisError, WarehouseError
from core.settings import FetchSettings, source_url
from extractors.registry import SOURCES, get_source
from pipeline.daily_summary import RunSummary, SourceOutcome
from warehouse import ingest, run_leases, runs, spool
from warehouse.archive import compress
from warehouse.db import connection
from warehouse.storage import storage_full
from warehouse.target import Target

DUCKDB_BLOCK_BYTES = 256 * 1024  # the unit a DuckDB file grows by


@dataclass(frozen=True)
class Fetched:
    """What one fetch yields: a spooled payload, Not Modified (and when), or the failure."""

    item: spool.Spooled | None = None
    error: SourceError | None = None
    not_modified_at: datetime | None = None


def fetch_source(
    source_id: str, spool_root: Path, etag: str | None, last_modified: str | None
) -> Fetched:
    """Fetch one source into the spool.

    The HTTP edge retries 429/5xx with backoff and honours Retry-After, within a hard time
    budget; a source that still fails is an expected outcome, returned rather than raised
    so the run log shows one line for it, not a traceback.
    """
    source = get_source(source_id)
    cfg = FetchSettings.load()
    try:
        got = source.fetch(
            etag=etag,
            last_modified=last_modified,
            url=source_url(source.id, source.url),
            attempts=cfg.fetch_attempts,
            backoff_s=cfg.fetch_backoff_s,
            timeout_s=(cfg.fetch_connect_timeout_s, cfg.fetch_read_timeout_s),
            deadline_s=cfg.fetch_deadline_s,
        )
    except SourceError as err:
        return Fetched(error=err)
    if got.payload is None:  # 304 Not Modified
        return Fetched(not_modified_at=datetime.now(UTC))
    try:
        item = spool.put(
            spool_root, source_id, got.payload, got.fetched_at, got.url, got.etag, got.last_modified
        )
    except StorageFull as err:
        return Fetched(error=err)
    return Fetched(item=item)


def parse_spooled(source_id: str, item: spool.Spooled) -> SourceError | None:
    """Parse the whole payload once (pure); the typed error if it is bad."""
    try:
        get_source(source_id).parse(item.payload(), item.fetched_at)
    except SourceError as err:
        return err
    return None


def load_source(
    db: Path | str | None,
    run_id: str,
    source_id: str,
    items: list[spool.Spooled],
    parse_errors: dict[str, SourceError],
    fetched: Fetched,
) -> SourceOutcome:
    """Load this source's spooled payloads, oldest first, and record the outcome.

    Payloads left in the spool by an earlier run that could not open the warehouse are
    loaded too, so a failed fetch today still lets yesterday's payload in. Each payload
    leaves the spool once it is loaded (or recorded as failed).
    """
    source = get_source(source_id)
    started = runs.now()
    outcome = SourceOutcome(source.id, "not_modified" if fetched.not_modified_at else "unchanged")
    with connection(db) as con:
        if fetched.not_modified_at is not None:
            ingest.reobserve(con, source, fetched.not_modified_at, run_id)
        for item in items:
            err = parse_errors.get(str(item.path))
            if err is not None:
                result = ingest.record_failed_payload(con, source, item, run_id, err)
            else:
                result = ingest.load_spooled(con, source, item, run_id)
            item.remove()
            outcome = outcome.merge(result)
        if fetched.error is not None:
            outcome.status, outcome.error_kind = "failed", fetched.error.kind
            outcome.error = fetched.error.reason
        _record(con, run_id, outcome, started)
    return outcome


def _record(
    con: duckdb.DuckDBPyConnection, run_id: str, outcome: SourceOutcome, started: datetime
) -> None:
    runs.record_source(
        con,
        run_id,
        outcome.source,
        outcome.status,
        started_at=started,
        error_kind=outcome.error_kind,
        error=outcome.error,
        snapshot_id=outcome.snapshot_id,
        rows_added=outcome.rows_added,
    )


def load_checklist(theses_path: str | None) -> tuple[Theses | None, str | None]:
    """The theses file and the channel settings, validated before an hour of work; a bad
    one is the run's problem line (the prices still load, alerts are not evaluated)."""
    try:
        theses = load_theses(Path(theses_path) if theses_path else None)
        channels_from_env()
    except ConfigError as err:
        return None, f"alerts not evaluated: {err}"
    return theses, None


def conditional_headers(target: Target) -> dict[str, tuple[str | None, str | None]]:
    """ETags of the last fetches; a locked, unreachable or new warehouse just means
    unconditional GETs (the load step reports a warehouse it cannot open)."""
    if target.exists() is False:
        return {}
    try:
        with connection(target.location, read_only=True, wait_s=0) as con:
            return ingest.conditional_headers(con)
    except WarehouseError:
        return {}
    except duckdb.CatalogException:  # created but never migrated: nothing fetched yet
        return {}


def new_run_id() -> str:
    """The daily run's id, chosen before the warehouse is opened (it names the flow run)."""
    return runs.new_run_id("daily")


def start_run(db: Path | str | None, run_id: str | None = None) -> str:
    with connection(db) as con:
        return runs.start_run(con, "daily", run_id=run_id)


def claim_run(target: Target, summary: RunSummary) -> run_leases.Lease | None:
    """The run's lease (run_leases), taken before its row exists. Without one (the spool's
    disk refuses even that) the run goes on, and says that a kill would leave its row
    `running`."""
    try:
        return run_leases.take(target.spool_dir(), summary.run_id)
    except OSError as err:
        summary.problems.append(
            f"no run lease ({err.strerror}): if this run is killed, its row stays 'running'"
        )
        return None


def open_run(target: Target, run_id: str) -> list[str]:
    """Write the run's `running` row, and close the rows of earlier runs whose process is
    gone (run_leases); the ids of those, for the run log."""
    with connection(target.location) as con:
        runs.start_run(con, "daily", run_id=run_id)
        return run_leases.close_dead_runs(con, target.spool_dir(), by_run=run_id)


def finish_run(
    db: Path | str | None, summary: RunSummary, lease: run_leases.Lease | None = None
) -> dict[str, Any]:
    """Record the run's status and summary; the summary, as the flow returns it.

    A run stopped by its warehouse tries once more to close its row (the lock may be
    gone); if it still cannot, its status stays in its lease and the next run records it.
    """
    closed = not summary.recorded
    if summary.recorded:
        stopped_by_warehouse = summary.stopped is not None and summary.stopped.kind != (
            "interrupted"
        )
        try:
            with connection(db, wait_s=0 if stopped_by_warehouse else None) as con:
                runs.finish_run(con, summary.run_id, summary.status, summary.as_dict())
            closed = True
        except (WarehouseError, StorageFull) as err:
            summary.problems.append(f"run not closed in the warehouse (the next run will): {err}")
            if lease is not None:
                _settle(lease, summary)
    if lease is not None:
        lease.release(closed=closed)
    return summary.as_dict()


def _settle(lease: run_leases.Lease, summary: RunSummary) -> None:
    """Leave the run's status in its lease; where even that fails, the summary says the
    next run will close the row as killed."""
    try:
        lease.settle(summary.status, summary.as_dict())
    except OSError as err:
        summary.problems.append(
            f"run status not kept for the next run ({err.strerror}): it will read as killed"
        )


def warehouse_problem(target: Target, err: ThesisError, chosen: list[str]) -> str:
    """The one line of a warehouse failure that stopped the run. A full disk says what the
    next run needs at least: the payloads waiting in the spool as the archive stores
    them (compressed), plus one DuckDB block for the rows."""
    if not isinstance(err, StorageFull) or target.local is None:
        return str(err)
    waiting = [item for sid in chosen for item in spool.pending(target.spool_dir(), sid)]
    needed = DUCKDB_BLOCK_BYTES + sum(len(compress(item.payload())) for item in waiting)
    return str(storage_full("warehouse", target.local.parent, needed))


def source_status(db: Path | str | None, now: datetime | None = None) -> list[dict[str, Any]]:
    """`thesis sources`: the registry, with each source's latest recorded outcome, its
    last success and how old it is (`age_s`), and its last failure, when a warehouse
    exists."""
    try:
        with connection(db, read_only=True, wait_s=2) as con:
            last = runs.last_outcomes(con)
            fresh = runs.freshness(con)
    except WarehouseError:  # no warehouse yet (or locked): the registry alone
        last, fresh = {}, {}
    now = now or datetime.now(UTC)
    doc = []
    for s in SOURCES.values():
        seen = fresh.get(s.id, {})
        success = seen.get("last_success")
        doc.append(
            {
                "id": s.id,
                "official": s.official,
                "url": s.url,
                "description": s.description,
                "last": last.get(s.id),
                "last_success": success,
                "age_s": None if success is None else round((now - success).total_seconds()),
                "last_failure": seen.get("last_failure"),
            }
        )
    return doc
