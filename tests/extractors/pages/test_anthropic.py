"""anthropic-docs: Anthropic's pricing page (docs Markdown, HTML fallback)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import AmbiguousPrice, LayoutChanged
from core.rows import Parsed, PriceRow
from extractors.pages import anthropic
from extractors.pages.anthropic import anthropic_model_id, model_names, schedule
from tests.paths import FIXTURES as FIXTURES_ROOT

FIXTURES = FIXTURES_ROOT / "pages"


def _rows(parsed: Parsed, model: str, component: str, tier: str = "standard") -> list[PriceRow]:
    return [
        r
        for r in parsed.prices
        if (r.model, r.component, r.service_tier) == (model, component, tier)
    ]


def _one(parsed: Parsed, model: str, component: str, tier: str = "standard") -> Decimal:
    rows = [r for r in _rows(parsed, model, component, tier) if r.tier_min_prompt_tokens == 0]
    assert len(rows) == 1, rows
    return rows[0].usd_per_mtok


@pytest.fixture
def page() -> Parsed:
    return anthropic.parse((FIXTURES / "anthropic_pricing.md").read_bytes())


def test_sonnet_45_prices_including_the_one_hour_cache_write(page: Parsed) -> None:
    assert _one(page, "claude-sonnet-4-5", "input") == Decimal("3")
    assert _one(page, "claude-sonnet-4-5", "cache_write_5m") == Decimal("3.75")
    assert _one(page, "claude-sonnet-4-5", "cache_write_1h") == Decimal("6")
    assert _one(page, "claude-sonnet-4-5", "cache_read") == Decimal("0.30")
    assert _one(page, "claude-sonnet-4-5", "output") == Decimal("15")
    assert _one(page, "claude-sonnet-4-5", "input", "batch") == Decimal("1.50")
    assert _one(page, "claude-sonnet-4-5", "output", "batch") == Decimal("7.50")


def test_a_cell_naming_two_models_gives_both_the_prices(page: Parsed) -> None:
    assert _one(page, "claude-opus-4-8", "cache_write_1h") == Decimal("10")
    assert _one(page, "claude-opus-4-7", "cache_write_1h") == Decimal("10")


def test_status_suffix_is_not_part_of_the_id(page: Parsed) -> None:
    assert _one(page, "claude-3-opus", "output") == Decimal("75")
    assert not any("deprecated" in k for k in page.model_keys)


def test_scheduled_prices_become_dated_rows(page: Parsed) -> None:
    rows = _rows(page, "claude-sonnet-5", "input")
    assert {(r.usd_per_mtok, r.effective_from, r.effective_to) for r in rows} == {
        (Decimal("2"), None, date(2026, 8, 31)),
        (Decimal("3"), date(2026, 9, 1), None),
    }
    batch = _rows(page, "claude-sonnet-5", "output", "batch")
    assert {(r.usd_per_mtok, r.effective_from, r.effective_to) for r in batch} == {
        (Decimal("5"), None, date(2026, 8, 31)),
        (Decimal("7.50"), date(2026, 9, 1), None),
    }


def test_long_context_table_gives_tier_rows_above_200k(page: Parsed) -> None:
    for model in ("claude-sonnet-4-5", "claude-sonnet-4"):
        tiered = {
            (r.component, r.usd_per_mtok)
            for r in page.prices
            if r.model == model and r.tier_min_prompt_tokens == 200_000
        }
        assert tiered == {("input", Decimal("6")), ("output", Decimal("22.50"))}


def test_context_window_sentence_gives_limit_rows(page: Parsed) -> None:
    limits = {r.model: r.context_window_tokens for r in page.limits}
    assert limits == {
        "claude-opus-4-8": 1_000_000,
        "claude-opus-4-7": 1_000_000,
        "claude-sonnet-5": 1_000_000,
    }


def test_rows_carry_source_and_provider(page: Parsed) -> None:
    assert {(r.source, r.provider) for r in page.prices} == {("anthropic-docs", "anthropic")}
    keys = [r.series_key() for r in page.prices]
    assert len(keys) == len(set(keys))


def test_html_fallback_reads_the_same_tables() -> None:
    parsed = anthropic.parse((FIXTURES / "anthropic_pricing.html").read_bytes())
    assert _one(parsed, "claude-sonnet-4-5", "cache_write_1h") == Decimal("6")
    assert _one(parsed, "claude-haiku-4-5", "cache_read") == Decimal("0.10")
    assert _one(parsed, "claude-3-opus", "input") == Decimal("15")
    assert _one(parsed, "claude-sonnet-4-5", "input", "batch") == Decimal("1.50")


@pytest.mark.parametrize(
    ("display", "model_id"),
    [
        ("Claude Sonnet 4.5", "claude-sonnet-4-5"),
        ("Claude Opus 4.1", "claude-opus-4-1"),
        ("Claude Opus 4", "claude-opus-4"),
        ("Claude Haiku 3.5", "claude-3-5-haiku"),
        ("Claude Sonnet 3.7 (deprecated)", "claude-3-7-sonnet"),
        ("Claude Opus 3", "claude-3-opus"),
        ("Claude Mythos 5 (limited availability)", "claude-mythos-5"),
        ("Claude Mythos Preview", "claude-mythos-preview"),
    ],
)
def test_display_names_map_to_api_ids(display: str, model_id: str) -> None:
    assert anthropic_model_id(display) == model_id


def test_model_cells_with_shorthand() -> None:
    assert model_names("Claude Sonnet 4.5 / 4") == ["Claude Sonnet 4.5", "Claude Sonnet 4"]
    assert model_names("Claude Opus 4.8 / Opus 4.7") == ["Claude Opus 4.8", "Claude Opus 4.7"]


def test_schedule_words() -> None:
    assert schedule("Claude Sonnet 5 through August 31, 2026") == (
        "Claude Sonnet 5",
        None,
        date(2026, 8, 31),
    )
    assert schedule("Claude Sonnet 5 starting September 1, 2026") == (
        "Claude Sonnet 5",
        date(2026, 9, 1),
        None,
    )
    assert schedule("Claude Haiku 4.5") == ("Claude Haiku 4.5", None, None)
    with pytest.raises(AmbiguousPrice):
        schedule("Claude Sonnet 5 starting next quarter")


def test_long_context_table_without_a_threshold_is_ambiguous() -> None:
    page = (FIXTURES / "anthropic_pricing.md").read_text(encoding="utf-8")
    page = page.replace("&gt; 200K input tokens", "Long context").replace(
        "requests that exceed 200K input tokens", "long requests"
    )
    parsed = anthropic.parse(page.encode())
    [failure] = parsed.section_failures
    assert (failure.section, failure.kind) == ("Long context pricing", "ambiguous_price")
    assert "threshold" in failure.reason
    assert failure.models == ("claude-sonnet-4", "claude-sonnet-4-5")
    assert not any(r.tier_min_prompt_tokens for r in parsed.prices)
    assert _one(parsed, "claude-sonnet-4-5", "input") == Decimal("3")


def test_a_renamed_main_header_names_the_missing_anchor() -> None:
    page = (FIXTURES / "anthropic_pricing.md").read_text(encoding="utf-8")
    page = page.replace("Base Input Tokens", "Input")
    with pytest.raises(LayoutChanged, match="Base Input Tokens"):
        anthropic.parse(page.encode())


def test_a_two_price_cell_skips_that_model_row_only() -> None:
    page = (FIXTURES / "anthropic_pricing.md").read_text(encoding="utf-8")
    page = page.replace("| $3 / MTok | $3.75 / MTok |", "| $3 / MTok $2 / MTok | $3.75 / MTok |", 1)
    parsed = anthropic.parse(page.encode())
    [failure] = parsed.section_failures
    assert failure.section == "Model pricing / Claude Sonnet 4.5"
    assert failure.models == ("claude-sonnet-4-5",) and failure.kind == "ambiguous_price"
    assert "2 prices in one cell" in failure.reason
    assert not [
        r for r in _rows(parsed, "claude-sonnet-4-5", "input") if not r.tier_min_prompt_tokens
    ]
    assert _one(parsed, "claude-sonnet-4-5", "input", "batch") == Decimal("1.50")
    assert _one(parsed, "claude-haiku-4-5", "output") == Decimal("5")


def test_an_unknown_price_column_skips_the_table_never_drops_the_column() -> None:
    page = (FIXTURES / "anthropic_pricing.md").read_text(encoding="utf-8")
    page = page.replace("| Batch input | Batch output |", "| Batch input | Batch result |")
    parsed = anthropic.parse(page.encode())
    [failure] = parsed.section_failures
    assert failure.section == "Batch processing"
    assert "unknown price column 'Batch result'" in failure.reason
    assert "claude-sonnet-4-5" in failure.models
    assert not any(r.service_tier == "batch" for r in parsed.prices)


# --- real captures ------------------------------------------------------------------------


@pytest.mark.samples
def test_real_markdown_capture(samples: Path) -> None:
    payload = (samples / "pages" / "anthropic_pricing.md_kmodels-fixture.md").read_bytes()
    parsed = anthropic.parse(payload)
    assert _one(parsed, "claude-opus-4-8", "cache_write_1h") == Decimal("10")
    assert _one(parsed, "claude-fable-5", "cache_write_1h") == Decimal("20")
    assert _one(parsed, "claude-mythos-5", "output", "batch") == Decimal("25")
    sonnet = {
        (r.usd_per_mtok, r.effective_from, r.effective_to)
        for r in _rows(parsed, "claude-sonnet-5", "cache_write_1h")
    }
    assert sonnet == {
        (Decimal("4"), None, date(2026, 8, 31)),
        (Decimal("6"), date(2026, 9, 1), None),
    }
    assert {r.model for r in parsed.limits} >= {"claude-opus-4-7", "claude-sonnet-5"}
    # The unlabelled "Model | Input | Output" table ($10 / $50 for Opus 4.8 / 4.7) has no
    # heading saying what it prices: reported, not guessed.
    assert "anthropic-docs: table 'Model | Input | Output' under 'Pricing'" in (
        parsed.unmapped_fields
    )
    assert not any(r.tier_min_prompt_tokens for r in parsed.prices)


@pytest.mark.samples
def test_marketing_pricing_page_capture_is_not_the_docs_table(samples: Path) -> None:
    # claude.com/pricing shows plan cards, not the docs' per-model table.
    payload = samples / "pages" / "anthropic-claude.com-pricing_2026-05-08_d1507e12.html"
    with pytest.raises(LayoutChanged, match="Base Input Tokens"):
        anthropic.parse(payload.read_bytes())


def test_long_context_table_with_a_model_column_and_two_prices_per_cell() -> None:
    page = (FIXTURES / "anthropic_pricing.md").read_text(encoding="utf-8")
    start, end = page.index("<table>"), page.index("</table>") + len("</table>")
    table = (
        "| Model | ≤ 200K input tokens | > 200K input tokens |\n"
        "| --- | --- | --- |\n"
        "| Claude Sonnet 4.5 / 4 | Input: $3 / MTok<br/>Output: $15 / MTok "
        "| Input: $6 / MTok<br/>Output: $22.50 / MTok |\n"
    )
    parsed = anthropic.parse((page[:start] + table + page[end:]).encode())
    for model in ("claude-sonnet-4-5", "claude-sonnet-4"):
        tiered = {
            (r.component, r.usd_per_mtok)
            for r in parsed.prices
            if r.model == model and r.tier_min_prompt_tokens == 200_000
        }
        assert tiered == {("input", Decimal("6")), ("output", Decimal("22.50"))}
