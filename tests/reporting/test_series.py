"""Observed days become runs: one point per held value, broken where the series was
absent, unbroken across a day that showed only a rejected value."""

from __future__ import annotations

from datetime import date, timedelta

from reporting.series import Day, runs, worst

D0 = date(2024, 9, 1)


def d(n: int) -> date:
    return D0 + timedelta(days=n)


def test_equal_days_merge_into_one_point_and_a_change_starts_the_next() -> None:
    days = {
        d(0): Day(5.0, "confirmed", "litellm"),
        d(1): Day(5.0, "confirmed", "litellm"),
        d(2): Day(2.5, "confirmed", "litellm"),
    }
    points = runs(days, days, set())
    assert [(p.start, p.last_seen, p.value, p.joins_next) for p in points] == [
        (d(0), d(1), 5.0, True),
        (d(2), d(2), 2.5, False),
    ]


def test_an_absent_day_breaks_the_run_and_a_rejected_only_day_does_not() -> None:
    days = {
        d(0): Day(5.0, "confirmed", "x"),
        d(2): Day(5.0, "confirmed", "x"),
        d(4): Day(5.0, "confirmed", "x"),
    }
    points = runs([d(i) for i in range(5)], days, absent={d(3)})
    assert [(p.start, p.last_seen, p.joins_next) for p in points] == [
        (d(0), d(2), False),
        (d(4), d(4), False),
    ]


def test_a_single_observation_is_a_point() -> None:
    days = {d(0): Day(1.25, "pending", "genai-prices")}
    (point,) = runs(days, days, set())
    assert point.start == point.last_seen == d(0)


def test_the_worst_state_wins() -> None:
    assert worst(["confirmed", "pending"]) == "pending"
    assert worst(["pending", "disputed", "confirmed"]) == "disputed"
    assert worst([]) == "confirmed"
