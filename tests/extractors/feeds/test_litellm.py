"""LiteLLM's price file: components, tiers, service tiers, limits, mapping, bad input."""

from __future__ import annotations

import gzip
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import BadPayload, InvalidPrice, LayoutChanged
from core.rows import Parsed
from extractors.feeds import litellm
from tests.paths import FIXTURES as FIXTURES_ROOT

FEEDS = FIXTURES_ROOT / "feeds"
FIXTURE = FEEDS / "litellm_2026-07-24.json"
FIXTURE_2023 = FEEDS / "litellm_2023-11-03.json"


def prices(parsed: Parsed, key: str) -> dict[tuple[str, str, int], Decimal]:
    """(component, service tier, tier_min_prompt_tokens) -> USD per Mtok for one key."""
    return {
        (r.component, r.service_tier, r.tier_min_prompt_tokens): r.usd_per_mtok
        for r in parsed.prices
        if r.source_model_key == key
    }


@pytest.fixture(scope="module")
def parsed() -> Parsed:
    return litellm.parse(FIXTURE.read_bytes())


def test_gemini_ai_studio_prices_with_long_context_and_priority_tiers(parsed: Parsed) -> None:
    got = prices(parsed, "gemini/gemini-2.5-pro")
    assert got[("input", "standard", 0)] == Decimal("1.25")
    assert got[("input", "standard", 200_000)] == Decimal("2.5")
    assert got[("output", "standard", 0)] == Decimal("10")
    assert got[("output", "standard", 200_000)] == Decimal("15")
    assert got[("cache_read", "standard", 0)] == Decimal("0.125")
    assert got[("cache_read", "standard", 200_000)] == Decimal("0.25")
    assert got[("input", "priority", 200_000)] == Decimal("2.5")
    assert got[("output", "priority", 200_000)] == Decimal("15")
    assert len(got) == 10


def test_prices_are_exact_decimals_not_float_neighbours(parsed: Parsed) -> None:
    got = prices(parsed, "gemini/gemini-2.5-pro")
    assert str(got[("input", "standard", 0)]) == "1.25"
    assert str(got[("output", "standard", 0)]) == "10"
    assert str(prices(parsed, "deepseek/deepseek-chat")[("cache_read", "standard", 0)]) == "0.028"


def test_gemini_prefix_is_ai_studio_and_bare_gemini_is_vertex(parsed: Parsed) -> None:
    who = {(r.source_model_key, r.provider, r.model) for r in parsed.prices}
    assert ("gemini/gemini-2.5-pro", "google", "gemini-2.5-pro") in who
    assert ("gemini-2.5-pro", "google-vertex", "gemini-2.5-pro") in who


def test_vertex_cache_write_exists_only_above_the_threshold(parsed: Parsed) -> None:
    got = prices(parsed, "gemini-2.5-pro")
    assert got[("cache_write_5m", "standard", 200_000)] == Decimal("0.25")
    assert ("cache_write_5m", "standard", 0) not in got


def test_claude_cache_writes_five_minute_and_one_hour_with_long_context(parsed: Parsed) -> None:
    got = prices(parsed, "claude-sonnet-4-5")
    assert got[("cache_write_5m", "standard", 0)] == Decimal("3.75")
    assert got[("cache_write_1h", "standard", 0)] == Decimal("6")
    assert got[("cache_write_1h", "standard", 200_000)] == Decimal("12")
    assert got[("cache_write_5m", "standard", 200_000)] == Decimal("7.5")
    assert got[("cache_read", "standard", 200_000)] == Decimal("0.6")
    assert got[("output", "standard", 200_000)] == Decimal("22.5")
    assert {
        (r.provider, r.model) for r in parsed.prices if r.source_model_key == "claude-sonnet-4-5"
    } == {("anthropic", "claude-sonnet-4-5")}


def test_openai_flex_and_priority_service_tiers(parsed: Parsed) -> None:
    got = prices(parsed, "gpt-5")
    assert got[("input", "flex", 0)] == Decimal("0.625")
    assert got[("input", "priority", 0)] == Decimal("2.5")
    assert got[("output", "priority", 0)] == Decimal("20")
    assert got[("cache_read", "flex", 0)] == Decimal("0.0625")
    assert got[("input", "standard", 0)] == Decimal("1.25")


