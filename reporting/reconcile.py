"""Several sources' daily values made into one series with a state per day (pure).

The report's stand-in for issue #12's reconciled series, used by reporting.sheets only:

- each source's days are judged by the confirmation rule (reporting.states). A snapshot
  without the value is judged like a value too, so a key missing for one day is a blip,
  not a removal, and a removal counts once it persists;
- a source's judged value holds until its next snapshot, for at most STALE days;
- `most_trusted` takes, each day, the value of the best-ranked source holding one, and
  marks the day disputed when another holds a different value; `largest` takes the
  largest value any series holds (a lab's context ceiling over its models).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from reporting.series import Day, Point, Rejected, State, runs, worst
from reporting.states import judge

# A source's value holds until its next snapshot, but no longer than this: a stale
# source neither sets nor disputes a day's value.
STALE = timedelta(days=14)
ABSENT = "absent"  # a snapshot without the value, judged like any value
UNRANKED = 100  # a source missing from source_catalog

Points = Sequence[tuple[date, Decimal | None]]  # (observed day, value; None = absent)


@dataclass(frozen=True)
class Merged:
    """One series' days: entries, days without a value, all observed days, rejected."""

    days: dict[date, Day]
    absent: set[date]
    observed: set[date]
    rejected: tuple[Rejected, ...]

    def points(self) -> tuple[Point, ...]:
        return runs(self.observed, self.days, self.absent)


class Held:
    """A source's judged values by snapshot day, and what it holds on any later day."""

    def __init__(self, points: Points, corroborated: Iterable[date] = ()) -> None:
        marked = [(d, ABSENT if v is None else v) for d, v in points]
        self.rejected: list[tuple[date, Decimal]] = []
        kept: list[tuple[date, Decimal | None, State]] = []
        for j in judge(marked, corroborated):
            value = None if j.value == ABSENT else j.value
            assert value is None or isinstance(value, Decimal)
            if j.verdict != "rejected":
                kept.append((j.day, value, "confirmed" if j.verdict == "confirmed" else "pending"))
            elif value is not None:
                self.rejected.append((j.day, value))
        self._kept = kept
        self._days = [k[0] for k in kept]

    def spans(self) -> list[tuple[date, date, Decimal, State]]:
        """Each value as (first day, last day it holds, value, state): until the next
        snapshot that says otherwise, and no longer than STALE after it was last seen."""
        out: list[tuple[date, date, Decimal, State]] = []
        for i, (day, value, state) in enumerate(self._kept):
            if value is None:
                continue
            until = day + STALE
            if i + 1 < len(self._kept):
                until = min(until, self._kept[i + 1][0] - timedelta(days=1))
            if out and out[-1][2:] == (value, state) and out[-1][1] >= day - timedelta(days=1):
                out[-1] = (out[-1][0], until, value, state)
            else:
                out.append((day, until, value, state))
        return out

    def at(self, day: date) -> tuple[Decimal | None, State]:
        """The value and state in force on `day` (None: absent, stale or not yet seen)."""
        found = bisect_right(self._days, day)
        if not found or day - self._days[found - 1] > STALE:
            return None, "confirmed"
        _, value, state = self._kept[found - 1]
        return value, state


def most_trusted(
    by_source: Mapping[str, Points], ranks: Mapping[str, int], tolerance: float
) -> Merged:
    """Each day the best-ranked source's value; disputed when another source's value
    differs by more than `tolerance` (relative); a second source showing the very same
    value confirms it at once."""
    raw = {s: _Latest(p) for s, p in by_source.items()}
    held: dict[str, Held] = {}
    rejected: list[Rejected] = []
    for source, points in by_source.items():
        others = [r for s, r in raw.items() if s != source]
        shared = {d for d, v in points if v is not None and any(o.at(d) == v for o in others)}
        held[source] = Held(points, shared)
        rejected.extend(Rejected(d, float(v), source) for d, v in held[source].rejected)
    observed = {d for points in by_source.values() for d, _ in points}
    days: dict[date, Day] = {}
    for day in observed:
        said = sorted(
            (ranks.get(s, UNRANKED), s, value, state)
            for s, h in held.items()
            for value, state in [h.at(day)]
            if value is not None
        )
        if said:
            days[day] = _trusted(said, tolerance)
    return Merged(days, observed - days.keys(), observed, _by_day(rejected))


