"""OpenRouter's model list: decimal strings, overrides tiers, variable prices, bad input."""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import BadPayload, InvalidPrice, LayoutChanged
from core.rows import Parsed
from extractors.feeds import openrouter
from tests.paths import FIXTURES as FIXTURES_ROOT

FIXTURE = FIXTURES_ROOT / "feeds" / "openrouter_2026-08-01.json"


def prices(parsed: Parsed, key: str) -> dict[tuple[str, int], Decimal]:
    """(component, tier_min_prompt_tokens) -> USD per Mtok for one OpenRouter id."""
    return {
        (r.component, r.tier_min_prompt_tokens): r.usd_per_mtok
        for r in parsed.prices
        if r.source_model_key == key
    }


def payload(*models: Mapping[str, object]) -> bytes:
    return json.dumps({"data": list(models)}).encode()


@pytest.fixture(scope="module")
def parsed() -> Parsed:
    return openrouter.parse(FIXTURE.read_bytes())


def test_gemini_base_prices_and_long_context_override(parsed: Parsed) -> None:
    assert prices(parsed, "google/gemini-2.5-pro") == {
        ("input", 0): Decimal("1.25"),
        ("output", 0): Decimal("10"),
        ("cache_read", 0): Decimal("0.125"),
        ("cache_write_5m", 0): Decimal("0.375"),
        ("input", 200_000): Decimal("2.5"),
        ("output", 200_000): Decimal("15"),
        ("cache_read", 200_000): Decimal("0.25"),
    }


def test_two_overrides_make_two_tiers(parsed: Parsed) -> None:
    got = prices(parsed, "qwen/qwen3.7-flash")
    assert got[("input", 0)] == Decimal("0.03")
    assert got[("input", 32_000)] == Decimal("0.1")
    assert got[("input", 256_000)] == Decimal("0.2")
    assert got[("cache_write_5m", 256_000)] == Decimal("0.25")
    assert got[("output", 256_000)] == Decimal("0.8")


def test_claude_one_hour_cache_write_and_anthropic_id_spelling(parsed: Parsed) -> None:
    got = prices(parsed, "anthropic/claude-sonnet-4.5")
    assert got[("cache_write_5m", 0)] == Decimal("3.75")
    assert got[("cache_write_1h", 0)] == Decimal("6")
    assert got[("cache_write_1h", 200_000)] == Decimal("12")
    who = {
        (r.provider, r.model)
        for r in parsed.prices
        if r.source_model_key == "anthropic/claude-sonnet-4.5"
    }
    assert who == {("anthropic", "claude-sonnet-4-5")}


def test_prices_are_exact_decimals(parsed: Parsed) -> None:
    got = prices(parsed, "deepseek/deepseek-chat")
    assert str(got[("input", 0)]) == "0.2574"
    assert str(got[("output", 0)]) == "1.0287"


def test_variable_price_minus_one_gives_no_row(parsed: Parsed) -> None:
    assert prices(parsed, "openrouter/auto") == {}
    limit = {r.source_model_key: r for r in parsed.limits}["openrouter/auto"]
    assert limit.context_window_tokens == 2_000_000
    assert limit.max_output_tokens is None


def test_free_variant_keeps_the_vendor_model_and_says_so_in_condition(parsed: Parsed) -> None:
    rows = [r for r in parsed.prices if r.source_model_key == "google/gemma-4-31b-it:free"]
    assert {(r.provider, r.model, r.condition, r.usd_per_mtok) for r in rows} == {
        ("google", "gemma-4-31b-it", "openrouter variant :free", Decimal("0"))
    }
    paid = [r for r in parsed.prices if r.source_model_key == "openai/gpt-5.4"]
    assert {r.condition for r in paid} == {""}


def test_moving_aliases_are_skipped(parsed: Parsed) -> None:
    assert not any(k.startswith("~") for k in parsed.model_keys)
    assert "~anthropic/claude-sonnet-latest" in openrouter.split(FIXTURE.read_bytes())


def test_limits_use_the_models_context_length_and_top_provider_output(parsed: Parsed) -> None:
    limits = {r.source_model_key: r for r in parsed.limits}
    # deepseek-chat: the model's window is 163840; today's best endpoint offers 128000.
    assert limits["deepseek/deepseek-chat"].context_window_tokens == 163_840
    assert limits["deepseek/deepseek-chat"].max_output_tokens == 16_000
    assert limits["openai/gpt-5.4"].context_window_tokens == 1_050_000
    assert limits["openai/gpt-5.4"].max_output_tokens == 128_000


def test_non_text_prices_are_ignored_and_unknown_ones_reported(parsed: Parsed) -> None:
    assert parsed.unmapped_fields == set()  # web_search, audio, image... are known, not ours
    odd = {
        "id": "x/y",
        "pricing": {
            "prompt": "0.000001",
            "completion": "0.000002",
            "input_cache_storage_per_hour": "0.000001",
        },
    }
    got = openrouter.parse(payload(odd))
    assert got.unmapped_fields == {"pricing.input_cache_storage_per_hour"}
    assert prices(got, "x/y") == {("input", 0): Decimal("1"), ("output", 0): Decimal("2")}


