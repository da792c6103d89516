"""Cadence and fundamentals triggers on real release dates, closes and margins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from alerts.triggers.market import Fundamentals, RefreshCadence
from tests.alerts.shipped import shipped

CADENCE = shipped(RefreshCadence, "flagship-refresh-cadence")
D = dt.date


def test_anthropic_opus_cadence_shortening_fires_on_the_new_release() -> None:
    releases = [
        ("claude-3-opus-20240229", D(2024, 3, 4)),
        ("claude-opus-4-20250514", D(2025, 5, 22)),
        ("claude-opus-4-0", D(2025, 5, 22)),  # alias of the same release
        ("claude-opus-4-1-20250805", D(2025, 8, 5)),
        ("claude-opus-4-5-20251101", D(2025, 11, 24)),
        ("claude-3-5-haiku-20241022", D(2024, 10, 22)),  # not a flagship
    ]
    (alert,) = CADENCE.evaluate("anthropic", releases)
    # Gaps 444, 75, then 111 days against a mean of (444 + 75) / 2 = 259.5.
    assert (alert.subject, alert.old_value, alert.new_value, alert.unit, alert.date) == (
        "anthropic flagship release gap shortened (claude-opus-4-5-20251101)",
        Decimal("259.5"), 111, "days", D(2025, 11, 24),
    )  # fmt: skip


def test_cadence_needs_two_earlier_gaps_and_respects_providers() -> None:
    releases = [("gpt-4o", D(2024, 5, 13)), ("gpt-4.1", D(2025, 4, 14)), ("gpt-5", D(2025, 8, 7))]
    assert CADENCE.evaluate("openai", releases) == []
    assert CADENCE.evaluate("mistral", releases) == []


def test_nvidia_deepseek_day_drop_fires_and_resets_the_level() -> None:
    # NVDA closes: 2025-01-24 $142.62, 2025-01-27 $118.42 (-17%), 2025-01-28 $128.99.
    quotes = [
        (D(2025, 1, 24), Decimal("142.62")),
        (D(2025, 1, 27), Decimal("118.42")),
        (D(2025, 1, 28), Decimal("128.99")),
    ]
    (alert,) = shipped(Fundamentals, "rack-scale-ticker-moves").price_move("NVDA", quotes, "USD")
    assert (alert.subject, alert.old_value, alert.new_value, alert.unit) == (
        "NVDA down 17%", Decimal("142.62"), Decimal("118.42"), "USD"
    )  # fmt: skip
    # +8.9% from the new level is below 10%: quiet. Other triggers' tickers: quiet.
    assert shipped(Fundamentals, "memory-ticker-moves").price_move("NVDA", quotes, "USD") == []


def test_micron_margin_collapse_while_hyperscaler_capex_grows() -> None:
    # Micron GAAP gross margin: FQ3'22 47.4%, FQ4'22 39.5%, FQ1'23 22.9%.
    margins = {
        "MU": [
            (D(2022, 6, 2), Decimal("47.4")),
            (D(2022, 9, 1), Decimal("39.5")),
            (D(2022, 12, 1), Decimal("22.9")),
        ]
    }
    capex = [(D(2022, 6, 30), Decimal("21")), (D(2022, 9, 30), Decimal("18"))]
    alerts = shipped(Fundamentals, "memory-margin-vs-capex").memory_margin_vs_capex(margins, capex)
    assert [(a.model, a.old_value, a.new_value, a.date) for a in alerts] == [
        ("MU", Decimal("47.4"), Decimal("39.5"), D(2022, 9, 1)),
        ("MU", Decimal("39.5"), Decimal("22.9"), D(2022, 12, 1)),
    ]
    assert alerts[1].subject == "MU gross margin falls while hyperscaler capex grows 18%"


def test_margin_fall_with_capex_shrinking_is_quiet() -> None:
    margins = {"MU": [(D(2022, 9, 1), Decimal("39.5")), (D(2022, 12, 1), Decimal("22.9"))]}
    capex = [(D(2022, 9, 30), Decimal("-3"))]
    assert (
        shipped(Fundamentals, "memory-margin-vs-capex").memory_margin_vs_capex(margins, capex) == []
    )