def test_deepseek_and_xai_prefixes_are_stripped_to_the_providers_ids(parsed: Parsed) -> None:
    who = {r.source_model_key: (r.provider, r.model) for r in parsed.prices}
    assert who["deepseek/deepseek-chat"] == ("deepseek", "deepseek-chat")
    assert who["xai/grok-4"] == ("xai", "grok-4")
    assert prices(parsed, "xai/grok-4") == {
        ("input", "standard", 0): Decimal("3"),
        ("output", "standard", 0): Decimal("15"),
    }


def test_deepseek_zero_cache_write_is_a_real_zero(parsed: Parsed) -> None:
    got = prices(parsed, "deepseek/deepseek-chat")
    assert got[("cache_write_5m", "standard", 0)] == Decimal("0")
    assert got[("input", "standard", 0)] == Decimal("0.28")
    assert got[("output", "standard", 0)] == Decimal("0.42")


def test_tiered_pricing_ranges_become_long_context_tiers(parsed: Parsed) -> None:
    got = prices(parsed, "dashscope/qwen-flash")
    assert got == {
        ("input", "standard", 0): Decimal("0.05"),
        ("output", "standard", 0): Decimal("0.4"),
        ("input", "standard", 256_000): Decimal("0.25"),
        ("output", "standard", 256_000): Decimal("2"),
    }
    assert {r.provider for r in parsed.prices if r.source_model_key == "dashscope/qwen-flash"} == {
        "alibaba"
    }


def test_resellers_keep_their_names_and_the_routing_prefix_goes(parsed: Parsed) -> None:
    who = {r.source_model_key: (r.provider, r.model) for r in parsed.prices}
    assert who["vertex_ai/claude-sonnet-4-5@20250929"] == (
        "google-vertex",
        "claude-sonnet-4-5@20250929",
    )
    bedrock_key = "bedrock/us-gov-east-1/anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert who[bedrock_key] == (
        "bedrock",
        "us-gov-east-1/anthropic.claude-sonnet-4-5-20250929-v1:0",
    )


def test_documentation_keys_and_non_text_modes_yield_nothing(parsed: Parsed) -> None:
    keys = parsed.model_keys
    assert "sample_spec" not in keys
    assert "fallback_generalizations" not in keys
    assert "text-embedding-3-small" not in keys  # mode embedding
    assert (
        litellm.parse_entry(
            "text-embedding-3-small", {"mode": "embedding", "input_cost_per_token": 2e-08}
        )
        == Parsed()
    )


def test_a_mode_that_is_not_a_string_is_not_ours() -> None:
    entry = {"mode": ["chat"], "litellm_provider": "openai", "input_cost_per_token": 1e-06}
    assert litellm.parse_entry("m", entry) == Parsed()


def test_unknown_price_like_fields_are_reported_not_fatal(parsed: Parsed) -> None:
    # gpt-6-luna carries OpenAI's "decisions" tier, which has no canonical service tier yet.
    assert "input_cost_per_token_decisions" in parsed.unmapped_fields
    assert "cache_read_input_token_cost_decisions" in parsed.unmapped_fields
    # Prices for other work (images, audio, searches) are not ours and not reported.
    assert not any("image" in f or "audio" in f or "search" in f for f in parsed.unmapped_fields)
    assert prices(parsed, "gpt-6-luna")[("input", "standard", 0)] == Decimal("0.1")


def test_limits_come_from_max_input_and_output_tokens(parsed: Parsed) -> None:
    limits = {r.source_model_key: r for r in parsed.limits}
    gemini = limits["gemini/gemini-2.5-pro"]
    assert (gemini.max_input_tokens, gemini.max_output_tokens) == (1_048_576, 65_535)
    assert gemini.context_window_tokens is None
    assert (limits["gpt-5"].max_input_tokens, limits["gpt-5"].max_output_tokens) == (
        272_000,
        128_000,
    )


def test_integral_float_limits_are_read_as_token_counts(parsed: Parsed) -> None:
    # LiteLLM writes grok-4-fast's limits as 2000000.0 in real releases.
    limit = {r.source_model_key: r for r in parsed.limits}["xai/grok-4-fast-reasoning"]
    assert limit.max_input_tokens == 2_000_000
    assert isinstance(limit.max_input_tokens, int)


def test_2023_files_legacy_max_tokens_is_the_context_window() -> None:
    parsed = litellm.parse(FIXTURE_2023.read_bytes())
    limits = {r.source_model_key: r for r in parsed.limits}
    assert limits["gpt-4"].context_window_tokens == 8192
    assert limits["claude-2"].context_window_tokens == 100_000
    assert limits["gpt-4"].max_output_tokens is None
    assert prices(parsed, "gpt-4")[("input", "standard", 0)] == Decimal("30")
    assert prices(parsed, "claude-2")[("output", "standard", 0)] == Decimal("32.68")


