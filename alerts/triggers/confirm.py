"""Confirmed change: a new value counts only once it persists across snapshots.

Aggregated price files carry one-day typos that revert, and keys that vanish for a while.
So a value is confirmed when `confirm` consecutive snapshots carry it (default 2), or at
once on a snapshot where another, independent source shows the same value (a
`Corroborated` series names those days); a value that reverts before either is ignored;
a snapshot without the key (None) is no evidence either way: the confirmed value stands
and no "removed" change is produced.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

V = TypeVar("V", bound=Hashable)
Point = tuple[date, V | None]


class Corroborated(list[tuple[date, V | None]]):
    """A series, plus the snapshot days on which a second source shows the same value."""

    def __init__(self, points: Iterable[tuple[date, V | None]] = (), days: Iterable[date] = ()):
        super().__init__(points)
        self.days: frozenset[date] = frozenset(days)


def corroborated_days(points: Sequence[tuple[date, object]]) -> frozenset[date]:
    return points.days if isinstance(points, Corroborated) else frozenset()


@dataclass(frozen=True, slots=True)
class Change(Generic[V]):
    """A confirmed change. `old` is None for the series' first confirmed value."""

    first_seen: date  # first snapshot carrying the new value
    confirmed_on: date  # snapshot on which it became confirmed (when an alert fires)
    old: V | None
    new: V


def confirmed_changes(points: Sequence[tuple[date, V | None]], confirm: int = 2) -> list[Change[V]]:
    """Every confirmed change of a series of (snapshot date, value), in date order."""
    corroborated = corroborated_days(points)
    changes: list[Change[V]] = []
    confirmed: V | None = None
    has_confirmed = False
    candidate: V | None = None
    first_seen: date | None = None
    streak = 0
    for day, value in sorted(points, key=lambda p: p[0]):
        if value is None:
            continue
        if has_confirmed and value == confirmed:
            candidate, streak = None, 0  # a typo that reverted
            continue
        if streak and value == candidate:
            streak += 1
        else:
            candidate, first_seen, streak = value, day, 1
        if streak >= max(confirm, 1) or day in corroborated:
            assert first_seen is not None
            changes.append(Change(first_seen, day, confirmed if has_confirmed else None, value))
            confirmed, has_confirmed, candidate, streak = value, True, None, 0
    return changes


def confirmed_timeline(
    points: Sequence[tuple[date, V | None]], confirm: int = 2
) -> list[tuple[date, V | None]]:
    """The confirmed value as of each snapshot date (None before the first confirmation)."""
    changes = confirmed_changes(points, confirm)
    out: list[tuple[date, V | None]] = []
    current: V | None = None
    i = 0
    for day in sorted({p[0] for p in points}):
        while i < len(changes) and changes[i].confirmed_on <= day:
            current = changes[i].new
            i += 1
        out.append((day, current))
    return out


def settled_days(points: Sequence[tuple[date, V | None]], confirm: int = 2) -> set[date]:
    """Days on which the series shows its confirmed value (not a pending new one)."""
    confirmed = dict(confirmed_timeline(points, confirm))
    return {day for day, value in points if value is not None and confirmed[day] == value}


def derived(
    points: Iterable[tuple[date, V | None]],
    parts: Sequence[Sequence[tuple[date, Hashable | None]]],
    confirm: int = 2,
) -> Corroborated[V]:
    """A series computed from `parts` (a ratio of two prices) is corroborated on a day
    when a second source corroborates one of its parts that day and every part then
    shows its confirmed value: the derived value follows from confirmed values only."""
    hinted = frozenset[date]().union(*(corroborated_days(p) for p in parts))
    if not hinted:
        return Corroborated(points)
    settled = [settled_days(p, confirm) for p in parts]
    return Corroborated(points, (d for d in hinted if all(d in s for s in settled)))
