"""One section of the report: a chart (or the reason there is none) and its data table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    more_rows: int = 0  # rows left out to keep the page short


@dataclass(frozen=True)
class Section:
    id: str  # also the PNG's file stem
    title: str
    lede: str  # what the chart shows and how to read it
    image: str | None = None  # file name relative to index.html; None: no chart
    alt: str = ""
    notes: tuple[str, ...] = ()  # e.g. "no data yet: <why>", assumptions
    table: Table | None = None
    facts: dict[str, Cell] = field(default_factory=dict)  # for --json


def skipped(id_: str, title: str, lede: str, why: str) -> Section:
    """A section with no chart, saying why."""
    return Section(id=id_, title=title, lede=lede, notes=(why,))


def table(columns: tuple[str, ...], rows: Sequence[tuple[Cell, ...]], limit: int = 40) -> Table:
    """A data table of at most `limit` rows, counting the rest."""
    return Table(columns, tuple(rows[:limit]), max(0, len(rows) - limit))
