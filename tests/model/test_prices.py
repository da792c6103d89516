from __future__ import annotations

from decimal import Decimal

from model.inversion.prices import LongContextTier, model_prices


def _row(model: str, component: str, price: str, **kw: object) -> dict[str, object]:
    return {
        "provider": "google",
        "model": model,
        "component": component,
        "usd_per_mtok": Decimal(price),
        **kw,
    }


def test_rows_group_into_base_prices_cache_prices_and_long_context_multipliers() -> None:
    rows = [
        _row("gemini-2.5-pro", "input", "1.25"),
        _row("gemini-2.5-pro", "output", "10"),
        _row("gemini-2.5-pro", "input", "2.50", tier_min_prompt_tokens=200_000),
        _row("gemini-2.5-pro", "output", "15", tier_min_prompt_tokens=200_000),
        _row("gemini-2.5-pro", "cache_read", "0.125"),
        _row("gemini-2.5-pro", "cache_storage_per_hour", "4.50"),
        _row("gemini-2.5-pro", "input", "0.625", service_tier="batch"),
        _row("gemini-2.5-pro", "output", "99", condition="audio"),
    ]
    [prices] = model_prices(rows, {("google", "gemini-2.5-pro"): 1_048_576})
    assert prices.input_usd_per_mtok == Decimal("1.25")
    assert prices.output_usd_per_mtok == Decimal("10")
    assert prices.cache_read_usd_per_mtok == Decimal("0.125")
    assert prices.cache_storage_usd_per_mtok_hour == Decimal("4.50")
    assert prices.long_context_tiers == (LongContextTier(200_000, Decimal(2), Decimal("1.5")),)
    assert prices.context_limit_tokens == 1_048_576


def test_models_without_both_input_and_output_are_skipped() -> None:
    rows = [
        _row("embed-1", "input", "0.02"),
        _row("free", "input", "0"),
        _row("free", "output", "0"),
    ]
    assert model_prices(rows) == []


def test_cache_write_takes_the_five_minute_price_when_both_exist() -> None:
    rows = [
        {**_row("claude", "input", "3"), "provider": "anthropic"},
        {**_row("claude", "output", "15"), "provider": "anthropic"},
        {**_row("claude", "cache_write_1h", "6"), "provider": "anthropic"},
        {**_row("claude", "cache_write_5m", "3.75"), "provider": "anthropic"},
    ]
    [prices] = model_prices(rows)
    assert prices.cache_write_usd_per_mtok == Decimal("3.75")
    assert prices.cache_write_1h_usd_per_mtok == Decimal("6")  # the ladder's other rung


def test_a_lone_one_hour_write_is_the_write_price_with_no_ladder() -> None:
    rows = [
        _row("m", "input", "3"),
        _row("m", "output", "15"),
        _row("m", "cache_write_1h", "6"),
    ]
    [prices] = model_prices(rows)
    assert prices.cache_write_usd_per_mtok == Decimal("6")
    assert prices.cache_write_1h_usd_per_mtok is None
