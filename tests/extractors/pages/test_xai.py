"""xai-docs: xAI's "Models and Pricing" page (Markdown twin), tiers, limits and salvage."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import LayoutChanged
from core.rows import Parsed
from extractors.pages import xai
from tests.paths import FIXTURES as FIXTURES_ROOT

FIXTURES = FIXTURES_ROOT / "pages"


def _price(parsed: Parsed, model: str, component: str, threshold: int = 0) -> Decimal | None:
    hits = [
        r.usd_per_mtok
        for r in parsed.prices
        if (r.model, r.component, r.tier_min_prompt_tokens) == (model, component, threshold)
    ]
    assert len(hits) <= 1, hits
    return hits[0] if hits else None


def _text() -> str:
    return (FIXTURES / "xai_pricing.md").read_text(encoding="utf-8")


@pytest.fixture
def page() -> Parsed:
    return xai.parse(_text().encode())


def test_chat_models_input_output_and_context_ceilings(page: Parsed) -> None:
    assert _price(page, "grok-4.3", "input") == Decimal("1.25")
    assert _price(page, "grok-4.3", "output") == Decimal("2.50")
    assert _price(page, "grok-4-1-fast-reasoning", "output") == Decimal("0.50")
    limits = {r.model: r.context_window_tokens for r in page.limits}
    assert limits["grok-4.3"] == 1_000_000 and limits["grok-4.20-0309-reasoning"] == 2_000_000
    assert len(page.model_keys) == 6 and page.section_failures == []
    assert {(r.source, r.provider, r.service_tier) for r in page.prices} == {
        ("xai-docs", "xai", "standard")
    }


def test_image_voice_and_tool_tables_are_reported_not_read(page: Parsed) -> None:
    assert not any(k.startswith("grok-imagine") for k in page.model_keys)
    assert "xai-docs: table 'Model | Cost' under 'Imagine API' (not per token)" in (
        page.unmapped_fields
    )


def test_the_source_fetches_the_markdown_twin_the_page_links() -> None:
    assert xai.SOURCE.url == "https://docs.x.ai/developers/models.md"
    assert xai.SOURCE.page_url == "https://docs.x.ai/developers/models"
    assert xai.SOURCE.official is True


# The Markdown twin's own layout: one combined "in (cached in) / out" column (the
# grok-4-1-fast figures are xAI's: $0.20 input, $0.05 cached input, $0.50 output).
TWIN = """# Models and Pricing

| Model | Modalities | Capabilities | Context | Rate Limits | Pricing [in (cached in) / out] |
| --- | --- | --- | --- | --- | --- |
{row}
{row}
| grok-imagine-image | text, image → image | - | - | 300 RPM | $0.02/image |
""".format(
    row="| grok-4-1-fast-reasoning | text, image → text | functions, structured, reasoning"
    " | 2,000,000 | 10M TPM, 1,800 RPM | $0.20 ($0.05) / $0.50 |"
)


def test_the_twins_combined_column_gives_input_cached_input_and_output() -> None:
    parsed = xai.parse(TWIN.encode())
    assert _price(parsed, "grok-4-1-fast-reasoning", "input") == Decimal("0.20")
    assert _price(parsed, "grok-4-1-fast-reasoning", "cache_read") == Decimal("0.05")
    assert _price(parsed, "grok-4-1-fast-reasoning", "output") == Decimal("0.50")
    assert [r.context_window_tokens for r in parsed.limits] == [2_000_000]
    assert "grok-imagine-image" not in parsed.model_keys
    assert "xai-docs: per-unit price '$0.02/image'" in parsed.unmapped_fields


def test_long_context_tiers_from_a_threshold_column_and_from_a_two_tier_cell() -> None:
    table = (
        "| Model | Context | Input | Input (> 128K tokens) | Cached input | Output |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| grok-4-fast | 2M | $0.20 | $0.40 | $0.05 | $0.50 (≤ 128K) $1.00 (> 128K) |\n"
    )
    parsed = xai.parse(f"# Models and Pricing\n\n### Chat API\n\n{table}".encode())
    assert _price(parsed, "grok-4-fast", "input") == Decimal("0.20")
    assert _price(parsed, "grok-4-fast", "input", 128_000) == Decimal("0.40")
    assert _price(parsed, "grok-4-fast", "cache_read") == Decimal("0.05")
    assert _price(parsed, "grok-4-fast", "output", 128_000) == Decimal("1.00")
    assert _price(parsed, "grok-4-fast", "output") == Decimal("0.50")


def test_a_cell_with_two_unlabelled_prices_skips_that_model_only() -> None:
    text = _text().replace(
        "| grok-4.3 | 1M | $1.25 | $2.50 |", "| grok-4.3 | 1M | $1.25 $1.50 | $2.50 |"
    )
    parsed = xai.parse(text.encode())
    [failure] = parsed.section_failures
    assert (failure.section, failure.models, failure.kind) == (
        "Chat API / grok-4.3",
        ("grok-4.3",),
        "ambiguous_price",
    )
    assert "grok-4.3" not in parsed.model_keys
    assert _price(parsed, "grok-4-1-fast-reasoning", "input") == Decimal("0.20")


def test_an_unknown_token_price_column_skips_the_table() -> None:
    text = _text().replace(
        "| Model | Context | Input | Output |", "| Model | Context | Prompt | Output |"
    )
    with pytest.raises(LayoutChanged, match="unknown price column 'Prompt'"):
        xai.parse(text.encode())


def test_prices_per_thousand_tokens_are_scaled() -> None:
    text = _text().replace("Prices shown per million tokens", "Prices shown per 1K tokens")
    text = text.replace("| $1.25 | $2.50 |", "| $0.00125 | $0.0025 |")
    text = text.replace("| $0.20 | $0.50 |", "| $0.0002 | $0.0005 |")
    assert xai.parse(text.encode()).prices == xai.parse(_text().encode()).prices


def test_a_page_without_the_title_is_a_layout_change() -> None:
    with pytest.raises(LayoutChanged, match="Models and Pricing"):
        xai.parse(_text().replace("# Models and Pricing", "# Pricing").encode())


@pytest.mark.samples
def test_real_capture(samples: Path) -> None:
    parsed = xai.parse((samples / "pages" / "grok_2026-05-08_618e39f0.jina.md").read_bytes())
    assert _price(parsed, "grok-4.3", "input") == Decimal("1.25")
    assert _price(parsed, "grok-4.20-multi-agent-0309", "output") == Decimal("2.50")
    assert _price(parsed, "grok-4-1-fast-non-reasoning", "input") == Decimal("0.20")
    assert len(parsed.model_keys) == 6 and parsed.section_failures == []
    # The capture and the project's fixture state the same prices and limits.
    fixture = xai.parse(_text().encode())
    assert parsed.prices == fixture.prices and parsed.limits == fixture.limits
