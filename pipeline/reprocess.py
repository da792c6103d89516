"""`thesis reprocess`: rebuild observations from the archived raw payloads with the
current parsers (after a parser fix), one transaction per source."""

from __future__ import annotations

from pathlib import Path

from core.progress import Progress, part_of
from extractors.registry import select
from warehouse.db import connection
from warehouse.load import rebuild_source, snapshot_counts


def reprocess(
    db: Path | str | None, source_ids: list[str] | None, *, progress: Progress | None = None
) -> dict[str, dict[str, int]]:
    """Rebuild each chosen source (default: all); per source, what its snapshots gave.
    `progress` is told after each snapshot, counted over all the chosen sources."""
    sources = select(source_ids)
    doc = {}
    with connection(db) as con:
        total = sum(snapshot_counts(con, [s.id for s in sources]).values())
        done = 0
        for source in sources:
            results = rebuild_source(con, source, progress=part_of(progress, done, total))
            done += len(results)
            doc[source.id] = {
                "snapshots": len(results),
                "loaded": sum(r.status == "loaded" for r in results),
                "failed": sum(r.status == "failed" for r in results),
                "rows": sum(r.rows_added for r in results),
            }
    return doc
