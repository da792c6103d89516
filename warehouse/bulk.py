"""Write snapshots of one source, in time order, a batch per transaction.

The one place observation rows are written. The daily run loads a batch of one; an
import of years of history loads a hundred snapshots per transaction, with the
bookkeeping it needs (what is loaded, the previous entries) held in memory instead of
asked of the database per file: that is what keeps an import near the cost of parsing.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from core.errors import SourceError, SuspiciousShrink
from core.rows import SectionFailure
from core.settings import WarehouseSettings
from extractors.base import Source
from warehouse.archive import raw_row, read_raw, sha256
from warehouse.db import transaction
from warehouse.diff import Changes, EntryState, diff_snapshot
from warehouse.identity import refresh_identity
from warehouse.page_records import PageRecorder, skipped_in
from warehouse.series import moved_models, refresh_series, remember_identity
from warehouse.shrink import confirms_removal, outcome_columns
from warehouse.tables import (
    MODEL_LIMITS,
    PRICE_OBSERVATIONS,
    RAW_SNAPSHOTS,
    SNAPSHOTS,
    ModelLimitRow,
    PriceObservationRow,
    RawSnapshotRow,
    SnapshotRow,
)
from warehouse.write import insert_rows


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
    digest: str | None = None  # its SHA-256, if the caller has it


def snapshot_id_for(source: str, observed_at: datetime, digest: str) -> str:
    return f"{source}/{observed_at:%Y-%m-%dT%H:%M:%SZ}/{digest[:12]}"


def utc_day(when: datetime) -> str:
    return when.astimezone(UTC).date().isoformat()


# Compresses archive copies while the loader parses the next payload (zlib lets go of
# the GIL): an import's wall time loses the gzip share of its CPU.
_COMPRESSOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="thesis-archive")

# A shrink of a handful of entries is a withdrawal, whatever share of a small source it is.
MIN_MODELS, MIN_PRICES = 2, 6


class BulkLoader:
    """Loads payloads of `source` that are newer than everything it has loaded."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        source: Source,
        *,
        batch_size: int = 100,
        max_shrink_share: float | None = None,
    ) -> None:
        self.con, self.source = con, source
        self.batch_size = batch_size
        if max_shrink_share is None:
            max_shrink_share = WarehouseSettings.load().max_shrink_share
        self.max_shrink = max_shrink_share
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
        # What a payload is diffed against, read on first need: a run whose payloads are
        # all unchanged (a re-run, a 304) never parses the last good payload again.
        self._read = False
        self.state, self.prev_models = EntryState(), 0
        self.live_prices = 0
        self.refused_removal: frozenset[str] = frozenset()
        self.pages = PageRecorder(con, source)
        self._newest: _Newest | None = None  # read on first need
        self._newest_read = False
        self._only_repeats = True  # every queued snapshot repeats the newest one
        self._raw: list[Future[RawSnapshotRow]] = []
        self._snapshots: list[SnapshotRow] = []
        self._changes: list[tuple[Changes, str, datetime]] = []

    def _read_state(self) -> None:
        """Read the source's last good state, once, before this loader writes anything
        (what it reads must not see the loader's own snapshots)."""
        if self._read:
            return
        self._read = True
        self.state, self.prev_models = self._last_good_state()
        self.live_prices = self._live_prices()
        self.refused_removal = self._refused_removal()

    def _last_good_state(self) -> tuple[EntryState, int]:
        row = self.con.execute(
            "select content_sha256, models from snapshots where source = ? and status ="
            " 'loaded' order by observed_at desc limit 1",
            [self.source.id],
        ).fetchone()
        if row is None:
            return EntryState(), 0
        return EntryState(entries=self.source.split(read_raw(self.con, row[0]))), int(row[1] or 0)

    def _refused_removal(self) -> frozenset[str]:
        """The entries the last payload refused as a shrink would have removed (empty when
        the newest snapshot is not such a refusal): a shrink seen again is real."""
        row = self.con.execute(
            "select status, error_kind, content_sha256 from snapshots where source = ?"
            " order by observed_at desc limit 1",
            [self.source.id],
        ).fetchone()
        if row is None or (row[0], row[1]) != ("failed", SuspiciousShrink.kind):
            return frozenset()
        return frozenset(self.state.entries) - set(self.source.split(read_raw(self.con, row[2])))

    def _live_prices(self) -> int:
        """Price series of the source in force now (appeared, not removed since)."""
        row = self.con.execute(
            "select count(*) from price_history where source = ? and valid_to is null",
            [self.source.id],
        ).fetchone()
        return int(row[0]) if row else 0

    def add(self, item: Payload, error: SourceError | None = None) -> LoadResult:
        """Queue one payload; flushes when the batch is full. Never raises SourceError.

        `error` records the payload as failed without parsing it again (the caller's
        full parse already found it bad).
        """
        digest = item.digest or sha256(item.payload)
        snap_id = snapshot_id_for(self.source.id, item.observed_at, digest)
        if error is None and (digest, utc_day(item.observed_at)) in self.loaded:
            return LoadResult(self.source.id, snap_id, "unchanged")
        if digest not in self.archived:
            self._raw.append(
                _COMPRESSOR.submit(
                    raw_row, self.source.id, item.payload, item.observed_at, digest, item.gz
                )
            )
            self.archived.add(digest)
        repeat = None if error is not None else self._repeat(item, digest, snap_id)
        self._only_repeats &= repeat is not None
        try:
            if error is not None:
                raise error
            result = repeat or self._diff(item, snap_id)
        except SourceError as err:
            result = LoadResult(self.source.id, snap_id, "failed", error=err)
        else:
            self.loaded.add((digest, utc_day(item.observed_at)))
        loaded = result.status == "loaded"
        self._newest = _Newest(digest, loaded, result.models, tuple(result.section_failures))
        self._newest_read = True
        result.error = self.pages.add(
            snap_id, digest, item.observed_at, item.payload, result.section_failures, result.error
        )
        self._snapshots.append(snapshot_row(item, snap_id, digest, result))
        if len(self._snapshots) >= self.batch_size:
            self.flush()
        return result

    def _repeat(self, item: Payload, digest: str, snap_id: str) -> LoadResult | None:
        """The outcome of a payload equal to the source's newest snapshot, a loaded one
        (a 304, a feed that did not change), without parsing either: the diff of equal
        entries is empty, so all the split tells is carried over (the models, the page
        sections skipped). The empty change still reaches the series: a second snapshot
        may confirm its prices."""
        newest = self._newest_snapshot()
        if newest is None or not newest.loaded or newest.digest != digest:
            return None
        self._changes.append((Changes(), snap_id, item.observed_at))
        return LoadResult(
            self.source.id,
            snap_id,
            "loaded",
            models=newest.models,
            section_failures=list(newest.skipped),
        )

    def _newest_snapshot(self) -> _Newest | None:
        """The source's newest snapshot, whatever its status (read once)."""
        if not self._newest_read:
            self._newest_read = True
            row = self.con.execute(
                "select snapshot_id, content_sha256, status, models from snapshots"
                " where source = ? order by observed_at desc limit 1",
                [self.source.id],
            ).fetchone()
            if row is not None:
                snap, digest, status, models = row
                loaded = status == "loaded"
                skipped = tuple(skipped_in(self.con, snap)) if loaded else ()
                self._newest = _Newest(digest, loaded, int(models or 0), skipped)
        return self._newest

    def _diff(self, item: Payload, snap_id: str) -> LoadResult:
        self._read_state()
        entries = self.source.split(item.payload)
        models = self.source.count_models(entries)
        changes, state = diff_snapshot(self.source, self.state, entries)
        removed = sum(change == "removed" for _, _, change in changes.prices)
        gone = frozenset(self.state.entries) - set(entries)
        if not confirms_removal(gone, self.refused_removal):
            try:
                self._refuse_shrink(models, removed)
            except SuspiciousShrink:
                self.refused_removal = gone
                raise
        self.refused_removal = frozenset()
        self.state, self.prev_models = state, models
        self.live_prices += sum(change == "new" for _, _, change in changes.prices) - removed
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

    def _refuse_shrink(self, models: int, removed_prices: int) -> None:
        """Judge a shrink by what it would delete: more than `max_shrink` of the live
        prices, or of the models, in one payload is a broken feed (the last good stands)."""
        lost_models = max(0, self.prev_models - models)
        too_many_prices = removed_prices > max(self.max_shrink * self.live_prices, MIN_PRICES)
        too_many_models = lost_models > max(self.max_shrink * self.prev_models, MIN_MODELS)
        if not (too_many_prices or too_many_models):
            return
        raise SuspiciousShrink(
            self.source.id,
            f"would remove {removed_prices} of {self.live_prices} live prices and "
            f"{lost_models} of {self.prev_models} models at once (more than "
            f"{self.max_shrink:.0%}, THESIS_MAX_SHRINK_SHARE); keeping the last good data",
        )

    def flush(self) -> None:
        """Write the queued batch in one transaction (the caller's, if it holds one)."""
        if not self._snapshots:
            return
        if not self._only_repeats:  # a later payload of this loader is diffed against it
            self._read_state()  # (repeats leave the state as it was)
        with transaction(self.con):
            insert_rows(self.con, RAW_SNAPSHOTS, [f.result() for f in self._raw])
            ids = [s.snapshot_id for s in self._snapshots]
            self.con.execute("delete from snapshots where list_contains(?, snapshot_id)", [ids])
            insert_rows(self.con, SNAPSHOTS, self._snapshots)
            append_changes(self.con, self.source.id, self._changes)
            self.pages.flush(ids)
            refresh_series_after(self.con, self.source.id, self._changes)
        self._raw, self._snapshots, self._changes = [], [], []
        self._only_repeats = True


