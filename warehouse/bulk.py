"""Write snapshots of one source, in time order, a batch per transaction.

The one place observation rows are written. The daily run loads a batch of one; an
import of years of history loads a hundred snapshots per transaction, with the
bookkeeping it needs (what is loaded, the previous entries) held in memory instead of
asked of the database per file: that is what keeps an import near the cost of parsing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from core.errors import SourceError, TooFewModels
from core.rows import SectionFailure
from extractors.base import Source
from warehouse.archive import ENCODING, compress, read_raw, sha256
from warehouse.db import transaction
from warehouse.diff import Changes, EntryState, diff_snapshot
from warehouse.page_records import PageRecorder

# A payload with fewer than this fraction of the last good snapshot's models is a broken
# layout, not a mass withdrawal of models.
MIN_MODEL_FRACTION = 0.5

SNAPSHOT_COLUMNS = [
    "snapshot_id",
    "source",
    "observed_at",
    "content_sha256",
    "run_id",
    "origin",
    "url",
    "etag",
    "last_modified",
    "status",
    "error_kind",
    "error",
    "models",
    "price_rows",
    "limit_rows",
    "unmapped_fields",
]
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
    section_failures: list[SectionFailure] = field(default_factory=list)

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


def snapshot_id_for(source: str, observed_at: datetime, digest: str) -> str:
    return f"{source}/{observed_at:%Y-%m-%dT%H:%M:%SZ}/{digest[:12]}"


def utc_day(when: datetime) -> str:
    return when.astimezone(UTC).date().isoformat()


class BulkLoader:
    """Loads payloads of `source` that are newer than everything it has loaded."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        source: Source,
        *,
        batch_size: int = 100,
    ) -> None:
        self.con, self.source = con, source
        self.batch_size = batch_size
        self.loaded = {
            (digest, utc_day(at))
            for digest, at in con.execute(
                "select content_sha256, observed_at from snapshots"
                " where source = ? and status = 'loaded'",
                [source.id],
            ).fetchall()
        }
        self.archived = {
            r[0] for r in con.execute("select content_sha256 from raw_snapshots").fetchall()
        }
        self.state, self.prev_models = self._last_good_state()
        self.pages = PageRecorder(con, source)
        self._raw: list[tuple[Any, ...]] = []
        self._snapshots: list[tuple[Any, ...]] = []
        self._changes: list[tuple[Changes, str, datetime]] = []

    def _last_good_state(self) -> tuple[EntryState, int]:
        row = self.con.execute(
            "select content_sha256, models from snapshots where source = ? and status ="
            " 'loaded' order by observed_at desc limit 1",
            [self.source.id],
        ).fetchone()
        if row is None:
            return EntryState(), 0
        return EntryState(entries=self.source.split(read_raw(self.con, row[0]))), int(row[1] or 0)

    def add(self, item: Payload, error: SourceError | None = None) -> LoadResult:
        """Queue one payload; flushes when the batch is full. Never raises SourceError.

        `error` records the payload as failed without parsing it again (the caller's
        full parse already found it bad).
        """
        digest = sha256(item.payload)
        snap_id = snapshot_id_for(self.source.id, item.observed_at, digest)
        if error is None and (digest, utc_day(item.observed_at)) in self.loaded:
            return LoadResult(self.source.id, snap_id, "unchanged")
        if digest not in self.archived:
            blob = item.gz if item.gz is not None else compress(item.payload)
            self._raw.append(
                (digest, self.source.id, item.observed_at, len(item.payload), ENCODING, blob)
            )
            self.archived.add(digest)
        try:
            if error is not None:
                raise error
            result = self._diff(item, snap_id)
        except SourceError as err:
            result = LoadResult(self.source.id, snap_id, "failed", error=err)
        else:
            self.loaded.add((digest, utc_day(item.observed_at)))
        result.error = self.pages.add(
            snap_id, digest, item.observed_at, item.payload, result.section_failures, result.error
        )
        self._snapshots.append(snapshot_record(item, snap_id, digest, result))
        if len(self._snapshots) >= self.batch_size:
            self.flush()
        return result

    def _diff(self, item: Payload, snap_id: str) -> LoadResult:
        entries = self.source.split(item.payload)
        models = self.source.count_models(entries)
        if self.prev_models and models < MIN_MODEL_FRACTION * self.prev_models:
            raise TooFewModels(
                self.source.id,
                f"{models} models where the last good snapshot had {self.prev_models} "
                f"(under {MIN_MODEL_FRACTION:.0%}); keeping the last good data",
            )
        changes, self.state = diff_snapshot(self.source, self.state, entries)
        self.prev_models = models
        self._changes.append((changes, snap_id, item.observed_at))
        return LoadResult(
            self.source.id,
            snap_id,
            "loaded",
            models=models,
            price_rows=len(changes.prices),
            limit_rows=len(changes.limits),
            unmapped_fields=changes.unmapped_fields,
            section_failures=changes.section_failures,
        )

    def flush(self) -> None:
        """Write the queued batch in one transaction (the caller's, if it holds one)."""
        if not self._snapshots:
            return
        with transaction(self.con):
            _insert(
                self.con,
                "raw_snapshots",
                self._raw,
                ["content_sha256", "source", "first_seen_at", "size_bytes", "encoding", "payload"],
                "content_sha256, source, first_seen_at, size_bytes, encoding, payload",
            )
            ids = [s[0] for s in self._snapshots]
            self.con.execute("delete from snapshots where list_contains(?, snapshot_id)", [ids])
            _insert(self.con, "snapshots", self._snapshots, SNAPSHOT_COLUMNS, "*")
            append_changes(self.con, self.source.id, self._changes)
            self.pages.flush(ids)
        self._raw, self._snapshots, self._changes = [], [], []


def snapshot_record(
    item: Payload, snap_id: str, digest: str, result: LoadResult
) -> tuple[Any, ...]:
    err = result.error
    return (
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
    )


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[tuple[Any, ...]],
    columns: list[str],
    select: str,
) -> None:
    if not rows:
        return
    con.register("_batch_frame", pd.DataFrame(rows, columns=columns, dtype=object))
    try:
        con.execute(f"insert into {table} select {select} from _batch_frame")
    finally:
        con.unregister("_batch_frame")


def append_changes(
    con: duckdb.DuckDBPyConnection,
    source: str,
    batch: Sequence[tuple[Changes, str, datetime]],
) -> None:
    prices = [
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
        for changes, snap_id, observed_at in batch
        for r, value, change in changes.prices
    ]
    _insert(
        con,
        "price_observations",
        prices,
        PRICE_COLUMNS,
        "source, source_model_key, provider, model, component, service_tier, "
        "cast(tier_min_prompt_tokens as bigint), condition, cast(effective_from as date), "
        "cast(effective_to as date), cast(usd_per_mtok as decimal(20, 9)), change, "
        "snapshot_id, cast(observed_at as timestamptz)",
    )
    limits = [
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
        for changes, snap_id, observed_at in batch
        for lim, present, change in changes.limits
    ]
    _insert(
        con,
        "model_limits",
        limits,
        LIMIT_COLUMNS,
        "source, source_model_key, provider, model, cast(context_window_tokens as bigint), "
        "cast(max_input_tokens as bigint), cast(max_output_tokens as bigint), change, "
        "snapshot_id, cast(observed_at as timestamptz)",
    )
