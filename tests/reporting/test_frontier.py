"""Which models the price charts follow."""

from __future__ import annotations

from datetime import UTC, datetime

from reporting.frontier import FALLBACK_PER_PROVIDER, by_provider, frontier_models


def when(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=UTC)


def test_listed_flagships_come_in_list_order_and_others_are_left_out() -> None:
    seen = {
        ("openai", "gpt-4o"): when(2024, 5),
        ("openai", "gpt-4"): when(2023, 3),
        ("openai", "gpt-4o-mini"): when(2024, 7),
        ("anthropic", "claude-3-5-sonnet-20240620"): when(2024, 6),
    }
    assert frontier_models(seen) == [
        ("openai", "gpt-4"),
        ("openai", "gpt-4o"),
        ("anthropic", "claude-3-5-sonnet-20240620"),
    ]


def test_a_lab_with_no_listed_model_shows_its_newest() -> None:
    seen = {("xai", f"grok-x{i}"): when(2026, i) for i in range(1, 6)}
    seen[("mistral", "mistral-large")] = when(2026, 1)  # not a frontier lab: not charted
    chosen = frontier_models(seen)
    assert chosen == [("xai", "grok-x5"), ("xai", "grok-x4"), ("xai", "grok-x3")]
    assert len(chosen) == FALLBACK_PER_PROVIDER


def test_grouping_puts_the_labs_in_their_fixed_order() -> None:
    grouped = by_provider([("xai", "grok-4"), ("openai", "gpt-5"), ("openai", "gpt-4o")])
    assert list(grouped.items()) == [("openai", ["gpt-5", "gpt-4o"]), ("xai", ["grok-4"])]
