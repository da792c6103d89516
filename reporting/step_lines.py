"""Dated intervals to plottable step lines, and the running maximum over overlapping ones."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Interval:
    """`value` held from `start` until `end` (exclusive); end None: still current."""

    start: datetime
    end: datetime | None
    value: float


def step_line(intervals: Iterable[Interval], until: datetime) -> tuple[list[datetime], list[float]]:
    """Points of a step line: flat across each interval, vertical at changes, a break
    (NaN) where the series was absent. Open intervals run to `until`."""
    xs: list[datetime] = []
    ys: list[float] = []
    last_end: datetime | None = None
    for item in sorted(intervals, key=lambda i: i.start):
        end = item.end or max(until, item.start)
        if last_end is not None and item.start > last_end:
            xs.append(last_end)
            ys.append(math.nan)
        xs.extend((item.start, end))
        ys.extend((item.value, item.value))
        last_end = end
    return xs, ys


def running_max(intervals: Sequence[Interval], until: datetime) -> list[Interval]:
    """The highest value held at each moment, as intervals that change only when it does.

    Used for a provider's context ceiling: the largest window any of its models offers.
    """
    if not intervals:
        return []
    times = sorted({i.start for i in intervals} | {i.end for i in intervals if i.end})
    times = [t for t in times if t <= until] or [min(i.start for i in intervals)]
    out: list[Interval] = []
    for at, nxt in zip(times, [*times[1:], None], strict=True):
        live = [i.value for i in intervals if i.start <= at and (i.end is None or i.end > at)]
        if not live:
            continue
        top = max(live)
        if out and out[-1].value == top and out[-1].end == at:
            out[-1] = Interval(out[-1].start, nxt, top)
        else:
            out.append(Interval(at, nxt, top))
    return out
