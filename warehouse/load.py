"""Load one source payload into the warehouse: archive, validate, diff, append.

Every step that writes observations runs in one transaction, and a payload already
loaded for the same source and day is recognised by its hash, so a crash or a re-run
leaves no duplicates and no gaps. The raw payload is archived before parsing, in its own
transaction, so even a payload that fails to parse can be reprocessed after a fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pandas as pd

from core.errors import SourceError, TooFewModels
from extractors.base import Source
from warehouse.archive import read_raw, sha256, store_raw
from warehouse.diff import Changes, EntryState, diff_snapshot

# A payload with fewer than this fraction of the last good snapshot's models is a broken
# layout, not a mass withdrawal of models.
MIN_MODEL_FRACTION = 0.5
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

PRICE_COLUMNS = [
    "source",
    "source_model_key",
    "provider",
    "model",
    "component",
    "service_tier",
    "tier_min_prompt_tokens",
    "condition",
    "effective_from",
    "effective_to",
    "usd_per_mtok",
    "change",
    "snapshot_id",
    "observed_at",
]
LIMIT_COLUMNS = [
    "source",
    "source_model_key",
    "provider",
    "model",
    "context_window_tokens",
    "max_input_tokens",
    "max_output_tokens",
    "change",
    "snapshot_id",
    "observed_at",
]


@dataclass(slots=True)
class LoadResult:
    source: str
    snapshot_id: str
    status: str  # loaded | unchanged | failed
    models: int = 0
    price_rows: int = 0
    limit_rows: int = 0
    error: SourceError | None = None
    unmapped_fields: set[str] = field(default_factory=set)

    @property
    def rows_added(self) -> int:
        return self.price_rows + self.limit_rows


@dataclass(slots=True)
class Payload:
    """One payload to load, with where and when it was seen."""

    source: Source
    payload: bytes
    observed_at: datetime
    origin: str = "fetch"
    run_id: str | None = None
    url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    gz: bytes | None = None  # the payload already gzip-compressed, if the caller has it


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, *, enabled: bool = True) -> Iterator[None]:
    """Commit on success, roll back on any error; a no-op inside a caller's transaction."""
    if not enabled:
        yield
        return
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def snapshot_id_for(source: str, observed_at: datetime, digest: str) -> str:
    return f"{source}/{observed_at:%Y-%m-%dT%H:%M:%SZ}/{digest[:12]}"


def load_payload(
    con: duckdb.DuckDBPyConnection, item: Payload, state: EntryState | None = None
) -> tuple[LoadResult, EntryState | None]:
    """Load one payload. Returns the result and the state to diff the next one against.

    `state` is the previous snapshot's entries when the caller has them in memory (bulk
    import); otherwise they are read back from the archive. A payload older than the
    newest loaded snapshot of its source triggers a rebuild of what follows it.
    """
    src = item.source.id
    digest = sha256(item.payload)
    snap_id = snapshot_id_for(src, item.observed_at, digest)
    if _already_loaded(con, src, digest, item.observed_at):
        return LoadResult(src, snap_id, "unchanged"), None
    with transaction(con):
        store_raw(con, src, item.payload, item.observed_at, digest=digest, gz=item.gz)
        con.execute("delete from snapshots where snapshot_id = ?", [snap_id])
    if has_later_snapshot(con, src, item.observed_at):
        stage_payload(con, item)
        rebuild_source(con, item.source, since=item.observed_at)
        return result_of(con, snap_id), None
    return _load_in_order(con, item, snap_id, digest, state)


def stage_payload(con: duckdb.DuckDBPyConnection, item: Payload) -> str | None:
    """Archive a payload and queue it as a pending snapshot for `rebuild_source`.

    Returns the snapshot id, or None when the same content was already loaded that day.
    """
    digest = sha256(item.payload)
    snap_id = snapshot_id_for(item.source.id, item.observed_at, digest)
    if _already_loaded(con, item.source.id, digest, item.observed_at):
        return None
    with transaction(con):
        store_raw(con, item.source.id, item.payload, item.observed_at, digest=digest, gz=item.gz)
        insert_snapshot(con, item, snap_id, digest, LoadResult(item.source.id, snap_id, "pending"))
    return snap_id


