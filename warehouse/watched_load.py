"""Load the watched-model sources' payloads: one model's answer at a time.

Every payload is archived (raw_snapshots) and recorded in watched_snapshots in the same
transaction as its rows, loaded or failed with its typed error; a fetch that got no
payload is recorded too. The same content of the same model on the same UTC day adds
nothing, so a re-run writes nothing twice. A model whose host list falls under half of
its last good answer's is a failure and its last good rows stand, until the next answer
confirms the same hosts gone (warehouse/shrink.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime

import duckdb

from core.errors import SourceError, TooFewHosts, source_error
from core.rows import ArchitectureRow, EndpointRow, Observed
from extractors.watched.base import WatchedSource
from warehouse.archive import read_raw, sha256, store_raw
from warehouse.bulk import utc_day
from warehouse.db import transaction
from warehouse.shrink import confirms_removal, outcome_columns
from warehouse.tables import (
    ARCHITECTURE_OBSERVATIONS,
    ENDPOINT_OBSERVATIONS,
    WATCHED_SNAPSHOTS,
    ArchitectureObservationRow,
    EndpointObservationRow,
    WatchedSnapshotRow,
)
from warehouse.write import insert_rows

# A host list under this share of the last good one is refused (a broken answer, not news)
# until an answer confirms the removal.
MIN_HOST_FRACTION = 0.5
# Architecture fields that make a config "changed" (not the config's text or hash).
COMPARED = tuple(
    f for f in ArchitectureRow.__dataclass_fields__ if f not in ("source", "source_model_key")
)


@dataclass(slots=True)
class WatchedPayload:
    """One model's payload (or None: the fetch got none), with where and when it was seen."""

    source: WatchedSource
    model: str
    payload: bytes | None
    observed_at: datetime
    origin: str = "fetch"
    run_id: str | None = None
    url: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class WatchedResult:
    source: str
    model: str
    snapshot_id: str
    status: str  # loaded | unchanged | failed
    rows_added: int = 0
    hosts: int = 0
    error: SourceError | None = None
    unmapped_fields: set[str] = field(default_factory=set)


def snapshot_id_for(item: WatchedPayload, digest: str | None) -> str:
    suffix = digest[:12] if digest else "no-payload"
    return f"{item.source.stream(item.model)}/{item.observed_at:%Y-%m-%dT%H:%M:%SZ}/{suffix}"


def load_watched(con: duckdb.DuckDBPyConnection, item: WatchedPayload) -> WatchedResult:
    """Archive, parse and load one model's payload in one transaction; never raises
    SourceError (a bad payload is recorded as failed)."""
    with transaction(con):
        return _load(con, item)


def record_fetch_failure(
    con: duckdb.DuckDBPyConnection, item: WatchedPayload, err: SourceError
) -> WatchedResult:
    """A fetch that got no payload: one failed snapshot, nothing else touched."""
    with transaction(con):
        return _record_failure(con, item, err)


def _load(con: duckdb.DuckDBPyConnection, item: WatchedPayload) -> WatchedResult:
    if item.payload is None:
        raise ValueError("a fetch without a payload is recorded by record_fetch_failure")
    digest = sha256(item.payload)
    snap_id = snapshot_id_for(item, digest)
    if _loaded_that_day(con, item, digest):
        return WatchedResult(item.source.id, item.model, snap_id, "unchanged")
    store_raw(con, item.source.id, item.payload, item.observed_at, digest=digest)
    try:
        observed = item.source.parse(item.payload, item.model)
        hosts = _check_hosts(con, item, observed)
    except SourceError as err:
        result = WatchedResult(item.source.id, item.model, snap_id, "failed", error=err)
    else:
        added = _write_rows(con, item, snap_id, digest, observed)
        result = WatchedResult(
            item.source.id, item.model, snap_id, "loaded", added, hosts, None,
            observed.unmapped_fields,
        )  # fmt: skip
    _record(con, item, snap_id, digest, result)
    return result


