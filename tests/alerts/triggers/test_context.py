"""Context triggers on real published ceilings and tiers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from alerts.triggers.context import ContextStepUp, LongContextTier
from alerts.triggers.inputs import ModelContext, ModelRef
from tests.alerts.shipped import shipped

TIER = shipped(LongContextTier, "long-context-tier")
STEP_UP = shipped(ContextStepUp, "context-ceiling-step-up")
W = [dt.date(2025, 7, 1) + dt.timedelta(weeks=i) for i in range(20)]
SONNET4 = ModelRef("anthropic", "claude-sonnet-4-20250514", "claude-sonnet-4-20250514")
GPT4O = ModelRef("openai", "gpt-4o", "gpt-4o")
GPT41 = ModelRef("openai", "gpt-4.1", "gpt-4.1")
NONE: frozenset[int] = frozenset()
T200K = frozenset({200_000})


def weekly(*values: object) -> list[tuple[dt.date, object]]:
    return list(zip(W, values, strict=False))


def test_claude_sonnet_4_long_context_tier_introduced() -> None:
    # Aug 2025: Sonnet 4 gets 1M context, prompts above 200k priced $6/$22.50.
    tiers = weekly(NONE, NONE, T200K, T200K, T200K)
    (alert,) = TIER.evaluate(SONNET4, tiers)
    assert (alert.subject, alert.old_value, alert.new_value, alert.date) == (
        "anthropic claude-sonnet-4-20250514 long-context tier introduced", "none", "200000", W[3]
    )  # fmt: skip


def test_tier_moved_and_removed_and_vanishing_model_is_quiet() -> None:
    tiers = weekly(T200K, T200K, frozenset({128_000}), frozenset({128_000}), None, None, NONE, NONE)
    alerts = TIER.evaluate(SONNET4, tiers)
    assert [(a.subject.rsplit(" ", 1)[1], a.old_value, a.new_value) for a in alerts] == [
        ("moved", "200000", "128000"), ("removed", "128000", "none")
    ]  # fmt: skip


def test_one_snapshot_without_tier_rows_is_not_a_removal() -> None:
    tiers = weekly(T200K, T200K, NONE, T200K, T200K)
    assert TIER.evaluate(SONNET4, tiers) == []


def test_sonnet_4_ceiling_step_up_with_its_tier_is_not_untiered() -> None:
    sonnet = ModelContext(
        SONNET4,
        ceilings=weekly(200_000, 200_000, 1_000_000, 1_000_000),
        tiers=weekly(NONE, NONE, T200K, T200K),
    )
    alerts = STEP_UP.evaluate([sonnet])
    assert [(a.subject, a.old_value, a.new_value, a.date) for a in alerts] == [
        ("anthropic claude-sonnet-4-20250514 context ceiling at or above 1000000 tokens",
         200_000, 1_000_000, W[3]),
        ("anthropic claude-sonnet-4-20250514 context ceiling step-up", 200_000, 1_000_000, W[3]),
        ("anthropic highest context ceiling step-up (claude-sonnet-4-20250514)",
         200_000, 1_000_000, W[3]),
    ]  # fmt: skip


def test_new_untiered_1m_model_raises_the_providers_ceiling() -> None:
    # GPT-4.1 (Apr 2025): 1,047,576 tokens at flat prices, against gpt-4o's 128k.
    gpt4o = ModelContext(GPT4O, weekly(128_000, 128_000, 128_000, 128_000), weekly(*[NONE] * 4))
    gpt41 = ModelContext(
        GPT41, weekly(None, None, 1_047_576, 1_047_576), weekly(None, None, NONE, NONE)
    )
    alerts = STEP_UP.evaluate([gpt4o, gpt41])
    # The new model itself is reported through its provider's ceiling, not per model.
    assert [(a.subject, a.old_value, a.new_value, a.date) for a in alerts] == [
        ("openai highest context ceiling step-up (gpt-4.1)", 128_000, 1_047_576, W[3]),
    ]


def test_existing_model_growing_past_500k_without_a_tier() -> None:
    # Constructed: gpt-4o (flat-priced) growing from 128k to 600k tokens.
    model = ModelContext(GPT4O, weekly(128_000, 128_000, 600_000, 600_000), weekly(*[NONE] * 4))
    alerts = STEP_UP.evaluate([model])
    assert [a.subject for a in alerts] == [
        "openai gpt-4o context ceiling step-up",
        "openai gpt-4o context of 500000+ tokens without a long-context tier",
        "openai highest context ceiling step-up (gpt-4o)",
    ]


def test_small_ceiling_changes_and_drops_are_not_step_ups() -> None:
    # 128000 -> 131072 (a field-meaning change, +2.4%) and a drop back.
    model = ModelContext(GPT4O, weekly(128_000, 128_000, 131_072, 131_072, 128_000, 128_000))
    assert STEP_UP.evaluate([model]) == []


def test_scopes_follow_the_per_parameter() -> None:
    only_provider = replace(STEP_UP, per=("provider",))
    model = ModelContext(SONNET4, weekly(200_000, 200_000, 400_000, 400_000))
    alerts = only_provider.evaluate([model])
    assert [a.subject for a in alerts] == [
        "anthropic highest context ceiling step-up (claude-sonnet-4-20250514)"
    ]
