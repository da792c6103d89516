"""The one confirmation rule: a new value counts only once it persists, or a second
source shows it.

Aggregated price files carry one-day typos that revert, and keys that vanish for a while.
So a value is confirmed when `confirm` consecutive snapshots of its source carry it
(CONFIRM_SNAPSHOTS), or at once on a snapshot day where another, independent source shows
the same value (a `Corroborated` series names those days); a value that reverts before
either is ignored, and a return to the confirmed value is no change; a snapshot without
the key (None) is no evidence either way. The rule is causal: a day is judged on the
snapshots up to it only. Triggers, the report and the reconciled price series
(reconcile/series.py) all apply it; docs/warehouse.md states it once.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from typing import Generic, TypeVar

V = TypeVar("V", bound=Hashable)
Point = tuple[date, V | None]
CONFIRM_SNAPSHOTS = 2
# Another source's value counts (agrees, or disagrees) while its snapshot is this recent.
AGREEMENT_WINDOW = timedelta(days=7)


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


@dataclass(frozen=True, slots=True)
class Run(Generic[V]):
    """A value a source carried on consecutive snapshots (`days`, one per snapshot, in
    order); None: the key was missing from them."""

    value: V | None
    days: Sequence[date]


def _merged(runs: Iterable[Run[V]]) -> list[tuple[V, list[date]]]:
    """Runs without the missing ones (no evidence), equal neighbours joined."""
    out: list[tuple[V, list[date]]] = []
    for run in runs:
        if run.value is None or not run.days:
            continue
        if out and out[-1][0] == run.value:
            out[-1][1].extend(run.days)
        else:
            out.append((run.value, list(run.days)))
    return out


def confirmations(
    runs: Iterable[Run[V]],
    confirm: int = CONFIRM_SNAPSHOTS,
    corroborated: frozenset[date] = frozenset(),
) -> list[Change[V]]:
    """Every confirmed change of a series given as runs in time order: THE rule."""
    changes: list[Change[V]] = []
    confirmed: V | None = None
    for value, days in _merged(runs):
        if changes and value == confirmed:
            continue  # a typo that reverted, or a key that came back
        persisted = days[max(confirm, 1) - 1] if len(days) >= max(confirm, 1) else None
        seen_twice = next((d for d in days if d in corroborated), None) if corroborated else None
        found = [d for d in (persisted, seen_twice) if d is not None]
        if found:
            changes.append(Change(days[0], min(found), confirmed if changes else None, value))
            confirmed = value
    return changes


def confirmed_changes(points: Sequence[tuple[date, V | None]], confirm: int = 2) -> list[Change[V]]:
    """Every confirmed change of a series of (snapshot date, value), in date order."""
    ordered = sorted(points, key=lambda p: p[0])
    runs = [Run(value, [day]) for day, value in ordered]
    return confirmations(runs, confirm, corroborated_days(points))


def confirmed_as_of(
    runs: Iterable[Run[V]], day: date, confirm: int = CONFIRM_SNAPSHOTS
) -> V | None:
    """The confirmed value on `day`, from the snapshots up to it only (causal)."""
    upto = [Run(r.value, [d for d in r.days if d <= day]) for r in runs]
    changes = confirmations(upto, confirm)
    return changes[-1].new if changes else None


_CONFIRMED_ON = attrgetter("confirmed_on")


def confirmed_on_day(changes: Sequence[Change[V]], day: date) -> V | None:
    """`confirmed_as_of` from the series' `confirmations` computed once: the rule is
    causal, so the value confirmed on `day` is that of the last change confirmed by then."""
    at = bisect_right(changes, day, key=_CONFIRMED_ON)
    return changes[at - 1].new if at else None


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
