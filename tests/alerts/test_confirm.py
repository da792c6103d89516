from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from alerts.confirm import Change, confirmed_changes, confirmed_timeline

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