def _record_failure(
    con: duckdb.DuckDBPyConnection, item: WatchedPayload, err: SourceError
) -> WatchedResult:
    snap_id = snapshot_id_for(item, None)
    result = WatchedResult(item.source.id, item.model, snap_id, "failed", error=err)
    _record(con, item, snap_id, None, result)
    return result


def reobserve_watched(con: duckdb.DuckDBPyConnection, item: WatchedPayload) -> WatchedResult | None:
    """A 304 Not Modified: the model's newest payload, seen again at `item.observed_at`."""
    row = con.execute(
        "select content_sha256, url, etag, last_modified from watched_snapshots"
        " where source = ? and source_model_key = ? and status = 'loaded'"
        " order by observed_at desc limit 1",
        [item.source.id, item.model],
    ).fetchone()
    if row is None:
        return None
    digest, url, etag, modified = row
    again = WatchedPayload(
        item.source, item.model, read_raw(con, digest), item.observed_at, item.origin,
        item.run_id, url, etag, modified,
    )  # fmt: skip
    return load_watched(con, again)


def conditional_headers(
    con: duckdb.DuckDBPyConnection, source: str
) -> dict[str, tuple[str | None, str | None]]:
    """Each model's ETag and Last-Modified from its newest loaded fetch."""
    rows = con.execute(
        "select source_model_key, etag, last_modified from watched_snapshots"
        " where source = ? and origin = 'fetch' and status = 'loaded'"
        " qualify row_number() over (partition by source_model_key order by observed_at desc) = 1",
        [source],
    ).fetchall()
    return {model: (etag, modified) for model, etag, modified in rows}


def rebuild_watched(con: duckdb.DuckDBPyConnection, source: WatchedSource) -> list[WatchedResult]:
    """Re-derive a source's rows from its archived payloads (after a parser fix): failed
    payloads are retried. One transaction: a crash half-way leaves everything as it was."""
    rows = con.execute(
        "select source_model_key, observed_at, content_sha256, run_id, origin, url, etag,"
        " last_modified, error_kind, error from watched_snapshots where source = ?"
        " order by observed_at, snapshot_id",
        [source.id],
    ).fetchall()
    results = []
    with transaction(con):
        for table in ("endpoint_observations", "architecture_observations", "watched_snapshots"):
            con.execute(f"delete from {table} where source = ?", [source.id])
        for model, at, digest, run_id, origin, url, etag, modified, kind, reason in rows:
            item = WatchedPayload(source, model, None, at, origin, run_id, url, etag, modified)
            if digest is None:
                failure = source_error(kind, source.stream(model), reason)
                results.append(_record_failure(con, item, failure))
                continue
            item.payload = read_raw(con, digest)
            results.append(_load(con, item))
    return results


def _loaded_that_day(con: duckdb.DuckDBPyConnection, item: WatchedPayload, digest: str) -> bool:
    return any(
        utc_day(at) == utc_day(item.observed_at)
        for (at,) in con.execute(
            "select observed_at from watched_snapshots where source = ? and source_model_key = ?"
            " and content_sha256 = ? and status = 'loaded'",
            [item.source.id, item.model, digest],
        ).fetchall()
    )


def _check_hosts(con: duckdb.DuckDBPyConnection, item: WatchedPayload, observed: Observed) -> int:
    """The payload's host count; TooFewHosts when its host list falls under
    MIN_HOST_FRACTION of the last good one's, unless it confirms the removal the previous
    answer was refused for (warehouse/shrink.py)."""
    keys = item.source.host_keys
    if keys is None:
        return len(observed.model_keys)
    hosts = keys(observed)
    before = _hosts_of(con, item, keys, "status = 'loaded' and observed_at <= ?")
    if before and len(hosts) < MIN_HOST_FRACTION * len(before):
        refused = _hosts_of(con, item, keys, "observed_at < ?", refused=True)
        if not confirms_removal(before - hosts, before - refused if refused else frozenset()):
            raise TooFewHosts(
                item.source.stream(item.model),
                f"{len(hosts)} hosts where the last good answer had {len(before)} "
                f"(under {MIN_HOST_FRACTION:.0%}); keeping the last good rows",
            )
    return len(hosts)


