"""The watched-model sources in a run: which models, one fetch each into the spool (the
warehouse closed), then each model's payload loaded and its outcome recorded.

A model is its own stream (`source:model`, e.g. `model-configs:deepseek-ai/DeepSeek-V3`)
in source_runs and in source-failure alerts, so a gated, renamed or rate-limited repo is
one recorded failure, alerted once, and every other model still loads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from core.errors import SourceError, WarehouseError
from core.settings import FetchSettings
from extractors.registry import get_watched
from extractors.watched.config import load_watched_config
from extractors.watched.watchlist import expand
from pipeline.daily_summary import SourceOutcome
from warehouse import runs, spool
from warehouse.db import connection
from warehouse.target import Target, parse_target
from warehouse.watched_load import (
    WatchedPayload,
    WatchedResult,
    conditional_headers,
    load_watched,
    record_fetch_failure,
    reobserve_watched,
)

# The source whose model list the OpenRouter patterns are matched against.
MODEL_LISTS = {"openrouter-endpoints": "openrouter"}
Headers = Mapping[str, tuple[str | None, str | None]]


@dataclass(frozen=True)
class ModelFetch:
    """One model's fetch: spooled, Not Modified (and when), or the typed failure."""

    source: str
    model: str
    url: str
    item: spool.Spooled | None = None
    error: SourceError | None = None
    not_modified_at: datetime | None = None


@dataclass
class StreamOutcome:
    """One model of one source in a run, as source_runs records it."""

    source: str
    model: str
    status: str  # loaded | unchanged | not_modified | failed
    rows_added: int = 0
    error_kind: str | None = None
    error: str | None = None
    snapshot_id: str | None = None
    unmapped_fields: list[str] = field(default_factory=list)

    @property
    def stream(self) -> str:
        return f"{self.source}:{self.model}"


def known_models(con: duckdb.DuckDBPyConnection, source_id: str) -> list[str]:
    """Model ids a pattern may match: the current keys of the source's model list."""
    lister = MODEL_LISTS.get(source_id)
    if lister is None:
        return []
    rows = con.execute(
        "select distinct source_model_key from price_history where source = ? and valid_to is null",
        [lister],
    ).fetchall()
    return sorted(r[0] for r in rows)


def planned_models(
    source_id: str, known: Iterable[str], env: Mapping[str, str] | None = None
) -> list[str]:
    cfg = load_watched_config(get_watched(source_id), env)
    return expand(cfg.entries, known, cfg.max_models)


def fetch_models(
    source_id: str,
    spool_root: Path,
    models: Iterable[str],
    headers: Headers,
    env: Mapping[str, str] | None = None,
    **fetch_kwargs: Any,
) -> list[ModelFetch]:
    """Fetch each model in turn (gentle on the host's rate limit) into the spool. The
    token is read here, from the environment, and goes nowhere but the request header."""
    source = get_watched(source_id)
    cfg = load_watched_config(source, env)
    token = cfg.token(env)
    out = []
    for model in models:
        etag, modified = headers.get(model, (None, None))
        url = source.url(model, cfg.url_template)
        try:
            got = source.fetch(
                model, token=token, etag=etag, last_modified=modified,
                url_template=cfg.url_template, **fetch_kwargs,
            )  # fmt: skip
        except SourceError as err:
            out.append(ModelFetch(source_id, model, url, error=err))
            continue
        if got.payload is None:
            out.append(ModelFetch(source_id, model, url, not_modified_at=datetime.now(UTC)))
            continue
        item = spool.put(
            spool_root, source_id, got.payload, got.fetched_at, got.url, got.etag,
            got.last_modified, key=model,
        )  # fmt: skip
        out.append(ModelFetch(source_id, model, url, item=item))
    return out


