"""The drawn line joins confirmed values only, holds them across pending and disputed
days, breaks where the series was absent; every point that is not a mere continuation
gets a marker, so a single observation is visible."""

from __future__ import annotations

from datetime import date, timedelta

from reporting.draw import _marked, number, segments
from reporting.figures import ms
from reporting.series import Point, State

D0 = date(2024, 9, 1)


def p(start: int, last: int, value: float, state: State = "confirmed", joins: bool = True) -> Point:
    return Point(
        D0 + timedelta(days=start), D0 + timedelta(days=last), value, state, "litellm", "", joins
    )


def x(n: int) -> float:
    return ms(D0 + timedelta(days=n))


def lines(points: list[Point]) -> list[tuple[float, float, float, float]]:
    return [(x0, y0, x1, y1) for x0, y0, x1, y1, _ in segments(points)]


def test_a_step_at_each_confirmed_change() -> None:
    assert lines([p(0, 31, 5.0), p(32, 34, 2.5, joins=False)]) == [
        (x(0), 5.0, x(32), 5.0),
        (x(32), 5.0, x(32), 2.5),
        (x(32), 2.5, x(34), 2.5),
    ]


def test_the_confirmed_price_holds_across_a_pending_newest_value() -> None:
    assert lines([p(0, 9, 5.0), p(10, 10, 4.0, "pending", joins=False)]) == [
        (x(0), 5.0, x(10), 5.0)
    ]


def test_the_confirmed_price_holds_across_a_disputed_day() -> None:
    points = [p(0, 4, 3.0), p(5, 5, 3.0, "disputed"), p(6, 9, 3.0, joins=False)]
    assert lines(points) == [(x(0), 3.0, x(6), 3.0), (x(6), 3.0, x(9), 3.0)]


def test_the_line_breaks_where_the_series_was_absent() -> None:
    assert lines([p(0, 2, 1.0, joins=False), p(5, 6, 2.0, joins=False)]) == [
        (x(0), 1.0, x(2), 1.0),
        (x(5), 2.0, x(6), 2.0),  # no vertical joins them
    ]


def test_nothing_confirmed_draws_no_line() -> None:
    assert lines([p(0, 0, 30.0, "pending", joins=False)]) == []


def test_markers_where_the_line_cannot_speak() -> None:
    points = [p(0, 3, 3.0), p(4, 4, 2.0), p(5, 5, 2.5, "pending"), p(6, 6, 2.5, "disputed")]
    single = [p(0, 0, 1.25, joins=False)]
    assert [_marked(points, i) for i in range(4)] == [False, False, True, True]
    assert _marked(single, 0)  # a confirmed value seen once: a line of no length


def test_numbers_are_written_plainly() -> None:
    assert (number(1000000.0), number(0.125), number(2.5)) == ("1,000,000", "0.125", "2.5")
