"""The one confirmation rule (reconcile/confirm.py), checked against a step-by-step
reading of it over random histories, and for causality."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from reconcile.confirm import (
    Change,
    Run,
    confirmations,
    confirmed_as_of,
    confirmed_changes,
    confirmed_on_day,
)

START = date(2025, 1, 1)
values = st.lists(st.one_of(st.none(), st.sampled_from([1, 2, 3])), min_size=0, max_size=25)


def _stepwise(points: list[tuple[date, int | None]], confirm: int) -> list[Change[int]]:
    """The rule snapshot by snapshot: a streak of `confirm` equal values confirms; a
    return to the confirmed value resets the candidate; a missing key is no evidence."""
    out: list[Change[int]] = []
    confirmed: int | None = None
    candidate: int | None = None
    first = START
    streak = 0
    for day, value in points:
        if value is None:
            continue
        if out and value == confirmed:
            candidate, streak = None, 0
            continue
        if streak and value == candidate:
            streak += 1
        else:
            candidate, first, streak = value, day, 1
        if streak >= confirm:
            out.append(Change(first, day, confirmed if out else None, value))
            confirmed, candidate, streak = value, None, 0
    return out


def _points(seq: list[int | None]) -> list[tuple[date, int | None]]:
    return [(START + timedelta(days=i), v) for i, v in enumerate(seq)]


@given(values, st.integers(min_value=1, max_value=4))
def test_runs_and_points_follow_the_stepwise_rule(seq: list[int | None], confirm: int) -> None:
    points = _points(seq)
    assert confirmed_changes(points, confirm) == _stepwise(points, confirm)
    runs = [Run(v, [d]) for d, v in points]
    assert confirmations(runs, confirm) == _stepwise(points, confirm)


@given(values, st.integers(min_value=0, max_value=30))
def test_a_later_snapshot_never_confirms_an_earlier_day(seq: list[int | None], cut: int) -> None:
    points = _points(seq)
    day = START + timedelta(days=cut)
    runs = [Run(v, [d]) for d, v in points]
    earlier = [Run(v, [d]) for d, v in points if d <= day]
    assert confirmed_as_of(runs, day) == confirmed_as_of(earlier, day)


@given(
    st.lists(st.tuples(st.one_of(st.none(), st.sampled_from([1, 2, 3])), st.integers(0, 3))),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=1, max_value=4),
)
def test_the_confirmations_computed_once_give_the_value_confirmed_on_any_day(
    spans: list[tuple[int | None, int]], cut: int, confirm: int
) -> None:
    runs, at = [], 0
    for value, length in spans:  # runs of several snapshots, some empty
        runs.append(Run(value, [START + timedelta(days=at + i) for i in range(length)]))
        at += length
    day = START + timedelta(days=cut)
    once = confirmations(runs, confirm)
    assert confirmed_on_day(once, day) == confirmed_as_of(runs, day, confirm)


def test_a_one_day_typo_is_never_confirmed_and_a_persisting_cut_is() -> None:
    points = _points([3, 3, 30, 3, 3, 2, 2])
    changes = confirmed_changes(points)
    assert [(c.old, c.new) for c in changes] == [(None, 3), (3, 2)]
    assert changes[1].confirmed_on == START + timedelta(days=6)