@dataclass(frozen=True, slots=True)
class _Newest:
    """The source's newest snapshot: what a payload equal to it repeats."""

    digest: str
    loaded: bool
    models: int
    skipped: tuple[SectionFailure, ...]


def refresh_series_after(
    con: duckdb.DuckDBPyConnection,
    source: str,
    batch: Sequence[tuple[Changes, str, datetime]],
) -> None:
    """Model identity, then the reconciled series from the batch's first day (and the
    models a key joined or left from their first day)."""
    if not batch:
        return
    remember_identity(con)
    refresh_identity(con, source, batch)
    moved = moved_models(con)
    first = min(observed_at for _, _, observed_at in batch).astimezone(UTC).date()
    refresh_series(con, first, moved, source)


def snapshot_row(item: Payload, snap_id: str, digest: str, result: LoadResult) -> SnapshotRow:
    return SnapshotRow(
        snapshot_id=snap_id,
        source=item.source.id,
        observed_at=item.observed_at,
        content_sha256=digest,
        run_id=item.run_id,
        origin=item.origin,
        url=item.url,
        etag=item.etag,
        last_modified=item.last_modified,
        **outcome_columns(result.status, result.error, "models", result.models),
        price_rows=result.price_rows,
        limit_rows=result.limit_rows,
        unmapped_fields=sorted(result.unmapped_fields),
    )


