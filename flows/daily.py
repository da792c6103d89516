"""The daily Prefect flow: every price source, the watched-model sources and the
fundamentals fetched concurrently, then parse and load, the roofline inversion, the
checklist's triggers and the alerts.

The run ends Completed only when everything worked; otherwise Failed, with a message
naming each failed source and ticker, and the summary as the state's data (the rows that
loaded stay loaded). The flow run is named by the warehouse run_id, logs one line per
source, and publishes the summary as a Markdown artifact.

Flows only compose tasks; each task is one call into pipeline/ (pipeline/daily.py for
the per-source steps and the run's bookkeeping). A failing source is recorded and the
others load. Payloads are spooled to disk before the warehouse is opened, so a locked
warehouse costs a delay, never data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.client.schemas.objects import State
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.states import Failed

from alerts.theses.load import Theses
from core.errors import ConfigError, SourceError, StorageFull, WarehouseError
from core.settings import FetchSettings, SourceUrls
from extractors.base import Source
from extractors.fundamentals.fetch import TickerFetch
from extractors.registry import SOURCE_IDS, select_for_run
from extractors.watched.base import WatchedSource
from flows.logs import quiet_expected_failures
from flows.tasks import alerts_task, fetch_fundamentals_task, infer_task, store_fundamentals_task
from pipeline import daily, watched
from pipeline.daily_summary import RunSummary, SourceOutcome, summary_markdown
from pipeline.fundamentals import tickers_for
from warehouse import spool
from warehouse.db import held_open
from warehouse.target import Target, parse_target

quiet_expected_failures()


@task(retries=1, retry_delay_seconds=30, task_run_name="fetch-{source_id}")
def fetch_source(
    source_id: str, spool_root: Path, etag: str | None, last_modified: str | None
) -> daily.Fetched:
    """Fetch one source into the spool; a failure is returned (the load step logs it).
    Prefect's own retries are for a task that crashed (a full disk, say)."""
    return daily.fetch_source(source_id, spool_root, etag, last_modified)


@task(task_run_name="parse-{source_id}")
def parse_source(source_id: str, item: spool.Spooled) -> SourceError | None:
    """Parse the whole payload once (pure); return the typed error (the load step logs it)."""
    return daily.parse_spooled(source_id, item)


@task(task_run_name="load-{source_id}")
def load_source(
    db_path: str,
    run_id: str,
    source_id: str,
    items: list[spool.Spooled],
    parse_errors: dict[str, SourceError],
    fetched: daily.Fetched,
) -> SourceOutcome:
    """Load this source's spooled payloads, oldest first, record the outcome, and log it
    as the source's one line."""
    outcome = daily.load_source(db_path, run_id, source_id, items, parse_errors, fetched)
    logger = get_run_logger()
    (logger.warning if outcome.status == "failed" else logger.info)(outcome.line())
    return outcome


@task(retries=1, retry_delay_seconds=30, task_run_name="fetch-{source_id}")
def fetch_watched(
    db_path: str | None, source_id: str, spool_root: Path
) -> list[watched.ModelFetch]:
    """Fetch each of today's models of a watched-model source into the spool; a model
    that fails is returned with its typed error and logged as one line."""
    fetches = watched.fetch_planned(db_path, source_id, spool_root)
    for got in fetches:
        if got.error is not None:
            get_run_logger().warning(str(got.error))
    return fetches


@task(task_run_name="load-{source_id}")
def load_watched(
    db_path: str,
    run_id: str,
    source_id: str,
    fetches: list[watched.ModelFetch],
    spool_root: Path,
) -> list[SourceOutcome]:
    """Load a watched-model source's spooled payloads: one outcome per model, each logged
    as its stream's one line."""
    outcomes = watched.load_for_run(db_path, run_id, source_id, fetches, spool_root)
    logger = get_run_logger()
    for outcome in outcomes:
        (logger.warning if outcome.status == "failed" else logger.info)(outcome.line())
    return outcomes


@flow(name="thesis-daily", flow_run_name=daily.new_run_id, log_prints=True)
def daily_flow(
    db_path: str | None = None,
    sources: list[str] | None = None,
    theses_path: str | None = None,
    fundamentals: bool = True,
) -> dict[str, Any] | State[Any]:
    """The daily run: prices from every source and fundamentals (fetched concurrently),
    then load, the roofline inversion, the checklist's triggers and the alerts.

    Returns the summary when everything worked, else a Failed state carrying it (read it
    with `summary_of`)."""
    run_id = flow_run.name or daily.new_run_id()  # the name flow_run_name gave this run
    target = parse_target(db_path)
    path = target.location
    cfg = FetchSettings.load()
    chosen, chosen_watched = select_for_run(sources)
    SourceUrls.load(SOURCE_IDS)  # a THESIS_URL_* naming no source is a typo: stop here
    problems: list[str] = []
    theses, problem = daily.load_checklist(theses_path)
    if problem is not None:
        problems.append(problem)
        get_run_logger().warning(problem)
    tickers = tickers_for(theses)
    summary = RunSummary(run_id, str(target), problems=problems)
    ids = [s.id for s in chosen]
    lease = daily.claim_run(target, summary)  # held until the run's row is closed
    try:
        _run_steps(summary, target, chosen, chosen_watched, cfg, fundamentals, tickers, theses)
    except KeyboardInterrupt:  # Ctrl-C: say what loaded; the CLI exits 130
        summary.stop("interrupted", "interrupted (Ctrl-C)", ids)
    except (WarehouseError, StorageFull) as err:  # the sources that loaded stay loaded
        summary.stop(err.kind, daily.warehouse_problem(target, err, ids), ids)
    except Exception as err:  # a bug: the run's row says so, then the traceback
        summary.stop("internal_error", f"internal error: {type(err).__name__}: {err}", ids)
        daily.finish_run(path, summary, lease)
        raise
    doc = daily.finish_run(path, summary, lease)
    create_markdown_artifact(
        markdown=summary_markdown(doc), key="thesis-daily-run", description=f"Daily run {run_id}"
    )
    if summary.status == "ok":
        return doc
    return Failed(message=summary.failure_message(), data=doc)


