"""`thesis reprocess`: rebuild observations from the archived raw payloads with the
current parsers (after a parser fix), one transaction per source."""

from __future__ import annotations

from pathlib import Path

from extractors.registry import select
from warehouse.db import connection
from warehouse.load import rebuild_source


def reprocess(db: Path | str | None, source_ids: list[str] | None) -> dict[str, dict[str, int]]:
    """Rebuild each chosen source (default: all); per source, what its snapshots gave."""
    sources = select(source_ids)
    doc = {}
    with connection(db) as con:
        for source in sources:
            results = rebuild_source(con, source)
            doc[source.id] = {
                "snapshots": len(results),
                "loaded": sum(r.status == "loaded" for r in results),
                "failed": sum(r.status == "failed" for r in results),
                "rows": sum(r.rows_added for r in results),
            }
    return doc
