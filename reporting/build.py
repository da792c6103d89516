"""Build the report from an open warehouse: draw each chart, write one index.html.

pipeline/report.py opens the warehouse (read-only) for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from bokeh.models import LayoutDOM

from alerts.theses.load import DEFAULT_THESES_PATH
from core.progress import Progress, part_of
from reporting import page
from reporting.band import spread_band
from reporting.charts import (
    ceilings,
    context_frontier,
    margins,
    memory,
    prices,
    roofline,
    spreads,
    throughput,
    tiers,
)
from reporting.read import Warehouse, read
from reporting.section import Section
from reporting.sheets import context_ceilings, frontier_prices, tier_thresholds
from reporting.timeline import Timeline

INDEX = "index.html"
# Charts of the static report (before #18) were PNG files beside index.html.
OLD_IMAGES = (
    "price-history",
    "spreads",
    "context-tiers",
    "context-ceilings",
    "roofline",
    "memory-vs-capex",
)


@dataclass(frozen=True)
class Report:
    index: Path
    db: str  # the warehouse, as shown to the user
    sections: tuple[Section, ...]
    size_bytes: int


def write_report(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    *,
    db_label: str,
    theses_path: Path = DEFAULT_THESES_PATH,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Report:
    """Write out_dir/index.html, one self-contained page naming the warehouse `db_label`;
    return what was made. `progress` is told after the reading, each chart and the page."""
    data, timeline = read(con), Timeline()
    charts = chart_builders(data, theses_path, timeline)
    steps = len(charts) + 2
    if progress:
        progress(1, steps)
    sections = build_sections(charts, part_of(progress, 1, steps))
    html = page.render(sections, timeline.selector(), db_label, now or datetime.now(UTC))
    index = out_dir / INDEX
    index.write_text(html, encoding="utf-8")
    for stem in OLD_IMAGES:  # an older report's images must not linger unreferenced
        (out_dir / f"{stem}.png").unlink(missing_ok=True)
    if progress:
        progress(steps, steps)
    return Report(index, db_label, sections, len(html.encode("utf-8")))


def draw(
    data: Warehouse, theses_path: Path = DEFAULT_THESES_PATH
) -> tuple[tuple[Section, ...], LayoutDOM | None]:
    """Every section in page order, and the date-range selector the time charts share."""
    timeline = Timeline()
    sections = build_sections(chart_builders(data, theses_path, timeline))
    return sections, timeline.selector()


def chart_builders(
    data: Warehouse, theses_path: Path, timeline: Timeline
) -> tuple[Callable[[], Section], ...]:
    """One call per section, in page order: each draws its chart when called."""
    price_series = frontier_prices(data.sheets)
    ceiling_series = context_ceilings(data.sheets)
    return (
        lambda: prices.build(price_series, timeline),
        lambda: spreads.build(price_series, spread_band(theses_path), data.alerts, timeline),
        lambda: tiers.build(data.tiers),
        lambda: ceilings.build(ceiling_series, timeline),
        lambda: context_frontier.build(ceiling_series, tier_thresholds(data.sheets), timeline),
        lambda: roofline.build(data.batches, data.sheets.frontier),
        lambda: margins.build(data.margins, timeline),
        lambda: throughput.build(data.hosts, timeline),
        lambda: memory.build(data.fundamentals, timeline),
    )


def build_sections(
    charts: tuple[Callable[[], Section], ...], progress: Progress | None = None
) -> tuple[Section, ...]:
    sections = []
    for done, build in enumerate(charts, start=1):
        sections.append(build())
        if progress:
            progress(done, len(charts))
    return tuple(sections)
