"""One section of the report: a chart (or why there is none), its caption and its data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bokeh.models import LayoutDOM

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    more_rows: int = 0  # rows left out to keep the page short


@dataclass(frozen=True)
class Entry:
    """A piece of text a chart's markers link to (an alert), shown under the chart."""

    anchor: str  # the element id the marker links to
    heading: str
    body: str
    url: str = ""


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    caption: str  # one line: what the chart shows and how to read it against the thesis
    chart: LayoutDOM | None = None  # None: nothing to draw, the notes say why
    notes: tuple[str, ...] = ()  # e.g. "no data yet: <why>", assumptions, what is not drawn
    table: Table | None = None
    entries: tuple[Entry, ...] = ()
    facts: dict[str, Cell] = field(default_factory=dict)  # for --json

    @property
    def drawn(self) -> bool:
        return self.chart is not None


def skipped(id_: str, title: str, caption: str, why: str) -> Section:
    """A section with no chart, saying why."""
    return Section(id=id_, title=title, caption=caption, notes=(why,))


def table(columns: tuple[str, ...], rows: Sequence[tuple[Cell, ...]], limit: int = 40) -> Table:
    """A data table of at most `limit` rows, counting the rest."""
    return Table(columns, tuple(rows[:limit]), max(0, len(rows) - limit))
