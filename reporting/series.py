"""The typed series the charts draw: runs of one value with a state, and how they are made.

A `Point` is one value in force from `start` to `last_seen` (UTC days, inclusive) as
the observed days show it, with its state:

- confirmed: the confirmation rule (reconcile/confirm.py) says the value held;
- pending: a value the rule has not confirmed on that day;
- disputed: on that day another source states a different value.

Days are merged into runs so a price held for a year is one point, not 365. `joins_next`
says whether the series had a value on every observed day up to the next point: a chart
steps from one to the next, or breaks the line where the series was absent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

State = Literal["confirmed", "pending", "disputed"]
SEVERITY: dict[State, int] = {"confirmed": 0, "pending": 1, "disputed": 2}


@dataclass(frozen=True, slots=True)
class Day:
    """What one observed day of a series says."""

    value: float
    state: State
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Point:
    start: date
    last_seen: date
    value: float
    state: State
    source: str
    note: str = ""
    joins_next: bool = False


@dataclass(frozen=True, slots=True)
class Rejected:
    """A value seen but never confirmed, which reverted: not drawn, said in words."""

    day: date
    value: float
    source: str


@dataclass(frozen=True)
class Series:
    provider: str
    model: str  # empty for a provider-wide series (a context ceiling)
    metric: str  # input | output | output/input | context ceiling | tier from ...
    unit: str  # USD/Mtok | x | tokens
    points: tuple[Point, ...]
    rejected: tuple[Rejected, ...] = ()
    keys: tuple[str, ...] = ()  # the source keys read, as source:key

    @property
    def label(self) -> str:
        return f"{self.provider} {self.model}".strip()


def runs(
    observed: Iterable[date], days: Mapping[date, Day], absent: set[date]
) -> tuple[Point, ...]:
    """Consecutive observed days with the same value, state, source and note, as points.

    A day in `absent` (the series was observed without a value) ends a run; an observed
    day with no entry (only a rejected value was seen) does not: the run goes on.
    """
    points: list[Point] = []
    start: date | None = None
    last: date | None = None
    held: Day | None = None
    for day in sorted(set(observed)):
        entry = days.get(day)
        if day in absent or (entry is not None and held is not None and _differs(entry, held)):
            if held is not None and start is not None and last is not None:
                points.append(_point(start, last, held, joins=day not in absent))
            held = start = last = None
        if entry is None:
            continue
        if held is None:
            start, held = day, entry
        last = day
    if held is not None and start is not None and last is not None:
        points.append(_point(start, last, held, joins=False))
    return tuple(points)


def worst(states: Iterable[State]) -> State:
    return max(states, key=lambda s: SEVERITY[s], default="confirmed")


def _differs(a: Day, b: Day) -> bool:
    return (a.value, a.state, a.source, a.note) != (b.value, b.state, b.source, b.note)


def _point(start: date, last: date, day: Day, *, joins: bool) -> Point:
    return Point(start, last, day.value, day.state, day.source, day.note, joins)
