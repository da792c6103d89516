"""Fetched payloads wait on disk until the warehouse has loaded them.

The daily run fetches before it opens the warehouse. If an analyst holds the DuckDB file
and the run gives up waiting, the payloads stay here and the next run loads them first,
in fetch order: nothing fetched is lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warehouse.archive import sha256
from warehouse.storage import is_full, storage_full
from warehouse.target import parse_target


@dataclass(frozen=True, slots=True)
class Spooled:
    source: str
    path: Path
    fetched_at: datetime
    url: str
    etag: str | None
    last_modified: str | None
    key: str | None = None  # the model a watched-model source fetched this payload for

    def payload(self) -> bytes:
        return self.path.read_bytes()

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
        self.path.with_suffix(".json").unlink(missing_ok=True)


def spool_dir(db: Path | str | None) -> Path:
    """The spool of the warehouse `db` names (see warehouse.target.Target.spool_dir)."""
    return parse_target(db).spool_dir()


def put(
    root: Path,
    source: str,
    payload: bytes,
    fetched_at: datetime,
    url: str,
    etag: str | None = None,
    last_modified: str | None = None,
    key: str | None = None,
) -> Spooled:
    """Write the payload, then its metadata; the metadata file marks it complete.
    A full disk is StorageFull (the half-written files are removed)."""
    try:
        return _put(root, source, payload, fetched_at, url, etag, last_modified, key)
    except OSError as exc:
        if not is_full(exc):
            raise
        _remove_partial(root / source)
        raise storage_full(source, root, len(payload) + 4096) from None


def _put(
    root: Path,
    source: str,
    payload: bytes,
    fetched_at: datetime,
    url: str,
    etag: str | None,
    last_modified: str | None,
    key: str | None,
) -> Spooled:
    folder = root / source
    folder.mkdir(parents=True, exist_ok=True)
    # Two models' answers fetched in one microsecond may carry the same bytes.
    salt = sha256(key.encode())[:8] + "_" if key else ""
    stem = f"{fetched_at:%Y%m%dT%H%M%S%fZ}_{salt}{sha256(payload)[:12]}"
    path = folder / f"{stem}.bin"
    _atomic_write(path, payload)
    meta = {
        "source": source,
        "fetched_at": fetched_at.isoformat(),
        "url": url,
        "etag": etag,
        "last_modified": last_modified,
        "key": key,
    }
    _atomic_write(path.with_suffix(".json"), json.dumps(meta).encode())
    return Spooled(source, path, fetched_at, url, etag, last_modified, key)


def pending(root: Path, source: str) -> list[Spooled]:
    """Complete spooled payloads of a source, oldest first (half-written ones ignored)."""
    folder = root / source
    if not folder.is_dir():
        return []
    found = []
    for meta_path in sorted(folder.glob("*.json")):
        data_path = meta_path.with_suffix(".bin")
        if not data_path.exists():
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        found.append(
            Spooled(
                source,
                data_path,
                datetime.fromisoformat(meta["fetched_at"]),
                meta.get("url") or "",
                meta.get("etag"),
                meta.get("last_modified"),
                meta.get("key"),
            )
        )
    return sorted(found, key=lambda s: s.fetched_at)


def _remove_partial(folder: Path) -> None:
    """Temporary files and payloads without metadata: what a failed `put` may leave."""
    for tmp in folder.glob("*.tmp"):
        tmp.unlink(missing_ok=True)
    for data in folder.glob("*.bin"):
        if not data.with_suffix(".json").exists():
            data.unlink(missing_ok=True)


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
