"""Build the report from an open warehouse: draw each chart, write index.html.

pipeline/report.py opens the warehouse (read-only) for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import duckdb

from alerts.theses.load import DEFAULT_THESES_PATH
from reporting import page
from reporting.charts import ceilings, memory, prices, roofline, spreads, tiers
from reporting.section import Section

Chart = Callable[[duckdb.DuckDBPyConnection, Path], Section]
INDEX = "index.html"


@dataclass(frozen=True)
class Report:
    index: Path
    db: str  # the warehouse, as shown to the user
    sections: tuple[Section, ...]


def charts(theses_path: Path = DEFAULT_THESES_PATH) -> list[Chart]:
    """Every chart of the page, in page order."""
    return [
        prices.build,
        partial(spreads.build, theses_path=theses_path),
        tiers.build,
        ceilings.build,
        roofline.build,
        memory.build,
    ]


def write_report(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    *,
    db_label: str,
    theses_path: Path = DEFAULT_THESES_PATH,
    now: datetime | None = None,
) -> Report:
    """Draw every chart that has data into the folder `out_dir`, write its index.html
    naming the warehouse `db_label`; return what was made."""
    sections = tuple(chart(con, out_dir) for chart in charts(theses_path))
    for section in sections:
        if section.image is None:  # a chart from an earlier run must not linger unreferenced
            (out_dir / f"{section.id}.png").unlink(missing_ok=True)
    generated = now or datetime.now(UTC)
    index = out_dir / INDEX
    index.write_text(page.render(sections, db_label, generated), encoding="utf-8")
    return Report(index, db_label, sections)
