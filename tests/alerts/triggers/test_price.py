"""Price triggers over series built from real published prices (USD per million tokens)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from alerts.triggers.inputs import ModelRef
from alerts.triggers.price import CachePricing, PriceChange, SpreadChange, StepChange, Threshold
from alerts.triggers.state import MemoryState, WarehouseState
from tests.alerts.shipped import shipped
from warehouse.db import connect

PRICE = shipped(PriceChange, "price-cut-or-rise")
SPREAD = shipped(SpreadChange, "frontier-spread-band")
CACHE = shipped(CachePricing, "cache-discount-band")
PRIORITY = shipped(StepChange, "priority-premium-step")
LONG_CONTEXT = shipped(Threshold, "long-context-premium-explodes")
# Snapshot dates: one LiteLLM release a week.
W = [dt.date(2024, 7, 1) + dt.timedelta(weeks=i) for i in range(30)]
GPT4O = ModelRef("openai", "gpt-4o", "gpt-4o", "https://openai.com/api/pricing/")
FLASH = ModelRef("google", "gemini-2.5-flash", "gemini/gemini-2.5-flash")
SONNET = ModelRef("anthropic", "claude-3-5-sonnet-20241022", "claude-3-5-sonnet-20241022")


def weekly(*values: str | None) -> list[tuple[dt.date, Decimal | None]]:
    return [(d, None if v is None else Decimal(v)) for d, v in zip(W, values, strict=False)]


# ------------------------------------------------------------------ price_change


def test_gpt4o_price_cut_fires_once_on_its_confirming_snapshot() -> None:
    # gpt-4o-2024-08-06 became `gpt-4o`: input $5 -> $2.50, output $15 -> $10.
    prices = {
        "input": weekly("5", "5", "2.5", "2.5", "2.5"),
        "output": weekly("15", "15", "10", "10", "10"),
    }
    alerts = PRICE.evaluate(GPT4O, prices)
    assert [(a.subject, a.old_value, a.new_value, a.date) for a in alerts] == [
        ("openai gpt-4o input price cut", Decimal(5), Decimal("2.5"), W[3]),
        ("openai gpt-4o output price cut", Decimal(15), Decimal(10), W[3]),
    ]
    assert {(a.kind, a.thesis_id, a.unit) for a in alerts} == {
        ("price_change", "batching-economics", "USD/Mtok")
    }


def test_one_day_typo_that_reverts_does_not_fire() -> None:
    # Claude 3.5 Sonnet input $3 mistyped as $30 for one release, fixed in the next.
    prices = {"input": weekly("3", "3", "30", "3", "3"), "output": weekly("15", "15", "15", "15")}
    assert PRICE.evaluate(SONNET, prices) == []


def test_a_key_that_disappears_does_not_page_price_removed() -> None:
    prices = {"input": weekly("3", "3", None, None, None), "output": weekly("15", "15")}
    assert PRICE.evaluate(SONNET, prices) == []


def test_small_change_below_the_fraction_is_quiet_but_output_only_cut_fires() -> None:
    # Constructed on Claude 3.5 Sonnet's $3/$15: output to $14 (-6.7%), input unchanged.
    prices = {"input": weekly("3", "3", "3", "3"), "output": weekly("15", "15", "14", "14")}
    (alert,) = PRICE.evaluate(SONNET, prices)
    assert alert.subject.endswith("output price cut (output cut, input unchanged)")
    off = replace(PRICE, output_cut_without_input_cut=False)
    assert off.evaluate(SONNET, prices) == []


def test_provider_filter_skips_other_providers() -> None:
    only_google = replace(PRICE, providers=("google",))
    prices = {"input": weekly("5", "5", "2.5", "2.5")}
    assert only_google.evaluate(GPT4O, prices) == []


# ------------------------------------------------------------------ spread_change


def test_gemini_flash_spread_leaving_the_band_fires_once() -> None:
    # gemini-2.5-flash preview $0.15/$0.60 (4x) -> GA $0.30/$2.50 (8.33x, above 8x).
    inp = weekly("0.15", "0.15", "0.15", "0.30", "0.30", "0.30", "0.30")
    out = weekly("0.60", "0.60", "0.60", "2.50", "2.50", "2.50", "2.50")
    alerts = SPREAD.evaluate(FLASH, inp, out)
    assert [(a.subject, a.old_value, a.new_value, a.date) for a in alerts] == [
        ("google gemini-2.5-flash output/input spread outside 3-8x",
         Decimal("4.0000"), Decimal("8.3333"), W[4]),
        ("google gemini-2.5-flash output/input spread vs its 90-day baseline",
         Decimal("4.0000"), Decimal("8.3333"), W[4]),
    ]  # fmt: skip


def test_spread_inside_band_with_small_moves_is_quiet() -> None:
    # Claude 3.5 Sonnet 5x, then a constructed $15 -> $16 output (5.33x, +6.7%).
    inp = weekly("3", "3", "3", "3", "3")
    out = weekly("15", "15", "16", "16", "16")
    assert SPREAD.evaluate(SONNET, inp, out) == []


def test_band_rearms_when_the_spread_comes_back() -> None:
    inp = weekly(*["1"] * 12)
    out = weekly("5", "5", "9", "9", "9", "5", "5", "5", "9", "9", "9", "9")
    trigger = replace(SPREAD, change_fraction=Decimal(10))
    alerts = trigger.evaluate(GPT4O, inp, out)
    assert [a.date for a in alerts] == [W[3], W[9]]


def test_reevaluating_history_with_warehouse_state_does_not_refire(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    inp = weekly("0.15", "0.15", "0.30", "0.30")
    out = weekly("0.60", "0.60", "2.50", "2.50")
    trigger = SPREAD
    first_state, again_state = WarehouseState(con), WarehouseState(con)
    first = trigger.evaluate(FLASH, inp, out, first_state)
    first_state.flush()
    again = trigger.evaluate(FLASH, inp, out, again_state)
    again_state.flush()
    band = [a for a in first if "outside" in a.subject]
    assert len(band) == 1 and not [a for a in again if "outside" in a.subject]
    assert con.execute("select active, last_value from trigger_state").fetchall() == [
        (True, "8.3333")
    ]


# ------------------------------------------------------------------ cache_pricing


def test_gpt4o_cache_pricing_appears() -> None:
    # Prompt caching (Oct 2024): gpt-4o cached input $1.25 against $2.50 input. Its 2x
    # discount is outside the band from the start: that is not "leaving" the band.
    inp = weekly("2.5", "2.5", "2.5", "2.5", "2.5")
    cached = weekly(None, None, "1.25", "1.25", "1.25")
    alerts = CACHE.evaluate(GPT4O, inp, cached)
    assert [(a.subject, a.old_value, a.new_value, a.unit) for a in alerts] == [
        ("openai gpt-4o cache pricing appears", None, Decimal("1.25"), "USD/Mtok"),
    ]


def test_gpt5_cache_discount_moving_into_and_out_of_the_band() -> None:
    # gpt-5: $1.25 input, $0.125 cached (10x, inside); constructed move to 0.625 (2x).
    inp = weekly("1.25", "1.25", "1.25", "1.25", "1.25", "1.25")
    cached = weekly("0.125", "0.125", "0.125", "0.625", "0.625", "0.625")
    (alert,) = CACHE.evaluate(GPT4O, inp, cached)
    assert (alert.subject, alert.old_value, alert.new_value, alert.date) == (
        "openai gpt-4o cache discount outside 5-20x", Decimal("10.0000"), Decimal("2.0000"), W[4]
    )  # fmt: skip


def test_claude_10x_cache_discount_is_inside_the_band_and_not_new() -> None:
    inp = weekly("3", "3", "3")
    cached = weekly("0.30", "0.30", "0.30")
    assert CACHE.evaluate(SONNET, inp, cached) == []


# ------------------------------------------------------------------ step / threshold


def test_priority_premium_step_beyond_20_percent_fires_smaller_does_not() -> None:
    # gpt-4.1 priority $3.50 vs standard $2.00 = 1.75x; then (constructed) 2x and 2.5x.
    series = weekly("1.75", "1.75", "2.00", "2.00", "2.50", "2.50")
    (alert,) = PRIORITY.evaluate(GPT4O, series)
    assert alert.unit == "x"
    assert (alert.subject, alert.old_value, alert.new_value, alert.date) == (
        "openai gpt-4o priority_standard_ratio", Decimal("2.00"), Decimal("2.50"), W[5]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("values", "fires_on"),
    [
        (("2", "2", "2.5", "2.5", "2", "2", "2.5", "2.5"), [W[3], W[7]]),  # re-arms
        (("2", "2", "2.5", "2", "2"), []),  # one-day blip
        (("1.5", "1.5", "2", "2"), []),  # 2x is not above 2x
    ],
)
def test_long_context_multiplier_threshold(
    values: tuple[str, ...], fires_on: list[dt.date]
) -> None:
    alerts = LONG_CONTEXT.evaluate(GPT4O, weekly(*values), MemoryState())
    assert [a.date for a in alerts] == fires_on
