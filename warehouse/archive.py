"""The raw payload archive: every payload kept once, by content hash, gzip-compressed."""

from __future__ import annotations

import gzip
import hashlib
from datetime import datetime

import duckdb

from warehouse.tables import RAW_SNAPSHOTS, RawSnapshotRow
from warehouse.write import insert_rows

GZIP_MAGIC = b"\x1f\x8b"
ENCODING = "gzip"  # how raw_snapshots.payload is stored


# On a 3 MB LiteLLM file level 3 takes 14 ms, 35% more bytes than level 6's 34 ms: the
# archive is written once per new payload, and an import's cost is mostly this.
COMPRESS_LEVEL = 3


def compress(payload: bytes) -> bytes:
    """The archive's form of a payload (mtime 0: the same bytes give the same blob)."""
    return gzip.compress(payload, compresslevel=COMPRESS_LEVEL, mtime=0)


def sha256(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def gunzip_if_needed(data: bytes) -> bytes:
    """Imported files may be gzipped or plain; the archive hashes the plain bytes."""
    return gzip.decompress(data) if data[:2] == GZIP_MAGIC else data


def raw_row(
    source: str, payload: bytes, seen_at: datetime, digest: str, gz: bytes | None = None
) -> RawSnapshotRow:
    """The archive's row of `payload`; `gz` is the payload already compressed, if at hand."""
    return RawSnapshotRow(
        content_sha256=digest,
        source=source,
        first_seen_at=seen_at,
        size_bytes=len(payload),
        encoding=ENCODING,
        payload=gz if gz is not None else compress(payload),
    )


def store_raw(
    con: duckdb.DuckDBPyConnection,
    source: str,
    payload: bytes,
    seen_at: datetime,
    *,
    digest: str | None = None,
    gz: bytes | None = None,
) -> str:
    """Archive `payload` unless its hash is already there; return the hash.

    `gz` lets a caller hand over bytes it already has compressed (an imported .gz
    file), which saves compressing it again.
    """
    digest = digest or sha256(payload)
    exists = con.execute(
        "select 1 from raw_snapshots where content_sha256 = ?", [digest]
    ).fetchone()
    if exists is None:
        insert_rows(con, RAW_SNAPSHOTS, [raw_row(source, payload, seen_at, digest, gz)])
    return digest


def read_raw(con: duckdb.DuckDBPyConnection, digest: str) -> bytes:
    row = con.execute(
        "select encoding, payload from raw_snapshots where content_sha256 = ?", [digest]
    ).fetchone()
    if row is None:
        raise KeyError(f"no raw snapshot with hash {digest}")
    encoding, blob = row
    if encoding != ENCODING:
        raise ValueError(f"raw snapshot {digest} has unknown encoding {encoding!r}")
    return gzip.decompress(bytes(blob))
