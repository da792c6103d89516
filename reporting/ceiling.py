"""A frontier lab's context ceiling per day: the largest confirmed window of its models
(pure).

Context windows are not part of the reconciled price series, so each (source, model)
series of windows is judged here by the project's one confirmation rule
(reconcile/confirm.py, causal): a window counts from the snapshot that confirms it, a
one-day typo never does, and a model's removal counts once confirmed too. A confirmed
window holds until its source's next snapshot, for at most AGREEMENT_WINDOW (a stale
source says nothing about the day).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from reconcile.confirm import AGREEMENT_WINDOW, confirmed_timeline
from reporting.relations import Row
from reporting.series import Day, Point, Rejected, runs

GONE = Decimal(0)
UNRANKED = 100  # a source missing from source_catalog
# A value held over days: [first day, end day) (end None: still held), the value.
Span = tuple[date, date | None, Decimal | None]
Held = tuple[date, date, tuple[Decimal, int, str, str]]  # first, last, sort key


@dataclass(frozen=True)
class Merged:
    """One series' days: entries, days without a value, all observed days, rejected."""

    days: dict[date, Day]
    absent: set[date]
    observed: set[date]
    rejected: tuple[Rejected, ...]

    def points(self) -> tuple[Point, ...]:
        return runs(self.observed, self.days, self.absent)


def ceiling(
    limits: Sequence[Row], days: Mapping[str, Sequence[date]], ranks: Mapping[str, int]
) -> Merged:
    """Each observed day, the largest confirmed window any (source, model) holds, the
    better-ranked source first at equal values; the note names the model."""
    spans: dict[tuple[str, str], list[Span]] = defaultdict(list)
    for r in limits:
        tokens = Decimal(int(r["tokens"])) if r["tokens"] else None
        spans[(r["source"], r["model"])].append((r["first_day"], r["end_day"], tokens))
    held: list[Held] = []
    for (source, model), own in spans.items():
        key = (ranks.get(source, UNRANKED), source, model)
        held.extend(_confirmed_spans(on_days(own, days[source]), days[source], key))
    held.sort()
    observed = {d for (source, _), own in spans.items() for d in _from_first(own, days[source])}
    out: dict[date, Day] = {}
    live: list[Held] = []
    upcoming = 0
    # A sweep over the days with the spans in force (one max per day, not one look-up
    # per series and day: a lab has hundreds of model series).
    for day in sorted(observed):
        while upcoming < len(held) and held[upcoming][0] <= day:
            live.append(held[upcoming])
            upcoming += 1
        live = [s for s in live if s[1] >= day]
        if live:
            value, _, source, model = min(s[2] for s in live)
            out[day] = Day(float(-value), "confirmed", source, f"held by {model}")
    return Merged(out, observed - out.keys(), observed, ())


def _confirmed_spans(
    points: list[tuple[date, Decimal | None]],
    snapshots: Sequence[date],
    key: tuple[int, str, str],
) -> list[Held]:
    """Each confirmed value as (first day, last day it holds, sort key): until the
    source's next snapshot, for at most AGREEMENT_WINDOW after the last one. Days of
    one value held without a break make one span (the sweep in `ceiling` then handles
    a span per value, not one per snapshot day)."""
    out: list[Held] = []
    # A snapshot without the window is judged like a value (0): a key missing once is a
    # blip, a removal counts once confirmed.
    marked = [(d, v if v is not None else GONE) for d, v in points]
    for day, value in confirmed_timeline(marked):
        if value is None or value == GONE:
            continue
        at = bisect_left(snapshots, day) + 1
        until = day + AGREEMENT_WINDOW
        if at < len(snapshots):
            until = min(until, snapshots[at] - timedelta(days=1))
        if out and out[-1][2][0] == -value and out[-1][1] >= day - timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], until), out[-1][2])
        else:
            out.append((day, until, (-value, *key)))
    return out


def _from_first(spans: Sequence[Span], snapshots: Sequence[date]) -> Sequence[date]:
    first = min(start for start, _, _ in spans)
    return snapshots[bisect_left(snapshots, first) :]


def on_days(spans: Sequence[Span], days: Sequence[date]) -> list[tuple[date, Decimal | None]]:
    """The value in force at the end of each snapshot day from the first span on: the
    largest of the spans covering it (several keys may), None where none does."""
    out: list[tuple[date, Decimal | None]] = []
    for day in _from_first(spans, days):
        live = [v for start, end, v in spans if start <= day and (end is None or end > day)]
        stated = [v for v in live if v is not None]
        out.append((day, max(stated) if stated else None))
    return out
