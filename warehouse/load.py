"""Load payloads into the warehouse: in time order, or by rebuilding what follows.

Every payload is archived and recorded as a snapshot (loaded or failed, with its typed
error) in the same transaction as its observations, so a crash or a re-run leaves no
duplicates and no gaps; the same content from the same source on the same UTC day is
recognised by its hash and adds nothing. The daily run keeps each payload in its spool
until this has committed, so nothing fetched is lost either.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from core.errors import source_error
from core.progress import Progress
from extractors.base import Source
from warehouse.archive import read_raw, sha256, store_raw
from warehouse.bulk import (
    BulkLoader,
    LoadResult,
    Payload,
    snapshot_id_for,
    snapshot_row,
    utc_day,
)
from warehouse.db import transaction
from warehouse.identity import rebuild_source_identity
from warehouse.series import rebuild_series
from warehouse.tables import SNAPSHOTS
from warehouse.write import insert_rows

__all__ = [
    "LoadResult",
    "Payload",
    "has_later_snapshot",
    "load_payload",
    "rebuild_source",
    "snapshot_counts",
    "stage_payload",
]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PAGE_TABLES = ("page_section_failures", "page_diffs")  # re-derived with the snapshots


def load_payload(con: duckdb.DuckDBPyConnection, item: Payload) -> LoadResult:
    """Load one payload. One older than the newest loaded snapshot of its source is
    slotted in and everything after it re-derived."""
    if has_later_snapshot(con, item.source.id, item.observed_at):
        snap_id = stage_payload(con, item)
        if snap_id is None:
            digest = sha256(item.payload)
            return LoadResult(
                item.source.id,
                snapshot_id_for(item.source.id, item.observed_at, digest),
                "unchanged",
            )
        rebuild_source(con, item.source, since=item.observed_at)
        return result_of(con, snap_id)
    loader = BulkLoader(con, item.source, batch_size=1)
    result = loader.add(item)
    loader.flush()
    return result


def stage_payload(con: duckdb.DuckDBPyConnection, item: Payload) -> str | None:
    """Archive a payload and queue it as a pending snapshot for `rebuild_source`.

    Returns the snapshot id, or None when the same content was already loaded that day.
    """
    digest = item.digest or sha256(item.payload)
    snap_id = snapshot_id_for(item.source.id, item.observed_at, digest)
    if _loaded_that_day(con, item.source.id, digest, item.observed_at):
        return None
    pending = LoadResult(item.source.id, snap_id, "pending")
    with transaction(con):
        store_raw(con, item.source.id, item.payload, item.observed_at, digest=digest, gz=item.gz)
        con.execute("delete from snapshots where snapshot_id = ?", [snap_id])
        insert_rows(con, SNAPSHOTS, [snapshot_row(item, snap_id, digest, pending)])
    return snap_id


def rebuild_source(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    since: datetime | None = None,
    *,
    progress: Progress | None = None,
) -> list[LoadResult]:
    """Re-derive a source's observations from its archived payloads, from `since` on.

    Used when an older payload arrives after newer ones, and by `thesis reprocess`
    after a parser fix. Failed snapshots are retried: the parser may load them now.
    One transaction: a crash half-way leaves the warehouse as it was. `progress` is
    told after each snapshot.
    """
    cutoff = since or EPOCH
    snapshots = SNAPSHOTS.rows(
        con.execute(
            "select * from snapshots where source = ? and observed_at >= ?"
            " order by observed_at, snapshot_id",
            [source.id, cutoff],
        )
    )
    results = []
    with transaction(con):
        for table in (*PAGE_TABLES, "price_observations", "model_limits", "snapshots"):
            con.execute(
                f"delete from {table} where source = ? and observed_at >= ?", [source.id, cutoff]
            )
        loader = BulkLoader(con, source)
        for snap in snapshots:
            item = Payload(
                source,
                read_raw(con, snap.content_sha256),
                snap.observed_at,
                origin=snap.origin,
                run_id=snap.run_id,
                url=snap.url,
                etag=snap.etag,
                last_modified=snap.last_modified,
            )
            results.append(loader.add(item))
            if progress:
                progress(len(results), len(snapshots))
        loader.flush()
        rebuild_source_identity(con, source.id)
        rebuild_series(con)  # a reprocess is rare: the series is decided again whole
    return results


def snapshot_counts(con: duckdb.DuckDBPyConnection, sources: list[str]) -> dict[str, int]:
    """How many snapshots each of `sources` has archived: what a rebuild goes through."""
    found = con.execute(
        "select source, count(*) from snapshots where list_contains(?, source) group by source",
        [sources],
    ).fetchall()
    return {source: 0 for source in sources} | {str(s): int(n) for s, n in found}


def has_later_snapshot(con: duckdb.DuckDBPyConnection, source: str, observed_at: datetime) -> bool:
    row = con.execute(
        "select 1 from snapshots where source = ? and status = 'loaded' and observed_at > ?",
        [source, observed_at],
    ).fetchone()
    return row is not None


def _loaded_that_day(
    con: duckdb.DuckDBPyConnection, source: str, digest: str, observed_at: datetime
) -> bool:
    """Same content from the same source on the same UTC day: a re-run, nothing to add."""
    return any(
        utc_day(at) == utc_day(observed_at)
        for (at,) in con.execute(
            "select observed_at from snapshots where source = ? and content_sha256 = ?"
            " and status = 'loaded'",
            [source, digest],
        ).fetchall()
    )


def result_of(con: duckdb.DuckDBPyConnection, snap_id: str) -> LoadResult:
    found = SNAPSHOTS.rows(con.execute("select * from snapshots where snapshot_id = ?", [snap_id]))
    if not found:
        raise KeyError(f"no snapshot {snap_id}")
    snap = found[0]
    error = None
    if snap.status == "failed":
        error = source_error(snap.error_kind or "", snap.source, snap.error or "failed")
    return LoadResult(
        snap.source,
        snap_id,
        snap.status,
        models=snap.models or 0,
        price_rows=snap.price_rows or 0,
        limit_rows=snap.limit_rows or 0,
        error=error,
    )
