"""A state for every observed value of a series, by the project's confirmation rule.

The rule is alerts.triggers.confirm's: a new value is confirmed once it persists across
`confirm` consecutive snapshots, or at once on a day a second source shows it. Read
after the fact, as the report reads history:

- confirmed: the value in force by that rule, including the first snapshots of a change
  that went on to be confirmed (the step is drawn where the price moved, not a day late);
- rejected: a value that reverted to the confirmed value before it was itself
  confirmed, such as a one-day typo. It is never drawn as a value; the report lists it;
- pending: any other unconfirmed value: the newest one, awaiting confirmation, or one
  replaced by a third value before it could be confirmed (sparse history has those).

"disputed" (two sources disagree on the same day) is the caller's to add: it needs the
other sources' values, which a single series does not have.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, Literal, TypeVar

from alerts.triggers.confirm import Corroborated, confirmed_changes, confirmed_timeline

V = TypeVar("V", bound=Hashable)
Verdict = Literal["confirmed", "pending", "rejected"]
CONFIRM_SNAPSHOTS = 2  # the shipped theses' confirm_snapshots


@dataclass(frozen=True, slots=True)
class Judged(Generic[V]):
    day: date
    value: V
    verdict: Verdict


def judge(
    points: Sequence[tuple[date, V | None]],
    corroborated: Iterable[date] = (),
    confirm: int = CONFIRM_SNAPSHOTS,
) -> list[Judged[V]]:
    """Each non-missing (day, value) with its verdict, oldest first.

    `None` is a snapshot without the value: no evidence either way (as in confirm.py).
    """
    ordered = sorted(points, key=lambda p: p[0])
    series = Corroborated(ordered, corroborated)
    in_force = dict(confirmed_timeline(series, confirm))
    present = [(d, v) for d, v in ordered if v is not None]
    confirming: set[tuple[date, V]] = set()  # the snapshots that made a change confirmed
    for change in confirmed_changes(series, confirm):
        confirming.update(
            (d, v)
            for d, v in present
            if change.first_seen <= d <= change.confirmed_on and v == change.new
        )
    following = _next_values(present)
    out: list[Judged[V]] = []
    for i, (day, value) in enumerate(present):
        if value == in_force[day] or (day, value) in confirming:
            verdict: Verdict = "confirmed"
        elif in_force[day] is not None and following[i] == in_force[day]:
            verdict = "rejected"  # went back to the confirmed value: a typo
        else:
            verdict = "pending"
        out.append(Judged(day, value, verdict))
    return out


def _next_values(present: Sequence[tuple[date, V]]) -> list[V | None]:
    """For each point, the next different value of the series (None: it never changes)."""
    out: list[V | None] = [None] * len(present)
    upcoming: V | None = None
    for i in range(len(present) - 1, -1, -1):
        out[i] = upcoming
        if i and present[i - 1][1] != present[i][1]:
            upcoming = present[i][1]
    return out
