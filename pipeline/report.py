"""`thesis report`: one interactive, self-contained HTML page drawn by reporting/ from
the warehouse, opened read-only for the drawing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from alerts.theses.load import DEFAULT_THESES_PATH
from core.progress import Progress
from reporting.build import Report, write_report
from warehouse.db import connection
from warehouse.target import parse_target


def build_report(
    db: Path | str | None,
    out_dir: Path,
    *,
    theses_path: Path = DEFAULT_THESES_PATH,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Report:
    """Write out_dir/index.html (every chart, offline); return what was made. `progress`
    is told after the reading, each chart and the page."""
    target = parse_target(db)
    out_dir.mkdir(parents=True, exist_ok=True)
    with connection(target.location, read_only=True) as con:
        return write_report(
            con, out_dir, db_label=str(target), theses_path=theses_path, now=now, progress=progress
        )
