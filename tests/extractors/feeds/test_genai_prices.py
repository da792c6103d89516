"""genai-prices data.json: tiers, dated prices, time-of-day windows, mapping, bad input."""

from __future__ import annotations

import gzip
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import BadPayload, InvalidPrice, LayoutChanged
from core.rows import Parsed, PriceRow
from extractors.feeds import genai_prices
from tests.paths import FIXTURES as FIXTURES_ROOT

FIXTURE = FIXTURES_ROOT / "feeds" / "genai-prices_2026-08-21.json"


def rows(parsed: Parsed, key: str) -> list[PriceRow]:
    return [r for r in parsed.prices if r.source_model_key == key]


def base(parsed: Parsed, key: str) -> dict[tuple[str, int], Decimal]:
    """Undated, unconditional prices: (component, tier_min_prompt_tokens) -> USD per Mtok."""
    return {
        (r.component, r.tier_min_prompt_tokens): r.usd_per_mtok
        for r in rows(parsed, key)
        if r.effective_from is None and r.effective_to is None and not r.condition
    }


def one_model(prices: object) -> bytes:
    return json.dumps([{"id": "p", "models": [{"id": "m", "prices": prices}]}]).encode()


@pytest.fixture(scope="module")
def parsed() -> Parsed:
    return genai_prices.parse(FIXTURE.read_bytes())


def test_tiered_gemini_prices(parsed: Parsed) -> None:
    assert base(parsed, "google/gemini-2.5-pro") == {
        ("input", 0): Decimal("1.25"),
        ("input", 200_000): Decimal("2.5"),
        ("cache_read", 0): Decimal("0.125"),
        ("cache_read", 200_000): Decimal("0.25"),
        ("output", 0): Decimal("10"),
        ("output", 200_000): Decimal("15"),
    }


def test_claude_cache_writes_map_to_five_minute_and_one_hour(parsed: Parsed) -> None:
    got = base(parsed, "anthropic/claude-sonnet-4-5")
    assert got[("cache_write_5m", 0)] == Decimal("3.75")
    assert got[("cache_write_1h", 0)] == Decimal("6")
    assert got[("cache_write_1h", 200_000)] == Decimal("12")
    limit = {r.source_model_key: r for r in parsed.limits}["anthropic/claude-sonnet-4-5"]
    assert limit.context_window_tokens == 1_000_000


def test_dated_price_sets_become_effective_ranges(parsed: Parsed) -> None:
    # claude-opus-4-6: tiered until 2026-03-13, flat from that date on.
    got = rows(parsed, "anthropic/claude-opus-4-6")
    before = {
        (r.component, r.tier_min_prompt_tokens): r.usd_per_mtok
        for r in got
        if r.effective_to == date(2026, 3, 13)
    }
    after = {
        (r.component, r.tier_min_prompt_tokens): r.usd_per_mtok
        for r in got
        if r.effective_from == date(2026, 3, 13)
    }
    assert before[("input", 0)] == Decimal("5")
    assert before[("input", 200_000)] == Decimal("10")
    assert before[("output", 200_000)] == Decimal("37.5")
    assert after == {
        ("input", 0): Decimal("5"),
        ("cache_write_5m", 0): Decimal("6.25"),
        ("cache_read", 0): Decimal("0.5"),
        ("output", 0): Decimal("25"),
        ("cache_write_1h", 0): Decimal("10"),
    }
    assert all(r.effective_to is None for r in got if r.effective_from == date(2026, 3, 13))
    assert all(r.effective_from is None for r in got if r.effective_to == date(2026, 3, 13))
    assert len(got) == len(before) + len(after)


def test_time_of_day_windows_become_conditions(parsed: Parsed) -> None:
    got = {
        (r.component, r.condition): r.usd_per_mtok for r in rows(parsed, "deepseek/deepseek-chat")
    }
    assert got == {
        ("input", "utc 00:30-16:30"): Decimal("0.27"),
        ("cache_read", "utc 00:30-16:30"): Decimal("0.07"),
        ("output", "utc 00:30-16:30"): Decimal("1.1"),
        # The first set applies when no window holds: the rest of the day (off-peak).
        ("input", "utc 16:30-00:30"): Decimal("0.135"),
        ("cache_read", "utc 16:30-00:30"): Decimal("0.035"),
        ("output", "utc 16:30-00:30"): Decimal("0.55"),
    }


def test_later_dated_sets_close_earlier_ones() -> None:
    prices = [
        {"prices": {"input_mtok": 1}},
        {"constraint": {"start_date": "2025-01-01"}, "prices": {"input_mtok": 2}},
        {"constraint": {"start_date": "2025-06-01"}, "prices": {"input_mtok": 3}},
    ]
    got = {
        (r.effective_from, r.effective_to): r.usd_per_mtok
        for r in genai_prices.parse(one_model(prices)).prices
    }
    assert got == {
        (None, date(2025, 1, 1)): Decimal("1"),
        (date(2025, 1, 1), date(2025, 6, 1)): Decimal("2"),
        (date(2025, 6, 1), None): Decimal("3"),
    }