def _load_in_order(
    con: duckdb.DuckDBPyConnection,
    item: Payload,
    snap_id: str,
    digest: str,
    state: EntryState | None,
    *,
    own_tx: bool = True,
) -> tuple[LoadResult, EntryState | None]:
    src = item.source.id
    try:
        entries = item.source.split(item.payload)
        prev_models = _last_good_models(con, src, item.observed_at)
        if prev_models and len(entries) < MIN_MODEL_FRACTION * prev_models:
            raise TooFewModels(
                src,
                f"{len(entries)} models where the last good snapshot had {prev_models} "
                f"(under {MIN_MODEL_FRACTION:.0%}); keeping the last good data",
            )
        prev = state if state is not None else _previous_state(con, item.source, item.observed_at)
        changes, nxt = diff_snapshot(item.source, prev, entries)
    except SourceError as err:
        failed = LoadResult(src, snap_id, "failed", error=err)
        insert_snapshot(con, item, snap_id, digest, failed)
        return failed, state
    result = LoadResult(
        src,
        snap_id,
        "loaded",
        models=len(entries),
        price_rows=len(changes.prices),
        limit_rows=len(changes.limits),
        unmapped_fields=changes.unmapped_fields,
    )
    with transaction(con, enabled=own_tx):
        insert_snapshot(con, item, snap_id, digest, result)
        _append_changes(con, changes, src, snap_id, item.observed_at)
    return result, nxt


def _append_changes(
    con: duckdb.DuckDBPyConnection,
    changes: Changes,
    source: str,
    snap_id: str,
    observed_at: datetime,
) -> None:
    if changes.prices:
        frame = pd.DataFrame(
            [
                (
                    source,
                    r.source_model_key,
                    r.provider,
                    r.model,
                    r.component,
                    r.service_tier,
                    r.tier_min_prompt_tokens,
                    r.condition,
                    r.effective_from,
                    r.effective_to,
                    None if value is None else str(value),
                    change,
                    snap_id,
                    observed_at,
                )
                for r, value, change in changes.prices
            ],
            columns=PRICE_COLUMNS,
        )
        con.register("_price_frame", frame)
        con.execute(
            "insert into price_observations select source, source_model_key, provider, "
            "model, component, service_tier, tier_min_prompt_tokens, condition, "
            "cast(effective_from as date), cast(effective_to as date), "
            "cast(usd_per_mtok as decimal(20, 9)), change, snapshot_id, "
            "cast(observed_at as timestamptz) from _price_frame"
        )
        con.unregister("_price_frame")
    if changes.limits:
        lframe = pd.DataFrame(
            [
                (
                    source,
                    lim.source_model_key,
                    lim.provider,
                    lim.model,
                    lim.context_window_tokens if present else None,
                    lim.max_input_tokens if present else None,
                    lim.max_output_tokens if present else None,
                    change,
                    snap_id,
                    observed_at,
                )
                for lim, present, change in changes.limits
            ],
            columns=LIMIT_COLUMNS,
        ).astype({c: "Int64" for c in LIMIT_COLUMNS[4:7]})
        con.register("_limit_frame", lframe)
        con.execute(
            "insert into model_limits select source, source_model_key, provider, model, "
            "context_window_tokens, max_input_tokens, max_output_tokens, change, "
            "snapshot_id, cast(observed_at as timestamptz) from _limit_frame"
        )
        con.unregister("_limit_frame")