def test_2023_entries_without_mode_or_provider_still_parse() -> None:
    parsed = litellm.parse(FIXTURE_2023.read_bytes())
    rows = [r for r in parsed.prices if r.source_model_key == "together-ai-up-to-3b"]
    assert {(r.provider, r.model, r.usd_per_mtok) for r in rows} == {
        ("unknown", "together-ai-up-to-3b", Decimal("0.1"))
    }
    assert {r.provider for r in parsed.prices if r.source_model_key == "text-davinci-003"} == {
        "openai"
    }
    assert {r.provider for r in parsed.prices if r.source_model_key == "text-bison"} == {
        "google-vertex"
    }


def test_legacy_deepseek_cache_hit_name_is_the_cache_read_price() -> None:
    entry = {
        "litellm_provider": "deepseek",
        "mode": "chat",
        "input_cost_per_token": 1.4e-07,
        "input_cost_per_token_cache_hit": 1.4e-08,
        "output_cost_per_token": 2.8e-07,
    }
    got = prices(litellm.parse_entry("deepseek-chat", entry), "deepseek-chat")
    assert got[("cache_read", "standard", 0)] == Decimal("0.014")
    both = dict(entry, cache_read_input_token_cost=2e-08)
    got = prices(litellm.parse_entry("deepseek-chat", both), "deepseek-chat")
    assert got[("cache_read", "standard", 0)] == Decimal("0.02")


def test_null_price_means_not_stated() -> None:
    entry = {
        "litellm_provider": "openai",
        "mode": "chat",
        "input_cost_per_token": None,
        "output_cost_per_token": 1e-05,
    }
    assert prices(litellm.parse_entry("m", entry), "m") == {
        ("output", "standard", 0): Decimal("10")
    }


@pytest.mark.parametrize(
    ("name", "meaning"),
    [
        ("input_cost_per_token", ("input", "standard", 0)),
        ("input_cost_per_token_above_200k_tokens_priority", ("input", "priority", 200_000)),
        ("cache_creation_input_token_cost_above_1hr", ("cache_write_1h", "standard", 0)),
        (
            "cache_creation_input_token_cost_above_1hr_above_200k_tokens",
            ("cache_write_1h", "standard", 200_000),
        ),
        ("cache_read_input_token_cost_above_272k_tokens_batches", ("cache_read", "batch", 272_000)),
        ("output_cost_per_token_flex", ("output", "flex", 0)),
    ],
)
def test_field_names_compose(name: str, meaning: tuple[str, str, int]) -> None:
    spec = litellm.classify_field(name)
    assert isinstance(spec, litellm.PriceField)
    assert (spec.component, spec.service_tier, spec.tier_min_prompt_tokens) == meaning


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("max_input_tokens", litellm.IGNORED),
        ("input_cost_per_image", litellm.IGNORED),
        ("output_cost_per_audio_token", litellm.IGNORED),
        ("input_cost_per_token_ultrafast", litellm.UNMAPPED),
        ("explicit_cache_read_input_token_cost", litellm.UNMAPPED),
        ("input_cost_per_token_above_1hr", litellm.UNMAPPED),
    ],
)
def test_other_fields_are_ignored_or_reported(name: str, kind: str) -> None:
    assert litellm.classify_field(name) == kind


@given(st.decimals(min_value=0, max_value=1, places=12, allow_nan=False, allow_infinity=False))
def test_any_per_token_price_written_in_the_file_scales_to_per_mtok_exactly(
    per_token: Decimal,
) -> None:
    # The number goes into the JSON text as written (e.g. 1.25E-7); what comes out must be
    # that decimal times a million, with no binary-float residue.
    payload = f'{{"m": {{"mode": "chat", "input_cost_per_token": {per_token}}}}}'.encode()
    (row,) = litellm.parse(payload).prices
    assert row.usd_per_mtok == per_token * 1_000_000


# -- bad input ---------------------------------------------------------------------------