def test_a_dated_set_shadowed_by_a_later_listed_earlier_date_is_dropped() -> None:
    # genai-prices tries sets last to first: the 2025-01-01 set listed last wins from then on.
    prices = [
        {"prices": {"input_mtok": 1}},
        {"constraint": {"start_date": "2025-06-01"}, "prices": {"input_mtok": 2}},
        {"constraint": {"start_date": "2025-01-01"}, "prices": {"input_mtok": 3}},
    ]
    got = {
        (r.effective_from, r.effective_to): r.usd_per_mtok
        for r in genai_prices.parse(one_model(prices)).prices
    }
    assert got == {(None, date(2025, 1, 1)): Decimal("1"), (date(2025, 1, 1), None): Decimal("3")}


def test_unknown_constraint_is_reported_and_its_set_skipped() -> None:
    prices = [
        {"prices": {"input_mtok": 1}},
        {"constraint": {"region": "eu"}, "prices": {"input_mtok": 2}},
    ]
    got = genai_prices.parse(one_model(prices))
    assert [r.usd_per_mtok for r in got.prices] == [Decimal("1")]
    assert got.unmapped_fields == {"constraint.region"}


def test_provider_mapping(parsed: Parsed) -> None:
    who = {r.source_model_key: (r.provider, r.model) for r in parsed.prices}
    assert who["google/gemini-2.5-pro"] == ("google", "gemini-2.5-pro")
    assert who["google/claude-3-5-sonnet"] == ("google-vertex", "claude-3-5-sonnet")
    assert who["x-ai/grok-4-0709"] == ("xai", "grok-4-0709")
    assert who["deepseek/deepseek-chat"] == ("deepseek", "deepseek-chat")
    assert who["openrouter/anthropic/claude-sonnet-4.5"] == (
        "openrouter",
        "anthropic/claude-sonnet-4.5",
    )


def test_non_text_prices_ignored_and_unknown_reported(parsed: Parsed) -> None:
    assert parsed.unmapped_fields == set()  # web_searches_kcount is known and not ours
    got = genai_prices.parse(one_model({"input_mtok": 1, "cache_storage_mtok_hour": 4.5}))
    assert got.unmapped_fields == {"cache_storage_mtok_hour"}


def test_exact_decimals(parsed: Parsed) -> None:
    got = {
        (r.component, r.condition): r.usd_per_mtok for r in rows(parsed, "deepseek/deepseek-chat")
    }
    assert str(got[("input", "utc 16:30-00:30")]) == "0.135"


# -- bad input ---------------------------------------------------------------------------


def test_truncated_json_is_bad_payload() -> None:
    with pytest.raises(BadPayload, match="genai-prices: malformed or truncated JSON"):
        genai_prices.split(FIXTURE.read_bytes()[:500])


def test_html_error_page_is_bad_payload() -> None:
    with pytest.raises(BadPayload, match="HTML page instead of JSON"):
        genai_prices.split(b"<!doctype html><title>404: Not Found</title>")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"providers": []}', "top level is not a list of providers"),
        (b"[]", "no models in any provider"),
        (b'[{"id": "openai"}]', "lacks a string `id` or a `models` list"),
        (b'[{"id": "openai", "models": [{"name": "x"}]}]', "openai: a model has no string `id`"),
        (one_model("cheap"), "p/m: `prices` is neither"),
        (one_model([{"constraint": {"start_date": "soon"}, "prices": {}}] * 2), "not a date"),
        (
            one_model({"input_mtok": {"base": 1, "tiers": [{"start": 1000}]}}),
            "lacks start or price",
        ),
    ],
)
def test_wrong_shape_is_layout_changed(raw: bytes, reason: str) -> None:
    with pytest.raises(LayoutChanged, match=reason):
        genai_prices.parse(raw)


@pytest.mark.parametrize(
    "prices",
    [{"input_mtok": "1.25"}, {"output_mtok": False}, {"input_mtok": {"base": "2", "tiers": []}}],
)
def test_a_price_that_is_not_a_number_is_invalid_price(prices: object) -> None:
    with pytest.raises(InvalidPrice, match=r"p/m: (input|output)_mtok(\.base)? is .*not a number"):
        genai_prices.parse(one_model(prices))


def test_negative_price_is_invalid_price() -> None:
    with pytest.raises(InvalidPrice, match=r"p/m: input_mtok.tiers.price is negative \(-2.5\)"):
        genai_prices.parse(
            one_model({"input_mtok": {"base": 1, "tiers": [{"start": 1, "price": -2.5}]}})
        )


# -- real file ---------------------------------------------------------------------------


@pytest.mark.samples
def test_whole_real_file_parses(samples: Path) -> None:
    raw = gzip.decompress((samples / "genai-prices_data_2026-08-21.json.gz").read_bytes())
    parsed = genai_prices.parse(raw)
    assert len(genai_prices.split(raw)) == 1466
    assert len(parsed.model_keys) > 1300
    assert parsed.unmapped_fields == set()
    assert base(parsed, "google/gemini-2.5-pro")[("input", 200_000)] == Decimal("2.5")
    assert base(parsed, "openai/gpt-4o")[("input", 0)] == Decimal("2.5")
    dated = [r for r in parsed.prices if r.effective_from is not None]
    assert {r.source_model_key for r in dated} >= {"anthropic/claude-opus-4-6"}
    windows = {r.condition for r in parsed.prices if r.condition}
    assert windows == {"utc 00:30-16:30", "utc 16:30-00:30"}
