"""The first view of a value axis spans the values inside Tukey's fences and what the
chart must show; the note counts and names what lies outside, furthest first."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reporting.view_range import Item, Window, initial_window, outside_note


def test_a_far_value_is_left_out_of_the_first_view_and_the_rest_fill_it() -> None:
    values = [0.5, 0.6, 0.7, 0.8, 0.9, -119.0]
    window = initial_window(values, include=(0.0,))
    pad = 0.04 * 0.9  # the inside values and 0 span 0 to 0.9
    assert window == Window(pytest.approx(-pad), pytest.approx(0.9 + pad))


def test_values_the_chart_must_show_widen_the_view() -> None:
    assert initial_window([0.4, 0.5], include=(0.0, 1.0)) == Window(-0.04, 1.04)


def test_one_value_gets_a_view_around_it() -> None:
    window = initial_window([2.0])
    assert window.start < 2.0 < window.end


def test_no_values_has_no_view() -> None:
    with pytest.raises(ValueError, match="no values"):
        initial_window([])


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=60), st.floats(-10, 10))
def test_the_view_holds_what_it_must_and_the_middle_half_of_the_values(
    values: list[float], must: float
) -> None:
    window = initial_window(values, include=(must,))
    ordered = sorted(values)
    middle = ordered[len(ordered) // 4 : len(ordered) - len(ordered) // 4] or ordered
    assert window.start <= must <= window.end
    assert all(window.start <= v <= window.end for v in middle)


def test_the_note_counts_labels_outside_and_names_the_furthest_first() -> None:
    window = Window(-1.0, 1.0)
    items = [
        Item("lab a", 0.2, 0.9),
        Item("lab b", -5.0, -2.0, "priced near zero"),
        Item("lab b", -9.0, -3.0, "a later day"),  # the same model further out
        Item("lab c", -30.0, -4.0),
        Item("lab d", 0.5, 3.0),
    ]
    (note,) = outside_note(items, window, "models", lambda v: f"{v:g}", limit=2)
    assert note == (
        "Outside the first view (-1 to 1; zoom out or pan to reach them): 3 of 4 models. "
        "Furthest out: lab c -30 to -4; lab b -9 to -3 (a later day); and 1 more."
    )


def test_nothing_outside_makes_no_note() -> None:
    assert outside_note([Item("m", 0.1, 0.2)], Window(0, 1), "models", str) == ()
