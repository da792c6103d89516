"""The daily run's warehouse side: conditional-GET state, loading spooled payloads."""

from __future__ import annotations

from datetime import datetime

import duckdb

from core.errors import SourceError
from extractors.base import Source
from warehouse.archive import read_raw
from warehouse.bulk import BulkLoader
from warehouse.load import LoadResult, Payload, load_payload
from warehouse.spool import Spooled


def conditional_headers(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str | None, str | None]]:
    """Each source's ETag and Last-Modified from its newest loaded fetch."""
    rows = con.execute(
        "select source, etag, last_modified from snapshots where origin = 'fetch'"
        " and status = 'loaded' qualify row_number() over"
        " (partition by source order by observed_at desc) = 1"
    ).fetchall()
    return {source: (etag, modified) for source, etag, modified in rows}


def load_spooled(
    con: duckdb.DuckDBPyConnection, source: Source, item: Spooled, run_id: str
) -> LoadResult:
    payload = Payload(
        source,
        item.payload(),
        item.fetched_at,
        origin="fetch",
        run_id=run_id,
        url=item.url,
        etag=item.etag,
        last_modified=item.last_modified,
    )
    return load_payload(con, payload)


def record_failed_payload(
    con: duckdb.DuckDBPyConnection, source: Source, item: Spooled, run_id: str, err: SourceError
) -> LoadResult:
    """Archive a payload that failed to parse, and record why: it can be reprocessed."""
    row = Payload(
        source,
        item.payload(),
        item.fetched_at,
        "fetch",
        run_id,
        item.url,
        item.etag,
        item.last_modified,
    )
    loader = BulkLoader(con, source, batch_size=1)
    result = loader.add(row, error=err)
    loader.flush()
    return result


def reobserve(
    con: duckdb.DuckDBPyConnection, source: Source, fetched_at: datetime, run_id: str
) -> LoadResult | None:
    """A 304 Not Modified: the newest payload was seen again now (keeps freshness honest)."""
    row = con.execute(
        "select content_sha256, url, etag, last_modified from snapshots where source = ?"
        " and status = 'loaded' order by observed_at desc limit 1",
        [source.id],
    ).fetchone()
    if row is None:
        return None
    digest, url, etag, modified = row
    payload = Payload(
        source, read_raw(con, digest), fetched_at, "fetch", run_id, url, etag, modified
    )
    return load_payload(con, payload)