def load_fetches(
    con: duckdb.DuckDBPyConnection,
    source_id: str,
    run_id: str,
    fetches: Iterable[ModelFetch],
    spool_root: Path,
) -> list[StreamOutcome]:
    """Load every spooled payload of the source (today's and any an earlier run left),
    re-observe what was Not Modified, record what failed; one outcome per model."""
    source = get_watched(source_id)
    started = runs.now()
    outcomes: dict[str, StreamOutcome] = {}
    for item in spool.pending(spool_root, source_id):
        if item.key is None:
            continue  # not a watched-model payload: nothing here reads it
        payload = WatchedPayload(
            source, item.key, item.payload(), item.fetched_at, "fetch", run_id, item.url,
            item.etag, item.last_modified,
        )  # fmt: skip
        outcomes[item.key] = _outcome(load_watched(con, payload), outcomes.get(item.key))
        item.remove()
    for fetched in fetches:
        seen = WatchedPayload(source, fetched.model, None, runs.now(), "fetch", run_id, fetched.url)
        if fetched.error is not None:
            result = record_fetch_failure(con, seen, fetched.error)
            outcomes[fetched.model] = _outcome(result, None)
        elif fetched.not_modified_at is not None:
            seen.observed_at = fetched.not_modified_at
            again = reobserve_watched(con, seen)
            outcome = _outcome(again, None) if again else None
            if outcome is not None and outcome.status != "failed":
                outcome.status = "not_modified"
            outcomes[fetched.model] = outcome or StreamOutcome(
                source_id, fetched.model, "not_modified"
            )
    for outcome in outcomes.values():
        runs.record_source(
            con, run_id, outcome.stream, outcome.status, started_at=started,
            error_kind=outcome.error_kind, error=outcome.error,
            snapshot_id=outcome.snapshot_id, rows_added=outcome.rows_added,
        )  # fmt: skip
    return sorted(outcomes.values(), key=lambda o: o.model)


def read_plan(
    con: duckdb.DuckDBPyConnection, source_id: str, env: Mapping[str, str] | None = None
) -> tuple[list[str], Headers]:
    """The models to fetch and their validators, from a warehouse open for reading."""
    try:
        known, headers = known_models(con, source_id), conditional_headers(con, source_id)
    except duckdb.CatalogException:  # an older schema: no watched tables yet
        known, headers = [], {}
    return planned_models(source_id, known, env), headers


def _outcome(result: WatchedResult, before: StreamOutcome | None) -> StreamOutcome:
    added = result.rows_added + (before.rows_added if before else 0)
    err = result.error
    return StreamOutcome(
        source=result.source,
        model=result.model,
        status=result.status,
        rows_added=added,
        error_kind=err.kind if err else None,
        error=err.reason if err else None,
        snapshot_id=result.snapshot_id,
        unmapped_fields=sorted(result.unmapped_fields),
    )


def fetch_planned(db: str | None, source_id: str, spool_root: Path) -> list[ModelFetch]:
    """A run's fetch of one watched-model source: today's models (planned from a
    warehouse opened for reading, or the configured ids alone when it cannot be: a
    pattern needs the model list), each fetched into the spool with the fetch settings."""
    models, headers = _plan(parse_target(db), source_id)
    cfg = FetchSettings.load()
    return fetch_models(
        source_id, spool_root, models, headers,
        attempts=cfg.fetch_attempts, backoff_s=cfg.fetch_backoff_s,
        timeout_s=(cfg.fetch_connect_timeout_s, cfg.fetch_read_timeout_s),
        deadline_s=cfg.fetch_deadline_s,
    )  # fmt: skip


def load_for_run(
    db: Path | str | None, run_id: str, source_id: str, fetches: list[ModelFetch], spool_root: Path
) -> list[SourceOutcome]:
    """Load what a run fetched of one watched-model source: one outcome per model, named
    by its stream (`source:model`), as the run summary and the failure alerts take them."""
    with connection(db) as con:
        outcomes = load_fetches(con, source_id, run_id, fetches, spool_root)
    return [
        SourceOutcome(
            source=o.stream,
            status=o.status,
            rows_added=o.rows_added,
            models=int(o.status == "loaded"),
            error_kind=o.error_kind,
            error=o.error,
            snapshot_id=o.snapshot_id,
        )
        for o in outcomes
    ]


def _plan(target: Target, source_id: str) -> tuple[list[str], Headers]:
    if target.exists() is False:
        return planned_models(source_id, []), {}
    try:
        with connection(target.location, read_only=True, wait_s=0) as con:
            return read_plan(con, source_id)
    except WarehouseError:  # locked or unreachable: the load step reports it
        return planned_models(source_id, []), {}
