"""Step lines and the running maximum (a provider's context ceiling) over dated intervals."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from reporting.step_lines import Interval, running_max, step_line

T0 = datetime(2024, 9, 1, 12, tzinfo=UTC)


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def test_contiguous_prices_draw_flat_runs_joined_at_the_change() -> None:
    # GPT-4o input: $5 until the 2024-10-03 cut, $2.50 since, observed until 10-05.
    xs, ys = step_line([Interval(day(0), day(32), 5.0), Interval(day(32), None, 2.5)], day(34))
    assert xs == [day(0), day(32), day(32), day(34)]
    assert ys == [5.0, 5.0, 2.5, 2.5]


def test_a_gap_in_the_series_breaks_the_line() -> None:
    xs, ys = step_line([Interval(day(0), day(2), 1.0), Interval(day(5), day(6), 1.0)], day(9))
    assert xs[:3] == [day(0), day(2), day(2)]
    assert math.isnan(ys[2])
    assert ys[3:] == [1.0, 1.0]


def test_ceiling_follows_the_largest_live_window() -> None:
    spans = [
        Interval(day(0), None, 128_000),  # gpt-4o
        Interval(day(3), day(10), 1_000_000),  # a model that came and went
        Interval(day(5), None, 200_000),
    ]
    assert running_max(spans, day(20)) == [
        Interval(day(0), day(3), 128_000),
        Interval(day(3), day(10), 1_000_000),
        Interval(day(10), None, 200_000),
    ]


def test_ceiling_ends_when_every_model_is_gone() -> None:
    assert running_max([Interval(day(0), day(4), 8_192)], day(9)) == [
        Interval(day(0), day(4), 8_192)
    ]


intervals = st.lists(
    st.builds(
        lambda start, length, value: Interval(
            day(start), None if length == 0 else day(start + length), float(value)
        ),
        st.integers(0, 30),
        st.integers(0, 10),
        st.integers(1, 2_000_000),
    ),
    min_size=1,
    max_size=8,
)


@given(intervals, st.integers(0, 45))
def test_ceiling_at_any_day_is_the_max_of_live_windows(spans: list[Interval], probe: int) -> None:
    at = day(probe)
    live = [s.value for s in spans if s.start <= at and (s.end is None or s.end > at)]
    ceiling = running_max(spans, day(45))
    held = [c.value for c in ceiling if c.start <= at and (c.end is None or c.end > at)]
    assert held == ([max(live)] if live else [])


def series(parts: list[tuple[int, int, int]]) -> list[Interval]:
    """One price series: back-to-back or gapped intervals, the last one possibly open."""
    out, at = [], 0
    for n, (gap, length, value) in enumerate(parts):
        start = at + gap
        last = n == len(parts) - 1
        out.append(
            Interval(
                day(start), None if last and length == 0 else day(start + length + 1), float(value)
            )
        )
        at = start + length + 1
    return out


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 5), st.integers(1, 99)), min_size=1, max_size=8
    )
)
def test_step_line_runs_forward_with_a_break_per_gap(parts: list[tuple[int, int, int]]) -> None:
    spans = series(parts)
    xs, ys = step_line(spans, day(80))
    gaps = sum(1 for gap, _, _ in parts[1:] if gap > 0)
    assert len(xs) == len(ys) == 2 * len(spans) + gaps
    assert xs == sorted(xs)
    assert sum(1 for y in ys if math.isnan(y)) == gaps
    assert [y for y in ys if not math.isnan(y)][::2] == [s.value for s in spans]