def largest(
    by_key: Mapping[tuple[str, str], Points], ranks: Mapping[str, int], what: str = "held by"
) -> Merged:
    """Each day the largest value any (source, label) series holds: confirmed before
    pending at equal values, then the better-ranked source. The note names the label."""
    held = {key: Held(points) for key, points in by_key.items()}
    rejected = [
        Rejected(d, float(v), source) for (source, _), h in held.items() for d, v in h.rejected
    ]
    # A sweep over the days with the spans in force (one max per day, not one look-up
    # per series and day: a lab has hundreds of model series).
    spans = sorted(
        (first, last, (-value, state != "confirmed", ranks.get(source, UNRANKED), source, label))
        for (source, label), h in held.items()
        for first, last, value, state in h.spans()
    )
    observed = {d for points in by_key.values() for d, _ in points}
    days: dict[date, Day] = {}
    live: list[tuple[date, date, tuple[Decimal, bool, int, str, str]]] = []
    upcoming = 0
    for day in sorted(observed):
        while upcoming < len(spans) and spans[upcoming][0] <= day:
            live.append(spans[upcoming])
            upcoming += 1
        live = [s for s in live if s[1] >= day]
        if live:
            value, pending, _, source, label = min(s[2] for s in live)
            note = f"{what} {label}" if label else ""
            days[day] = Day(float(-value), "pending" if pending else "confirmed", source, note)
    return Merged(days, observed - days.keys(), observed, _by_day(rejected))


def ratio(top: Merged, bottom: Merged) -> Merged:
    """top / bottom on the days both have a value; the worse state of the two."""
    days: dict[date, Day] = {}
    for day in top.days.keys() & bottom.days.keys():
        t, b = top.days[day], bottom.days[day]
        if b.value <= 0:
            continue
        source = t.source if t.source == b.source else f"{b.source} / {t.source}"
        notes = (b.note and f"bottom: {b.note}", t.note and f"top: {t.note}")
        days[day] = Day(
            round(t.value / b.value, 4),
            worst((t.state, b.state)),
            source,
            "; ".join(n for n in notes if n),
        )
    observed = top.observed | bottom.observed
    return Merged(days, observed - days.keys(), observed, ())


class _Latest:
    """A source's raw values (no judging): what it showed last, until stale."""

    def __init__(self, points: Points) -> None:
        self._points = sorted((d, v) for d, v in points)
        self._days = [d for d, _ in self._points]

    def at(self, day: date) -> Decimal | None:
        found = bisect_right(self._days, day)
        if not found or day - self._days[found - 1] > STALE:
            return None
        return self._points[found - 1][1]


def _trusted(said: list[tuple[int, str, Decimal, State]], tolerance: float) -> Day:
    _, source, value, state = said[0]
    differ = [(s, v) for _, s, v, _ in said[1:] if not close(v, value, tolerance)]
    agree = [s for _, s, v, _ in said[1:] if close(v, value, tolerance)]
    if differ:
        return Day(
            float(value),
            "disputed",
            source,
            "; ".join(f"{s} says {v.normalize():f}" for s, v in differ),
        )
    note = f"{', '.join(agree)} agree{'s' if len(agree) == 1 else ''}" if agree else ""
    return Day(float(value), state, source, note)


def close(a: Decimal, b: Decimal, tolerance: float) -> bool:
    top = max(abs(a), abs(b))
    return top == 0 or float(abs(a - b)) <= tolerance * float(top)


def _by_day(rejected: list[Rejected]) -> tuple[Rejected, ...]:
    return tuple(sorted(rejected, key=lambda r: (r.day, r.source)))