def _hosts_of(
    con: duckdb.DuckDBPyConnection,
    item: WatchedPayload,
    keys: Callable[[Observed], frozenset[str]],
    which: str,
    *,
    refused: bool = False,
) -> frozenset[str]:
    """The hosts of the model's newest answer `which` picks (with `refused`: only if that
    answer was refused as too few hosts); empty when there is none."""
    row = con.execute(
        "select content_sha256, error_kind from watched_snapshots where source = ?"
        f" and source_model_key = ? and {which} order by observed_at desc limit 1",
        [item.source.id, item.model, item.observed_at],
    ).fetchone()
    if row is None or row[0] is None or (refused and row[1] != TooFewHosts.kind):
        return frozenset()
    return keys(item.source.parse(read_raw(con, row[0]), item.model))


def _write_rows(
    con: duckdb.DuckDBPyConnection,
    item: WatchedPayload,
    snap_id: str,
    digest: str,
    observed: Observed,
) -> int:
    day = date.fromisoformat(utc_day(item.observed_at))
    added = 0
    if item.source.host_keys is not None:
        con.execute(
            "delete from endpoint_observations where source = ? and source_model_key = ?"
            " and day = ?",
            [item.source.id, item.model, day],
        )
        rows = [_endpoint_row(r, day, snap_id, item.observed_at) for r in observed.endpoints]
        insert_rows(con, ENDPOINT_OBSERVATIONS, rows)
        added += len(rows)
    for arch in observed.architectures:
        change = _architecture_change(con, arch)
        if change:
            stated = {f.name: getattr(arch, f.name) for f in fields(arch)}
            stated["unmapped_fields"] = list(arch.unmapped_fields)
            row = ArchitectureObservationRow(
                **stated,
                change=change,
                content_sha256=digest,
                snapshot_id=snap_id,
                observed_at=item.observed_at,
            )
            insert_rows(con, ARCHITECTURE_OBSERVATIONS, [row])
            added += 1
    return added


def _architecture_change(con: duckdb.DuckDBPyConnection, arch: ArchitectureRow) -> str | None:
    cursor = con.execute(
        "select * from latest_architectures where source = ? and source_model_key = ?",
        [arch.source, arch.source_model_key],
    )
    row = cursor.fetchone()
    if row is None:
        return "new"
    last = dict(zip([d[0] for d in cursor.description], row, strict=True))
    now = asdict(arch)
    now["unmapped_fields"] = list(arch.unmapped_fields)
    return "changed" if any(now[f] != last[f] for f in COMPARED) else None


def _endpoint_row(
    row: EndpointRow, day: date, snap_id: str, observed_at: datetime
) -> EndpointObservationRow:
    stated = {f.name: getattr(row, f.name) for f in fields(row)}
    tiers = [
        {"min_prompt_tokens": t.min_prompt_tokens} | {k: str(v) for k, v in t.prices}
        for t in row.long_context_tiers
    ]
    stated["long_context_tiers"] = json.dumps(tiers) if tiers else None
    return EndpointObservationRow(**stated, day=day, snapshot_id=snap_id, observed_at=observed_at)


def _record(
    con: duckdb.DuckDBPyConnection,
    item: WatchedPayload,
    snap_id: str,
    digest: str | None,
    result: WatchedResult,
) -> None:
    con.execute("delete from watched_snapshots where snapshot_id = ?", [snap_id])
    row = WatchedSnapshotRow(
        snapshot_id=snap_id,
        source=item.source.id,
        source_model_key=item.model,
        observed_at=item.observed_at,
        content_sha256=digest,
        run_id=item.run_id,
        origin=item.origin,
        url=item.url,
        etag=item.etag,
        last_modified=item.last_modified,
        **outcome_columns(result.status, result.error, "rows", result.hosts),
        unmapped_fields=sorted(result.unmapped_fields),
    )
    insert_rows(con, WATCHED_SNAPSHOTS, [row])
