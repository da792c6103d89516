"""The daily Prefect flow: fetch every source concurrently, then parse and load each.

Flows only compose tasks; the work is in extractors/ and warehouse/. A failing source
is recorded and the others load. Payloads are spooled to disk before the warehouse is
opened, so a locked warehouse costs a delay, never data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from prefect import flow, get_run_logger, task
from prefect.futures import PrefectFuture

from core.errors import SourceError, WarehouseLocked
from core.settings import load_settings, source_url
from extractors.registry import get_source, select
from warehouse import db, ingest, runs, spool
from warehouse.load import LoadResult


@dataclass
class SourceOutcome:
    source: str
    status: str  # loaded | unchanged | not_modified | failed
    rows_added: int = 0
    models: int = 0
    error_kind: str | None = None
    error: str | None = None
    snapshot_id: str | None = None


@dataclass
class RunSummary:
    run_id: str
    db_path: str
    outcomes: list[SourceOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def status(self) -> str:
        if not self.failed:
            return "ok"
        return "failed" if len(self.failed) == len(self.outcomes) else "partial"

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "db": self.db_path,
            "status": self.status,
            "rows_added": sum(o.rows_added for o in self.outcomes),
            "sources": [o.__dict__ for o in self.outcomes],
        }


@dataclass(frozen=True)
class Fetched:
    """What one fetch task yields: a spooled payload, Not Modified, or the typed failure."""

    item: spool.Spooled | None = None
    error: SourceError | None = None

    @property
    def not_modified(self) -> bool:
        return self.item is None and self.error is None


@task(retries=1, retry_delay_seconds=30, task_run_name="fetch-{source_id}")
def fetch_source(
    source_id: str, spool_root: Path, etag: str | None, last_modified: str | None
) -> Fetched:
    """Fetch one source into the spool.

    The HTTP edge retries 429/5xx with backoff and honours Retry-After, within a hard time
    budget; a source that still fails is an expected outcome, returned rather than raised
    so the run log shows one line for it, not a traceback. Prefect's own retries are for
    a task that crashed (a full disk, say).
    """
    source = get_source(source_id)
    cfg = load_settings()
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
        get_run_logger().warning(str(err))
        return Fetched(error=err)
    if got.payload is None:
        return Fetched()
    item = spool.put(
        spool_root, source_id, got.payload, got.fetched_at, got.url, got.etag, got.last_modified
    )
    return Fetched(item=item)


@task(task_run_name="parse-{source_id}")
def parse_source(source_id: str, item: spool.Spooled) -> SourceError | None:
    """Parse the whole payload once (pure); return the typed error if it is bad."""
    try:
        get_source(source_id).parse(item.payload(), item.fetched_at)
    except SourceError as err:
        get_run_logger().warning(str(err))
        return err
    return None


@task(task_run_name="load-{source_id}")
def load_source(
    db_path: Path,
    run_id: str,
    source_id: str,
    items: list[spool.Spooled],
    parse_errors: dict[str, SourceError],
    not_modified_at: datetime | None,
    fetch_error: SourceError | None,
) -> SourceOutcome:
    """Load this source's spooled payloads, oldest first, and record the outcome.

    Payloads left in the spool by an earlier run that could not open the warehouse are
    loaded too, so a failed fetch today still lets yesterday's payload in.
    """
    source = get_source(source_id)
    started = runs.now()
    con = db.connect(db_path)
    try:
        outcome = SourceOutcome(source.id, "not_modified" if not_modified_at else "unchanged")
        if not_modified_at is not None:
            ingest.reobserve(con, source, not_modified_at, run_id)
        for item in items:
            err = parse_errors.get(str(item.path))
            if err is not None:
                result = ingest.record_failed_payload(con, source, item, run_id, err)
            else:
                result = ingest.load_spooled(con, source, item, run_id)
            item.remove()
            outcome = _merge(outcome, result)
        if fetch_error is not None:
            outcome.status, outcome.error_kind = "failed", fetch_error.kind
            outcome.error = fetch_error.reason
        runs.record_source(
            con,
            run_id,
            source.id,
            outcome.status,
            started_at=started,
            error_kind=outcome.error_kind,
            error=outcome.error,
            snapshot_id=outcome.snapshot_id,
            rows_added=outcome.rows_added,
        )
    finally:
        con.close()
    return outcome


def _merge(outcome: SourceOutcome, result: LoadResult) -> SourceOutcome:
    outcome.snapshot_id = result.snapshot_id
    outcome.rows_added += result.rows_added
    if result.status == "failed" and result.error is not None:
        outcome.status, outcome.error_kind = "failed", result.error.kind
        outcome.error = result.error.reason
    elif result.status == "loaded":
        outcome.status, outcome.models = "loaded", result.models
        outcome.error_kind = outcome.error = None
    return outcome


@flow(name="thesis-daily", log_prints=True)
def daily_flow(db_path: str | None = None, sources: list[str] | None = None) -> dict[str, Any]:
    """Fetch, archive, parse and load every price source once."""
    path = Path(db_path).expanduser() if db_path else db.default_db_path()
    cfg = load_settings()
    chosen = select(sources)
    root = spool.spool_dir(path)
    headers = _conditional_headers(path)
    fetch = fetch_source.with_options(
        retries=cfg.task_retries, retry_delay_seconds=cfg.task_retry_delay_s
    )
    fetched: dict[str, PrefectFuture[Fetched]] = {
        s.id: fetch.submit(s.id, root, *headers.get(s.id, (None, None))) for s in chosen
    }
    fetch_errors: dict[str, SourceError] = {}
    not_modified: dict[str, datetime] = {}
    for sid, fut in fetched.items():
        outcome = fut.result()
        if outcome.error is not None:
            fetch_errors[sid] = outcome.error
        elif outcome.not_modified:
            not_modified[sid] = datetime.now(UTC)
    parse_errors: dict[str, SourceError] = {}
    pending = {s.id: spool.pending(root, s.id) for s in chosen}
    for s in chosen:
        for item in pending[s.id]:
            error = parse_source(s.id, item)
            if error is not None:
                parse_errors[str(item.path)] = error
    con = db.connect(path)
    run_id = runs.start_run(con, "daily")
    con.close()
    summary = RunSummary(run_id, str(path))
    for s in chosen:
        summary.outcomes.append(
            load_source(
                path,
                run_id,
                s.id,
                pending[s.id],
                parse_errors,
                not_modified.get(s.id),
                fetch_errors.get(s.id),
            )
        )
    con = db.connect(path)
    runs.finish_run(con, run_id, summary.status, summary.as_dict())
    con.close()
    return summary.as_dict()


def _conditional_headers(path: Path) -> dict[str, tuple[str | None, str | None]]:
    """ETags of the last fetches; a locked or new warehouse just means unconditional GETs."""
    if not path.exists():
        return {}
    try:
        con = db.connect(path, read_only=True, wait_s=0)
    except WarehouseLocked:
        return {}
    try:
        return ingest.conditional_headers(con)
    except duckdb.CatalogException:  # created but never migrated: nothing fetched yet
        return {}
    finally:
        con.close()