def append_changes(
    con: duckdb.DuckDBPyConnection,
    source: str,
    batch: Sequence[tuple[Changes, str, datetime]],
) -> None:
    prices = [
        PriceObservationRow(
            source=source,
            source_model_key=r.source_model_key,
            provider=r.provider,
            model=r.model,
            component=r.component,
            service_tier=r.service_tier,
            tier_min_prompt_tokens=r.tier_min_prompt_tokens,
            condition=r.condition,
            effective_from=r.effective_from,
            effective_to=r.effective_to,
            usd_per_mtok=value,
            change=change,
            snapshot_id=snap_id,
            observed_at=observed_at,
        )
        for changes, snap_id, observed_at in batch
        for r, value, change in changes.prices
    ]
    insert_rows(con, PRICE_OBSERVATIONS, prices)
    limits = [
        ModelLimitRow(
            source=source,
            source_model_key=lim.source_model_key,
            provider=lim.provider,
            model=lim.model,
            context_window_tokens=lim.context_window_tokens if present else None,
            max_input_tokens=lim.max_input_tokens if present else None,
            max_output_tokens=lim.max_output_tokens if present else None,
            change=change,
            snapshot_id=snap_id,
            observed_at=observed_at,
        )
        for changes, snap_id, observed_at in batch
        for lim, present, change in changes.limits
    ]
    insert_rows(con, MODEL_LIMITS, limits)
