"""Build the report: read the warehouse (read-only), draw each chart, write index.html."""

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
from warehouse.db import connection
from warehouse.target import parse_target

Chart = Callable[[duckdb.DuckDBPyConnection, Path], Section]
INDEX = "index.html"


@dataclass(frozen=True)
class Report:
    index: Path
    db: str  # the warehouse, as shown to the user
    sections: tuple[Section, ...]

    def images(self) -> list[Path]:
        return [self.index.parent / s.image for s in self.sections if s.image]


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


def build_report(
    db: Path | str | None,
    out_dir: Path,
    *,
    theses_path: Path = DEFAULT_THESES_PATH,
    now: datetime | None = None,
) -> Report:
    """Write out_dir/index.html and one PNG per chart that has data; return what was made."""
    target = parse_target(db)
    out_dir.mkdir(parents=True, exist_ok=True)
    with connection(target.location, read_only=True) as con:
        sections = tuple(chart(con, out_dir) for chart in charts(theses_path))
    for section in sections:
        if section.image is None:  # a chart from an earlier run must not linger unreferenced
            (out_dir / f"{section.id}.png").unlink(missing_ok=True)
    generated = now or datetime.now(UTC)
    index = out_dir / INDEX
    index.write_text(page.render(sections, str(target), generated), encoding="utf-8")
    return Report(index, str(target), sections)
