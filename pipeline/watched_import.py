"""`thesis import-snapshots` of a watched-model source: saved per-model answers, loaded
as if fetched on the day their file name gives.

Each dated file is archived once and loaded for every model it answers for (a file may
hold one answer, or several keyed by model id, as some projects save them), through the
same loader as a fetch (warehouse/watched_load.py): the same checks, and the same
content of a model on the same day adds nothing, so a re-run writes nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb

from core.errors import ConfigError, SourceError
from core.progress import Progress
from extractors.watched.base import WatchedSource
from warehouse.archive import gunzip_if_needed
from warehouse.bulk import LoadResult
from warehouse.watched_load import WatchedPayload, WatchedResult, load_watched


def import_watched(
    con: duckdb.DuckDBPyConnection,
    source: WatchedSource,
    files: list[tuple[datetime, Path]],
    *,
    run_id: str | None = None,
    progress: Progress | None = None,
) -> list[LoadResult]:
    """Load each dated file for every model it answers for, oldest first; one result
    per model and file (a file that is no answer at all: one failed result)."""
    models_in = importable(source)
    out: list[LoadResult] = []
    for done, (observed_at, path) in enumerate(files, start=1):
        payload = gunzip_if_needed(path.read_bytes())
        try:
            models = models_in(payload)
        except SourceError as err:
            out.append(LoadResult(source.id, path.name, "failed", error=err))
        else:
            for model in models:
                item = WatchedPayload(
                    source, model, payload, observed_at, "import", run_id, path.name
                )
                out.append(_as_load_result(load_watched(con, item)))
        if progress:
            progress(done, len(files))
    return out


def importable(source: WatchedSource) -> Callable[[bytes], tuple[str, ...]]:
    """How to tell the models a saved payload of `source` answers for, or ConfigError."""
    if source.models_in is None:
        raise ConfigError(
            f"{source.id}: its payloads do not name their model, so saved files cannot be "
            "imported; fetch them with `thesis run`"
        )
    return source.models_in


def _as_load_result(result: WatchedResult) -> LoadResult:
    return LoadResult(
        result.source,
        result.snapshot_id,
        result.status,
        models=1,
        price_rows=result.rows_added,
        error=result.error,
        unmapped_fields=result.unmapped_fields,
    )
