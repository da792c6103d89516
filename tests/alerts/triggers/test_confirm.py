from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from alerts.triggers.confirm import (
    Change,
    Corroborated,
    confirmed_changes,
    confirmed_timeline,
    derived,
)

D = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(40)]


def series(*values: object) -> list[tuple[dt.date, object]]:
    return list(zip(D, values, strict=False))


def test_first_value_confirms_after_two_snapshots() -> None:
    assert confirmed_changes(series(Decimal("2.5"), Decimal("2.5"))) == [
        Change(D[0], D[1], None, Decimal("2.5"))
    ]


def test_one_day_typo_that_reverts_does_not_change_anything() -> None:
    # A real LiteLLM-style slip: $2.50 written as $25 for one release.
    points = series(Decimal("2.5"), Decimal("2.5"), Decimal("25"), Decimal("2.5"), Decimal("2.5"))
    assert [(c.old, c.new) for c in confirmed_changes(points)] == [(None, Decimal("2.5"))]


def test_change_that_persists_is_confirmed_on_its_second_snapshot() -> None:
    points = series(Decimal(5), Decimal(5), Decimal("2.5"), Decimal("2.5"))
    assert confirmed_changes(points)[-1] == Change(D[2], D[3], Decimal(5), Decimal("2.5"))


def test_a_key_that_disappears_is_not_a_change() -> None:
    points = series(Decimal(5), Decimal(5), None, None, Decimal(5), None)
    assert [(c.old, c.new) for c in confirmed_changes(points)] == [(None, Decimal(5))]


def test_value_returning_after_a_gap_with_a_new_price_is_confirmed() -> None:
    points = series(Decimal(5), Decimal(5), None, Decimal(4), Decimal(4))
    assert confirmed_changes(points)[-1] == Change(D[3], D[4], Decimal(5), Decimal(4))


def test_two_different_typos_in_a_row_do_not_confirm() -> None:
    points = series(10, 10, 11, 12, 10)
    assert [c.new for c in confirmed_changes(points)] == [10]


def test_confirm_three_needs_three_snapshots() -> None:
    assert [c.new for c in confirmed_changes(series(1, 1, 2, 2, 3, 3, 3), confirm=3)] == [3]


def test_timeline_holds_confirmed_value_per_snapshot() -> None:
    assert confirmed_timeline(series(1, 1, 9, 1, 2, 2)) == [
        (D[0], None), (D[1], 1), (D[2], 1), (D[3], 1), (D[4], 1), (D[5], 2)
    ]  # fmt: skip


@given(st.lists(st.one_of(st.none(), st.integers(0, 3)), max_size=30))
def test_every_confirmed_value_was_seen_on_two_consecutive_present_snapshots(
    values: list[int | None],
) -> None:
    points = series(*values)
    present = [v for v in values if v is not None]
    for change in confirmed_changes(points):
        assert change.old != change.new
        runs = [present[i] for i in range(1, len(present)) if present[i] == present[i - 1]]
        assert change.new in runs


def test_a_new_value_a_second_source_shows_is_confirmed_on_its_first_snapshot() -> None:
    points = Corroborated(series(Decimal(5), Decimal(5), Decimal("2.5"), Decimal("2.5")), [D[2]])
    assert confirmed_changes(points) == [
        Change(D[0], D[1], None, Decimal(5)),
        Change(D[2], D[2], Decimal(5), Decimal("2.5")),
    ]


def test_a_typo_on_a_day_another_source_corroborates_something_else_stays_unconfirmed() -> None:
    # The corroborated day is the day after: the typo reverted by then.
    points = Corroborated(series(10, 10, 30, 10, 10), [D[3]])
    assert [c.new for c in confirmed_changes(points)] == [10]


def test_a_ratio_is_corroborated_where_one_part_is_and_the_other_is_confirmed() -> None:
    inputs = Corroborated(series(Decimal(5), Decimal(5), Decimal("2.5")), [D[2]])
    outputs = series(Decimal(15), Decimal(15), Decimal(15))
    ratios = series(Decimal(3), Decimal(3), Decimal(6))
    assert derived(ratios, [inputs, outputs]).days == {D[2]}
    # An output that is itself a new, unconfirmed value on that day blocks it.
    pending = series(Decimal(15), Decimal(15), Decimal(20))
    assert derived(ratios, [inputs, pending]).days == frozenset()
    # With no second source anywhere, nothing is corroborated.
    assert derived(ratios, [series(5, 5, 2), outputs]).days == frozenset()


@given(st.lists(st.one_of(st.none(), st.integers(0, 3)), max_size=30), st.sets(st.integers(0, 29)))
def test_each_change_persisted_or_was_confirmed_on_a_corroborated_day(
    values: list[int | None], hinted: set[int]
) -> None:
    points = series(*values)
    days = {D[i] for i in hinted}
    assert confirmed_changes(Corroborated(points)) == confirmed_changes(points)
    present = [(d, v) for d, v in points if v is not None]
    persisted = {present[i] for i in range(1, len(present)) if present[i][1] == present[i - 1][1]}
    for change in confirmed_changes(Corroborated(points, days)):
        assert change.old != change.new
        assert change.confirmed_on in days or (change.confirmed_on, change.new) in persisted
