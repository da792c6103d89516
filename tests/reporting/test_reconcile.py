"""Several sources' daily values become one series: the most trusted source sets the
value, a disagreeing one makes the day disputed, a stale one loses, and a key missing
for one snapshot is a blip, not a removal."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from reporting.reconcile import largest, most_trusted, ratio
from reporting.series import Point

D0 = date(2026, 8, 1)
RANKS = {"genai-prices": 10, "litellm": 20, "openrouter": 30}


def on(*values: str | None, start: int = 0) -> list[tuple[date, Decimal | None]]:
    return [
        (D0 + timedelta(days=start + i), None if v is None else Decimal(v))
        for i, v in enumerate(values)
    ]


def summary(points: tuple[Point, ...]) -> list[tuple[int, int, float, str, str]]:
    return [
        ((p.start - D0).days, (p.last_seen - D0).days, p.value, p.state, p.source) for p in points
    ]


def test_the_most_trusted_source_sets_the_value_and_agreement_confirms_at_once() -> None:
    merged = most_trusted(
        {"litellm": on("3", "3", "3", "3"), "genai-prices": on("3", start=2)}, RANKS, 0.01
    )
    assert summary(merged.points()) == [
        (0, 1, 3.0, "confirmed", "litellm"),
        # one snapshot, confirmed by litellm; it holds until stale (the more trusted)
        (2, 3, 3.0, "confirmed", "genai-prices"),
    ]
    assert merged.days[D0 + timedelta(days=2)].note == "litellm agrees"


def test_two_sources_that_disagree_make_the_day_disputed_never_a_silent_pick() -> None:
    merged = most_trusted(
        {"litellm": on("0.28", "0.28", "0.28"), "openrouter": on("0.2574", start=1)}, RANKS, 0.01
    )
    day = merged.days[D0 + timedelta(days=1)]
    assert (day.value, day.state, day.source) == (0.28, "disputed", "litellm")
    assert day.note == "openrouter says 0.2574"


def test_values_within_the_tolerance_agree() -> None:
    merged = most_trusted({"litellm": on("1.000"), "openrouter": on("1.005")}, RANKS, 0.01)
    assert merged.days[D0].state != "disputed"


def test_a_stale_source_neither_sets_nor_disputes_the_value() -> None:
    merged = most_trusted(
        {
            "genai-prices": on("2.5"),
            "litellm": on("3", start=20),
        },
        RANKS,
        0.01,
    )
    later = merged.days[D0 + timedelta(days=20)]
    assert (later.source, later.state) == ("litellm", "pending")


def test_a_one_day_typo_is_rejected_and_the_confirmed_price_holds_through_it() -> None:
    merged = most_trusted({"litellm": on("3", "3", "30", "3", "3")}, RANKS, 0.01)
    assert summary(merged.points()) == [(0, 4, 3.0, "confirmed", "litellm")]
    assert [(r.value, (r.day - D0).days) for r in merged.rejected] == [(30.0, 2)]


def test_a_key_missing_for_one_snapshot_does_not_break_the_series() -> None:
    merged = most_trusted({"litellm": on("3", "3", None, "3", "3")}, RANKS, 0.01)
    assert summary(merged.points()) == [(0, 4, 3.0, "confirmed", "litellm")]


def test_a_removal_that_persists_ends_the_series() -> None:
    points = most_trusted({"litellm": on("3", "3", None, None, None)}, RANKS, 0.01).points()
    assert summary(points) == [(0, 1, 3.0, "confirmed", "litellm")]
    assert points[0].joins_next is False


def test_largest_takes_the_biggest_window_and_names_who_holds_it() -> None:
    merged = largest(
        {
            ("litellm", "gemini-1.5-pro"): on("1000000", "2097152", "2097152"),
            ("litellm", "gemini-1.5-flash"): on("1048576", "1048576", "1048576"),
        },
        RANKS,
    )
    assert [(d.value, d.note) for _, d in sorted(merged.days.items())] == [
        (1048576.0, "held by gemini-1.5-flash"),
        (2097152.0, "held by gemini-1.5-pro"),
        (2097152.0, "held by gemini-1.5-pro"),
    ]
    assert merged.rejected == ()  # 1,000,000 was replaced, not a typo: shown as pending


def test_a_window_typo_never_becomes_the_ceiling() -> None:
    merged = largest(
        {("litellm", "gemini-1.5-pro"): on("2097152", "2097152", "20971520", "2097152")}, RANKS
    )
    assert {d.value for d in merged.days.values()} == {2097152.0}
    assert [r.value for r in merged.rejected] == [20971520.0]


def test_a_ratio_takes_the_worse_state_of_its_parts() -> None:
    top = most_trusted({"litellm": on("10", "10", "8")}, RANKS, 0.01)
    bottom = most_trusted({"litellm": on("2.5", "2.5", "2.5")}, RANKS, 0.01)
    assert [(d.value, d.state) for _, d in sorted(ratio(top, bottom).days.items())] == [
        (4.0, "confirmed"),
        (4.0, "confirmed"),
        (3.2, "pending"),
    ]
