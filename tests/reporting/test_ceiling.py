"""A lab's context ceiling judged by the one confirmation rule: a window counts once a
second snapshot carries it, a key missing for one snapshot is no removal, and a removal
counts once a second snapshot confirms it."""

from __future__ import annotations

from datetime import date, timedelta

from reporting.ceiling import ceiling
from reporting.relations import Row

DAYS = [date(2025, 3, 1) + timedelta(days=i) for i in range(6)]


def window(model: str, tokens: int, first: date, end: date | None, source: str = "litellm") -> Row:
    """A context_limits_history row: `tokens` held from `first` up to `end` (exclusive)."""
    return {"source": source, "model": model, "first_day": first, "end_day": end, "tokens": tokens}


def ceilings(rows: list[Row], days: dict[str, list[date]] | None = None) -> dict[date, float]:
    merged = ceiling(rows, days or {"litellm": DAYS}, {"litellm": 1, "genai-prices": 2})
    return {day: d.value for day, d in sorted(merged.days.items())}


def test_a_window_counts_from_the_snapshot_that_confirms_it() -> None:
    got = ceilings([window("gpt-x", 1_000_000, DAYS[0], None)])
    assert DAYS[0] not in got  # seen once: not yet a ceiling
    assert got == dict.fromkeys(DAYS[1:], 1_000_000.0)


def test_a_model_missing_for_one_snapshot_is_no_removal() -> None:
    rows = [
        window("gpt-small", 128_000, DAYS[0], None),
        window("gpt-big", 1_000_000, DAYS[0], DAYS[2]),  # gone on DAYS[2] only
        window("gpt-big", 1_000_000, DAYS[3], None),
    ]
    assert ceilings(rows) == dict.fromkeys(DAYS[1:], 1_000_000.0)


def test_a_removal_counts_once_a_second_snapshot_confirms_it() -> None:
    rows = [
        window("gpt-small", 128_000, DAYS[0], None),
        window("gpt-big", 1_000_000, DAYS[0], DAYS[3]),  # gone from DAYS[3] on
    ]
    got = ceilings(rows)
    assert [got[d] for d in DAYS[1:]] == [
        1_000_000.0,
        1_000_000.0,
        1_000_000.0,
        128_000.0,
        128_000.0,
    ]


def test_a_one_day_typo_window_is_never_the_ceiling() -> None:
    rows = [
        window("gpt-x", 128_000, DAYS[0], DAYS[2]),
        window("gpt-x", 2_000_000, DAYS[2], DAYS[3]),  # the typo, one snapshot
        window("gpt-x", 128_000, DAYS[3], None),
    ]
    assert set(ceilings(rows).values()) == {128_000.0}


def test_the_better_ranked_source_names_an_equal_ceiling() -> None:
    rows = [
        window("gpt-x", 400_000, DAYS[0], None, source="genai-prices"),
        window("openai/gpt-x", 400_000, DAYS[0], None),
    ]
    merged = ceiling(
        rows, {"litellm": DAYS, "genai-prices": DAYS}, {"litellm": 1, "genai-prices": 2}
    )
    assert {(d.source, d.note) for d in merged.days.values()} == {
        ("litellm", "held by openai/gpt-x")
    }


def test_a_stale_source_holds_its_window_for_the_agreement_window_only() -> None:
    # genai-prices seen on two days, then silent; litellm keeps observing for weeks.
    late = [DAYS[0] + timedelta(days=i) for i in range(20)]
    rows = [
        window("gpt-x", 400_000, DAYS[0], None, source="genai-prices"),
        window("gpt-x", 128_000, DAYS[0], None),
    ]
    merged = ceiling(
        rows, {"litellm": late, "genai-prices": DAYS[:2]}, {"litellm": 1, "genai-prices": 2}
    )
    got = {day: d.value for day, d in merged.days.items()}
    assert got[DAYS[1]] == 400_000.0 and got[DAYS[1] + timedelta(days=7)] == 400_000.0
    assert got[DAYS[1] + timedelta(days=8)] == 128_000.0