def test_missing_optional_fields_are_tolerated() -> None:
    bare = {"id": "mistralai/mistral-large"}
    no_top = {"id": "x-ai/grok-4", "pricing": {"prompt": "0.000003"}, "context_length": 256000}
    got = openrouter.parse(payload(bare, no_top))
    assert prices(got, "x-ai/grok-4") == {("input", 0): Decimal("3")}
    assert {(r.provider, r.model) for r in got.prices} == {("xai", "grok-4")}
    assert [r.context_window_tokens for r in got.limits] == [256_000]


def test_override_without_threshold_is_reported_not_guessed() -> None:
    model = {"id": "a/b", "pricing": {"prompt": "0.000001", "overrides": [{"prompt": "0.000002"}]}}
    got = openrouter.parse(payload(model))
    assert prices(got, "a/b") == {("input", 0): Decimal("1")}
    assert got.unmapped_fields == {"pricing.overrides[] without min_prompt_tokens"}


def test_numeric_prices_are_accepted_like_strings() -> None:
    model = {"id": "a/b", "pricing": {"prompt": 1.25e-06, "completion": -1}}
    assert prices(openrouter.parse(payload(model)), "a/b") == {("input", 0): Decimal("1.25")}


@given(st.decimals(min_value=0, max_value=1, places=12, allow_nan=False, allow_infinity=False))
def test_any_decimal_string_scales_to_per_mtok_exactly(per_token: Decimal) -> None:
    model = {"id": "a/b", "pricing": {"prompt": str(per_token)}}
    (row,) = openrouter.parse(payload(model)).prices
    assert row.usd_per_mtok == per_token * 1_000_000


# -- bad input ---------------------------------------------------------------------------


def test_truncated_json_is_bad_payload() -> None:
    raw = FIXTURE.read_bytes()
    with pytest.raises(BadPayload, match="openrouter: malformed or truncated JSON"):
        openrouter.split(raw[:-10])


def test_html_error_page_is_bad_payload() -> None:
    with pytest.raises(BadPayload, match="HTML page instead of JSON"):
        openrouter.split(b"<html><body><h1>502 Bad Gateway</h1></body></html>")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"models": []}', "no `data` list"),
        (b"[]", "no `data` list"),
        (b'{"data": []}', "lists no models"),
        (b'{"data": [{"name": "x"}]}', "has no string `id`"),
        (b'{"data": [{"id": "a/b", "pricing": "free"}]}', "a/b: pricing is not an object"),
        (b'{"data": [{"id": "a/b", "pricing": {"overrides": {}}}]}', "overrides is not a list"),
    ],
)
def test_wrong_shape_is_layout_changed(raw: bytes, reason: str) -> None:
    with pytest.raises(LayoutChanged, match=reason):
        openrouter.parse(raw)


@pytest.mark.parametrize("value", ["free", "", "NaN", True, {"usd": 1}])
def test_a_price_that_is_not_a_number_is_invalid_price(value: object) -> None:
    model = {"id": "openai/gpt-5", "pricing": {"prompt": value}}
    with pytest.raises(
        InvalidPrice, match=r"openai/gpt-5: pricing.prompt is .*not a (finite )?number"
    ):
        openrouter.parse(payload(model))


def test_negative_price_other_than_minus_one_is_invalid_price() -> None:
    model = {"id": "openai/gpt-5", "pricing": {"completion": "-0.00001"}}
    with pytest.raises(InvalidPrice, match=r"pricing\.completion is negative"):
        openrouter.parse(payload(model))


def test_negative_price_in_an_override_is_invalid_price() -> None:
    model = {
        "id": "a/b",
        "pricing": {
            "prompt": "0.000001",
            "overrides": [{"min_prompt_tokens": 200000, "prompt": "-0.000002"}],
        },
    }
    with pytest.raises(InvalidPrice, match=r"a/b: pricing\.prompt is negative"):
        openrouter.parse(payload(model))


# -- real response -----------------------------------------------------------------------


@pytest.mark.samples
def test_whole_real_response_parses(samples: Path) -> None:
    raw = gzip.decompress((samples / "openrouter_models_2026-08-01.json.gz").read_bytes())
    assert len(openrouter.split(raw)) == 336
    parsed = openrouter.parse(raw)
    assert len(parsed.model_keys) == 326  # 336 less the 10 `~` aliases
    assert parsed.unmapped_fields == set()
    assert prices(parsed, "anthropic/claude-opus-4.7")[("input", 0)] > 0
    gpt = prices(parsed, "openai/gpt-5.4")
    assert gpt[("input", 0)] == Decimal("2.5")
    assert gpt[("input", 272_000)] == Decimal("5")
    assert gpt[("output", 272_000)] == Decimal("22.5")
    tiers = {r.tier_min_prompt_tokens for r in parsed.prices}
    assert {0, 200_000, 272_000} <= tiers