def test_truncated_json_is_bad_payload() -> None:
    raw = FIXTURE.read_bytes()
    with pytest.raises(BadPayload, match="malformed or truncated JSON"):
        litellm.split(raw[: len(raw) // 2])


def test_html_error_page_is_bad_payload() -> None:
    page = b"\n<!DOCTYPE html><html><head><title>500</title></head><body>oops</body></html>"
    with pytest.raises(BadPayload, match="HTML page instead of JSON") as err:
        litellm.split(page)
    assert str(err.value).startswith("litellm: ")
    assert "\n" not in str(err.value)


def test_empty_and_non_utf8_payloads_are_bad_payload() -> None:
    with pytest.raises(BadPayload, match="empty payload"):
        litellm.split(b"  \n")
    with pytest.raises(BadPayload, match="not UTF-8"):
        litellm.split(b'{"m": "\xff\xfe"}')


def test_nan_constant_is_bad_payload() -> None:
    with pytest.raises(BadPayload, match="NaN"):
        litellm.split(b'{"m": {"input_cost_per_token": NaN}}')


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"[1, 2]", "top level is a list"),
        (b"{}", "no model entries"),
        (b'{"sample_spec": {}}', "no model entries"),
        (b'{"gpt-4": [1]}', "gpt-4: entry is a list"),
    ],
)
def test_wrong_shape_is_layout_changed(payload: bytes, reason: str) -> None:
    with pytest.raises(LayoutChanged, match=reason):
        litellm.split(payload)


@pytest.mark.parametrize("value", ["0.0", "3e-06", True, [1], {"a": 1}])
def test_a_price_that_is_not_a_number_is_invalid_price(value: object) -> None:
    entry = {"mode": "chat", "litellm_provider": "openai", "output_cost_per_token": value}
    with pytest.raises(InvalidPrice, match=r"gpt-4o: output_cost_per_token is .*not a number"):
        litellm.parse_entry("gpt-4o", entry)


def test_negative_price_is_invalid_price() -> None:
    entry = {"mode": "chat", "litellm_provider": "openai", "input_cost_per_token": -2.5e-06}
    with pytest.raises(
        InvalidPrice, match=r"gpt-4o: input_cost_per_token is negative \(-0.0000025\)"
    ):
        litellm.parse_entry("gpt-4o", entry)


def test_a_limit_that_is_not_a_count_is_layout_changed() -> None:
    entry = {"mode": "chat", "litellm_provider": "openai", "max_input_tokens": "128k"}
    with pytest.raises(LayoutChanged, match="max_input_tokens is '128k', not a token count"):
        litellm.parse_entry("gpt-4o", entry)


def test_prices_of_work_we_ignore_are_not_validated() -> None:
    # A string in a per-image price is not our business and must not fail the source.
    entry = {
        "mode": "chat",
        "litellm_provider": "openai",
        "input_cost_per_image": "n/a",
        "input_cost_per_token": 1e-06,
    }
    assert prices(litellm.parse_entry("m", entry), "m") == {("input", "standard", 0): Decimal("1")}


# -- real releases -----------------------------------------------------------------------


@pytest.mark.samples
def test_all_twelve_real_releases_parse(samples: Path) -> None:
    files = sorted((samples / "litellm_releases").glob("*.json.gz"))
    assert len(files) == 12
    counts = []
    for path in files:
        parsed = litellm.parse(gzip.decompress(path.read_bytes()))
        counts.append(len(parsed.model_keys))
        assert all(r.usd_per_mtok >= 0 for r in parsed.prices)
    # 2023-11: 90 keys, all chat/completion; 2026-11: 4,262 keys of which ~3,240 text.
    assert counts[0] == 90
    assert counts[-1] > 3000
    assert counts == sorted(counts)


@pytest.mark.samples
def test_latest_real_release_figures(samples: Path) -> None:
    path = samples / "litellm_releases" / "2026-11-17T222824_1.108.11.json.gz"
    parsed = litellm.parse(gzip.decompress(path.read_bytes()))
    gemini = prices(parsed, "gemini/gemini-2.5-pro")
    assert gemini[("input", "standard", 0)] == Decimal("1.25")
    assert gemini[("input", "standard", 200_000)] == Decimal("2.5")
    assert gemini[("input", "batch", 0)] == Decimal("0.625")
    claude = prices(parsed, "claude-sonnet-4-5")
    assert claude[("cache_write_1h", "standard", 0)] == Decimal("6")
    assert claude[("input", "batch", 0)] == Decimal("1.5")
    assert prices(parsed, "deepseek/deepseek-chat")[("input", "standard", 0)] == Decimal("0.28")


@pytest.mark.samples
def test_oldest_real_release_figures(samples: Path) -> None:
    path = samples / "litellm_releases" / "2023-11-03T171521_0.12.12.json.gz"
    parsed = litellm.parse(gzip.decompress(path.read_bytes()))
    assert prices(parsed, "gpt-4")[("output", "standard", 0)] == Decimal("60")
    assert prices(parsed, "gpt-3.5-turbo")[("input", "standard", 0)] == Decimal("1.5")
