"""The daily Prefect flow: every price source and the fundamentals fetched concurrently,
then parse and load, the roofline inversion, the checklist's triggers and the alerts.

Flows only compose tasks; the work is in extractors/, warehouse/, model/ and alerts/. A
failing source is recorded and the others load. Payloads are spooled to disk before the
warehouse is opened, so a locked warehouse costs a delay, never data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from prefect import flow, get_run_logger, task
from prefect.futures import PrefectFuture

from alerts.delivery.channels import channels_from_env
from alerts.theses.load import Theses, load_theses
from core.errors import ConfigError, SourceError, WarehouseError
from core.settings import Settings, load_settings, source_url
from extractors.base import Source
from extractors.fundamentals.fetch import DEFAULT_TICKERS
from extractors.registry import get_source, select
from flows.summary import RunSummary, SourceOutcome
from flows.tasks import alerts_task, fetch_fundamentals_task, infer_task, store_fundamentals_task
from warehouse import db, ingest, runs, spool
from warehouse.target import Target, parse_target


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
    db_path: str,
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
    with db.connection(db_path) as con:
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
            outcome = outcome.merge(result)
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
    return outcome


@flow(name="thesis-daily", log_prints=True)
def daily_flow(
    db_path: str | None = None,
    sources: list[str] | None = None,
    theses_path: str | None = None,
    fundamentals: bool = True,
) -> dict[str, Any]:
    """The daily run: prices from every source and fundamentals (fetched concurrently),
    then load, the roofline inversion, the checklist's triggers and the alerts."""
    target = parse_target(db_path)
    path = target.location
    cfg = load_settings()
    chosen = select(sources)
    problems: list[str] = []
    theses = _theses(theses_path, problems)
    tickers = list(theses.ticker_symbols()) if theses else list(DEFAULT_TICKERS)
    fetched, fundamentals_future = _fetch_all(target, chosen, cfg, fundamentals, tickers)
    pending, parse_errors = _parse_all(target.spool_dir(), chosen)
    with db.connection(path) as con:
        run_id = runs.start_run(con, "daily")
    summary = RunSummary(run_id, str(target), problems=problems)
    for s in chosen:
        summary.outcomes.append(
            load_source(path, run_id, s.id, pending[s.id], parse_errors, *fetched[s.id])
        )
    if fundamentals_future is not None:
        summary.fundamentals = store_fundamentals_task(path, fundamentals_future.result(), run_id)
    if len(summary.failed) < len(summary.outcomes):
        summary.inferences = infer_task(path, run_id)
    if theses is not None:
        on = datetime.now(UTC).date()
        succeeded = [o.source for o in summary.outcomes if o.status != "failed"]
        try:
            summary.alerts = alerts_task(path, theses, succeeded, summary.failures(on), on, run_id)
        except ConfigError as err:
            problems.append(f"alerts not sent: {err}")
    with db.connection(path) as con:
        runs.finish_run(con, run_id, summary.status, summary.as_dict())
    return summary.as_dict()


def _theses(theses_path: str | None, problems: list[str]) -> Theses | None:
    """The checklist, validated up front; a bad file is reported and prices still load."""
    try:
        theses = load_theses(Path(theses_path) if theses_path else None)
        channels_from_env()  # validate channel settings now, not after an hour of work
    except ConfigError as err:
        problems.append(f"alerts not evaluated: {err}")
        get_run_logger().warning(str(err))
        return None
    return theses


def _fetch_all(
    target: Target, chosen: list[Source], cfg: Settings, fundamentals: bool, tickers: list[str]
) -> tuple[dict[str, tuple[datetime | None, SourceError | None]], PrefectFuture[Any] | None]:
    """Every price source and the fundamentals, concurrently; payloads go to the spool."""
    root = target.spool_dir()
    headers = _conditional_headers(target)
    fetch = fetch_source.with_options(
        retries=cfg.task_retries, retry_delay_seconds=cfg.task_retry_delay_s
    )
    futures = {s.id: fetch.submit(s.id, root, *headers.get(s.id, (None, None))) for s in chosen}
    fundamentals_future = (
        fetch_fundamentals_task.submit(tickers, cfg.fundamentals_budget_s) if fundamentals else None
    )
    outcomes: dict[str, tuple[datetime | None, SourceError | None]] = {}
    for sid, fut in futures.items():
        got = fut.result()
        outcomes[sid] = (datetime.now(UTC) if got.not_modified else None, got.error)
    return outcomes, fundamentals_future


def _parse_all(
    root: Path, chosen: list[Source]
) -> tuple[dict[str, list[spool.Spooled]], dict[str, SourceError]]:
    """Parse every spooled payload (today's, and any an earlier run could not load)."""
    pending = {s.id: spool.pending(root, s.id) for s in chosen}
    errors: dict[str, SourceError] = {}
    for s in chosen:
        for item in pending[s.id]:
            error = parse_source(s.id, item)
            if error is not None:
                errors[str(item.path)] = error
    return pending, errors


def _conditional_headers(target: Target) -> dict[str, tuple[str | None, str | None]]:
    """ETags of the last fetches; a locked, unreachable or new warehouse just means
    unconditional GETs (the load step reports a warehouse it cannot open)."""
    if target.exists() is False:
        return {}
    try:
        with db.connection(target.location, read_only=True, wait_s=0) as con:
            return ingest.conditional_headers(con)
    except WarehouseError:
        return {}
    except duckdb.CatalogException:  # created but never migrated: nothing fetched yet
        return {}
