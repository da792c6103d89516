"""Confirmed change: a new value counts only once it persists across snapshots.

Aggregated price files carry one-day typos that revert, and keys that vanish for a while.
So a value is confirmed when `confirm` consecutive snapshots carry it (default 2); a
value that reverts before that is ignored; a snapshot without the key (None) is no
evidence either way: the confirmed value stands and no "removed" change is produced.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

V = TypeVar("V", bound=Hashable)
Point = tuple[date, V | None]


@dataclass(frozen=True, slots=True)
class Change(Generic[V]):
    """A confirmed change. `old` is None for the series' first confirmed value."""

    first_seen: date  # first snapshot carrying the new value
    confirmed_on: date  # snapshot on which it became confirmed (when an alert fires)
    old: V | None
    new: V


def confirmed_changes(points: Sequence[tuple[date, V | None]], confirm: int = 2) -> list[Change[V]]:
    """Every confirmed change of a series of (snapshot date, value), in date order."""
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
        if streak >= max(confirm, 1):
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
