"""`thesis import-snapshots`: load a directory of dated payloads as history.

A watched-model source's saved answers (OpenRouter's per-host endpoints) load through
pipeline/watched_import.py; a price source's files as below.

Files are dated by their names and loaded oldest first through the warehouse's bulk
loader; history older than what is already loaded is staged and the source rebuilt
from its start, so the order of imports never changes the observations.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import duckdb

from core.errors import ThesisError
from core.gc_pacing import paced_collection
from core.progress import Progress
from extractors.base import Source
from extractors.registry import WATCHED, get_source
from pipeline.watched_import import import_watched, importable
from warehouse import runs
from warehouse.archive import GZIP_MAGIC, gunzip_if_needed, sha256
from warehouse.bulk import BulkLoader
from warehouse.db import connection
from warehouse.load import (
    LoadResult,
    Payload,
    has_later_snapshot,
    rebuild_source,
    stage_payload,
)

# 2023-11-03T171521_..., 2023-11-03T17:15:21Z..., 2023-11-03_..., 20231103...
_DATED = re.compile(
    r"^(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:[T_ ]?(?P<H>\d{2}):?(?P<M>\d{2}):?(?P<S>\d{2})?)?"
)


@dataclass(slots=True)
class ImportResult:
    results: list[LoadResult] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    # Files read, when a file holds several results (a watched source's file answers for
    # several models); None: one result per file.
    files: int | None = None

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    def summary(self, source: str) -> dict[str, Any]:
        """The import's outcome, as the run record and `--json` show it."""
        doc: dict[str, Any] = {
            "source": source,
            "files": len(self.results) if self.files is None else self.files,
            "loaded": self.count("loaded"),
            "unchanged": self.count("unchanged"),
            "failed": [
                {"snapshot_id": r.snapshot_id, "error": str(r.error)}
                for r in self.results
                if r.status == "failed"
            ],
            "rows_added": sum(r.rows_added for r in self.results),
            "skipped_files": self.skipped_files,
        }
        if self.files is not None:
            doc["answers"] = len(self.results)  # loaded + unchanged + failed count these
        return doc


def import_history(
    db: Path | str | None, source_id: str, folder: Path, *, progress: Progress | None = None
) -> dict[str, Any]:
    """`thesis import-snapshots`: import `folder` under a run of its own; its summary."""
    # An unknown or unimportable source fails before the warehouse opens.
    if source_id in WATCHED:
        importable(WATCHED[source_id])
    else:
        get_source(source_id)
    with connection(db) as con:
        run_id = runs.start_run(con, "import")
        with runs.closed_if_stopped(con, run_id):
            result = _import(con, source_id, folder, run_id, progress)
        doc = result.summary(source_id)
        runs.finish_run(con, run_id, "ok" if result.count("failed") == 0 else "partial", doc)
    return doc


def _import(
    con: duckdb.DuckDBPyConnection,
    source_id: str,
    folder: Path,
    run_id: str,
    progress: Progress | None,
) -> ImportResult:
    watched = WATCHED.get(source_id)
    if watched is None:
        source = get_source(source_id)
        return import_snapshots(con, source, folder, run_id=run_id, progress=progress)
    files, undated = dated_files(folder)
    loaded = import_watched(con, watched, files, run_id=run_id, progress=progress)
    return ImportResult(loaded, undated, files=len(files))


def observed_at_from_name(name: str) -> datetime | None:
    """The UTC time a file name starts with, or None if it does not start with a date."""
    match = _DATED.match(name)
    if not match:
        return None
    parts = {k: int(v) if v else 0 for k, v in match.groupdict().items()}
    try:
        return datetime(
            parts["y"], parts["m"], parts["d"], parts["H"], parts["M"], parts["S"], tzinfo=UTC
        )
    except ValueError:
        return None


def dated_files(folder: Path) -> tuple[list[tuple[datetime, Path]], list[str]]:
    """Files under `folder` in date order, and the names that carry no date."""
    if not folder.is_dir():
        raise ThesisError(f"{folder} is not a directory of snapshot files")
    dated, undated = [], []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        when = observed_at_from_name(path.name)
        if when is None:
            undated.append(path.name)
        else:
            dated.append((when, path))
    dated.sort(key=lambda item: (item[0], item[1].name))
    return dated, undated


def import_snapshots(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    folder: Path,
    *,
    run_id: str | None = None,
    progress: Progress | None = None,
    batch_size: int = 100,
) -> ImportResult:
    """Load every dated file of `folder`, oldest first; already-loaded ones add nothing.
    `progress` is told after each file; `batch_size` files share a transaction (and one
    refresh of the reconciled series)."""
    files, undated = dated_files(folder)
    out = ImportResult(skipped_files=undated)
    if files and has_later_snapshot(con, source.id, files[0][0]):
        return _import_before_existing(con, source, files, run_id, out, progress)
    loader = BulkLoader(con, source, batch_size=batch_size)
    with paced_collection():
        for done, item in enumerate(_read_ahead(source, files, run_id), start=1):
            out.results.append(loader.add(item))
            if progress:
                progress(done, len(files))
        loader.flush()
    return out


READ_AHEAD = 2  # files read (and hashed) before the loader asks for them


def _read_ahead(
    source: Source, files: list[tuple[datetime, Path]], run_id: str | None
) -> Iterator[Payload]:
    """Each file's payload in order, read, unzipped and hashed on a worker thread while
    the loader parses the ones before (reading, zlib and hashing let go of the GIL)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="thesis-read") as pool:
        ahead: deque[Future[Payload]] = deque()
        queue = iter(files)
        for observed_at, path in islice(queue, READ_AHEAD):
            ahead.append(pool.submit(_read_item, source, observed_at, path, run_id))
        while ahead:
            item = ahead.popleft().result()
            for observed_at, path in islice(queue, 1):
                ahead.append(pool.submit(_read_item, source, observed_at, path, run_id))
            yield item


def _read_item(source: Source, observed_at: datetime, path: Path, run_id: str | None) -> Payload:
    raw = path.read_bytes()
    payload = gunzip_if_needed(raw)
    return Payload(
        source,
        payload,
        observed_at,
        origin="import",
        run_id=run_id,
        url=path.name,
        gz=raw if raw[:2] == GZIP_MAGIC else None,
        digest=sha256(payload),
    )


def _import_before_existing(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    files: list[tuple[datetime, Path]],
    run_id: str | None,
    out: ImportResult,
    progress: Progress | None,
) -> ImportResult:
    """History older than what is loaded: stage it all, then rebuild once from its start
    (`progress` counts the files staged; the rebuild follows)."""
    staged: dict[str, datetime] = {}
    for done, item in enumerate(_read_ahead(source, files, run_id), start=1):
        snap_id = stage_payload(con, item)
        if snap_id is None:
            out.results.append(LoadResult(source.id, item.url or "", "unchanged"))
        else:
            staged[snap_id] = item.observed_at
        if progress:
            progress(done, len(files))
    if staged:
        rebuilt = rebuild_source(con, source, since=min(staged.values()))
        out.results.extend(r for r in rebuilt if r.snapshot_id in staged)
    return out