def _run_steps(
    summary: RunSummary,
    target: Target,
    chosen: list[Source],
    chosen_watched: list[WatchedSource],
    cfg: FetchSettings,
    fundamentals: bool,
    tickers: list[str],
    theses: Theses | None,
) -> None:
    """Fetch, parse, load each source (the watched-model sources beside the price
    sources), then the fundamentals, inversion and alerts, filling `summary` as each step
    ends (so a run stopped midway still says what it did)."""
    path = target.location
    watched_futures = _submit_watched(target, chosen_watched, cfg)
    fetched, fundamentals_future = _fetch_all(target, chosen, cfg, fundamentals, tickers)
    pending, parse_errors = _parse_all(target.spool_dir(), chosen)
    run_id = summary.run_id
    with held_open(path):  # the warehouse opened once for the run's row and the prices
        closed = daily.open_run(target, run_id)
        summary.recorded = True
        for dead in closed:
            get_run_logger().warning(f"closed run {dead}: its process ended before it closed it")
        for s in chosen:
            summary.outcomes.append(
                load_source(path, run_id, s.id, pending[s.id], parse_errors, fetched[s.id])
            )
    # The last fetches are waited for with the warehouse closed, then it is opened once
    # for everything else.
    watched_fetched = {sid: future.result() for sid, future in watched_futures.items()}
    company_figures = None if fundamentals_future is None else fundamentals_future.result()
    with held_open(path):
        _after_prices(summary, target, watched_fetched, company_figures, theses)


def _after_prices(
    summary: RunSummary,
    target: Target,
    watched_fetched: dict[str, list[watched.ModelFetch]],
    company_figures: list[TickerFetch] | None,
    theses: Theses | None,
) -> None:
    """The watched models' loads, the fundamentals, the inversion and the alerts."""
    run_id, path = summary.run_id, target.location
    for sid, fetches in watched_fetched.items():
        summary.outcomes += load_watched(path, run_id, sid, fetches, target.spool_dir())
    if company_figures is not None:
        summary.fundamentals = store_fundamentals_task(path, company_figures, run_id)
        log = get_run_logger()
        (log.warning if summary.fundamentals.get("failed") else log.info)(
            summary.fundamentals_line()
        )
    if len(summary.failed) < len(summary.outcomes):
        roofline = infer_task(path, run_id)
        summary.inferences = roofline.pop("inferences")
        summary.roofline = roofline
    if theses is not None:
        on = datetime.now(UTC).date()
        try:
            summary.alerts = alerts_task(
                path, theses, summary.succeeded, summary.failures(on), on, run_id
            )
        except ConfigError as err:
            summary.problems.append(f"alerts not sent: {err}")


def summary_of(state: State[Any]) -> dict[str, Any]:
    """The run summary a finished daily flow run carries, Completed or Failed; a run that
    raised (a bad setting, a bug) raises its exception here."""
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):
        raise result
    return dict(result)


def _fetch_all(
    target: Target, chosen: list[Source], cfg: FetchSettings, fundamentals: bool, tickers: list[str]
) -> tuple[dict[str, daily.Fetched], PrefectFuture[Any] | None]:
    """Every price source and the fundamentals, concurrently; payloads go to the spool."""
    root = target.spool_dir()
    headers = daily.conditional_headers(target)
    fetch = fetch_source.with_options(
        retries=cfg.task_retries, retry_delay_seconds=cfg.task_retry_delay_s
    )
    futures = {s.id: fetch.submit(s.id, root, *headers.get(s.id, (None, None))) for s in chosen}
    fundamentals_future = fetch_fundamentals_task.submit(tickers) if fundamentals else None
    return {sid: fut.result() for sid, fut in futures.items()}, fundamentals_future


def _submit_watched(
    target: Target, chosen: list[WatchedSource], cfg: FetchSettings
) -> dict[str, PrefectFuture[list[watched.ModelFetch]]]:
    """The watched-model sources, each its own task, concurrently with the price sources
    (their models one after another, gentle on each host's rate limit)."""
    fetch = fetch_watched.with_options(
        retries=cfg.task_retries, retry_delay_seconds=cfg.task_retry_delay_s
    )
    return {s.id: fetch.submit(target.location, s.id, target.spool_dir()) for s in chosen}


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