def insert_snapshot(
    con: duckdb.DuckDBPyConnection,
    item: Payload,
    snap_id: str,
    digest: str,
    result: LoadResult,
) -> None:
    err = result.error
    con.execute(
        "insert or replace into snapshots values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            snap_id,
            item.source.id,
            item.observed_at,
            digest,
            item.run_id,
            item.origin,
            item.url,
            item.etag,
            item.last_modified,
            result.status,
            err.kind if err else None,
            err.reason if err else None,
            result.models if result.status == "loaded" else None,
            result.price_rows,
            result.limit_rows,
            sorted(result.unmapped_fields),
        ],
    )


def _already_loaded(
    con: duckdb.DuckDBPyConnection, source: str, digest: str, observed_at: datetime
) -> bool:
    """Same content from the same source on the same UTC day: a re-run, nothing to add."""
    row = con.execute(
        "select 1 from snapshots where source = ? and content_sha256 = ? and status = 'loaded'"
        " and cast(timezone('UTC', observed_at) as date) = cast(timezone('UTC', ?) as date)",
        [source, digest, observed_at],
    ).fetchone()
    return row is not None


def has_later_snapshot(con: duckdb.DuckDBPyConnection, source: str, observed_at: datetime) -> bool:
    row = con.execute(
        "select 1 from snapshots where source = ? and status = 'loaded' and observed_at > ?",
        [source, observed_at],
    ).fetchone()
    return row is not None


def _last_good(
    con: duckdb.DuckDBPyConnection, source: str, before: datetime
) -> tuple[str, int] | None:
    row = con.execute(
        "select content_sha256, models from snapshots where source = ? and status = 'loaded'"
        " and observed_at < ? order by observed_at desc limit 1",
        [source, before],
    ).fetchone()
    return None if row is None else (str(row[0]), int(row[1] or 0))


def _last_good_models(con: duckdb.DuckDBPyConnection, source: str, before: datetime) -> int:
    last = _last_good(con, source, before)
    return last[1] if last else 0


def _previous_state(con: duckdb.DuckDBPyConnection, source: Source, before: datetime) -> EntryState:
    last = _last_good(con, source.id, before)
    if last is None:
        return EntryState()
    return EntryState(entries=source.split(read_raw(con, last[0])))


def result_of(con: duckdb.DuckDBPyConnection, snap_id: str) -> LoadResult:
    row = con.execute(
        "select source, status, error_kind, error, models, price_rows, limit_rows "
        "from snapshots where snapshot_id = ?",
        [snap_id],
    ).fetchone()
    assert row is not None, snap_id
    source, status, kind, reason, models, prices, limits = row
    error = None
    if status == "failed":
        error = SourceError(source, reason or "failed")
        error.kind = kind or "source"
    return LoadResult(source, snap_id, status, models or 0, prices or 0, limits or 0, error)


def rebuild_source(
    con: duckdb.DuckDBPyConnection, source: Source, since: datetime | None = None
) -> list[LoadResult]:
    """Re-derive a source's observations from its archived payloads, from `since` on.

    Used when an older payload arrives after newer ones, and by `thesis reprocess`
    after a parser fix. Failed snapshots are retried: the parser may load them now.
    One transaction: a crash half-way leaves the warehouse as it was.
    """
    cutoff = since or EPOCH
    rows = con.execute(
        "select snapshot_id, observed_at, content_sha256, run_id, origin, url, etag,"
        " last_modified from snapshots where source = ? and observed_at >= ?"
        " order by observed_at, snapshot_id",
        [source.id, cutoff],
    ).fetchall()
    results = []
    with transaction(con):
        for table in ("price_observations", "model_limits", "snapshots"):
            con.execute(
                f"delete from {table} where source = ? and observed_at >= ?",
                [source.id, cutoff],
            )
        state: EntryState | None = None
        for snap_id, observed_at, digest, run_id, origin, url, etag, last_modified in rows:
            item = Payload(
                source,
                read_raw(con, digest),
                observed_at,
                origin,
                run_id,
                url,
                etag,
                last_modified,
            )
            result, state = _load_in_order(con, item, snap_id, digest, state, own_tx=False)
            results.append(result)
    return results
