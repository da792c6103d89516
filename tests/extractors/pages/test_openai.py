"""openai-docs: OpenAI's pricing page (Markdown), long context, tabs, challenge pages."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import AmbiguousPrice, Blocked, LayoutChanged
from core.rows import Parsed
from extractors.pages import openai
from extractors.pages.openai import long_context_threshold
from tests.paths import FIXTURES as FIXTURES_ROOT

FIXTURES = FIXTURES_ROOT / "pages"
THRESHOLD_SENTENCE = (
    "For models with a 1.05M context window (GPT-5.5 and GPT-5.4), prompts with >272K "
    "input tokens are priced at 2x input and 1.5x output for the full session."
)


def _price(
    parsed: Parsed,
    model: str,
    component: str,
    tier: str = "standard",
    threshold: int = 0,
    condition: str = "",
) -> Decimal | None:
    hits = [
        r.usd_per_mtok
        for r in parsed.prices
        if (r.model, r.component, r.service_tier, r.tier_min_prompt_tokens, r.condition)
        == (model, component, tier, threshold, condition)
    ]
    assert len(hits) <= 1, hits
    return hits[0] if hits else None


def _fixture_text() -> str:
    return (FIXTURES / "openai_pricing.md").read_text(encoding="utf-8")


@pytest.fixture
def page() -> Parsed:
    return openai.parse(_fixture_text().encode())


def test_short_and_long_context_prices_per_tier(page: Parsed) -> None:
    assert _price(page, "gpt-5.5", "input") == Decimal("5.00")
    assert _price(page, "gpt-5.5", "input", threshold=272_000) == Decimal("10.00")
    assert _price(page, "gpt-5.5", "output", threshold=272_000) == Decimal("45.00")
    assert _price(page, "gpt-5.4", "cache_read", threshold=272_000) == Decimal("0.50")
    assert _price(page, "gpt-5.4", "output", "batch", 272_000) == Decimal("11.25")
    assert _price(page, "gpt-5.5", "input", "priority") == Decimal("12.50")


def test_a_dash_means_not_offered(page: Parsed) -> None:
    assert _price(page, "gpt-5.5-pro", "cache_read") is None
    assert _price(page, "gpt-5.4-mini", "input", threshold=272_000) is None
    assert _price(page, "gpt-5.5-pro", "input", "batch", 272_000) is None
    assert _price(page, "gpt-5.5", "input", "priority", 272_000) is None
    assert _price(page, "gpt-5.4-mini", "input") == Decimal("0.75")


def test_modality_rows_and_continuation_rows(page: Parsed) -> None:
    assert _price(page, "gpt-realtime-2", "input") == Decimal("4.00")
    assert _price(page, "gpt-realtime-2", "input", condition="audio") == Decimal("32.00")
    assert _price(page, "gpt-realtime-2", "output", condition="audio") == Decimal("64.00")
    assert "openai-docs: modality 'image' in 'Realtime and audio generation models'" in (
        page.unmapped_fields
    )
    assert "openai-docs: per-unit price '$0.034 / minute'" in page.unmapped_fields
    # A row short of a cell continues the category above it.
    assert _price(page, "o4-mini-deep-research", "output", "batch") == Decimal("4.00")


def test_fine_tuning_prices_are_not_base_model_prices(page: Parsed) -> None:
    assert not any(k.startswith("o4-mini-2025") for k in page.model_keys)


def test_rows_are_openai_and_unique(page: Parsed) -> None:
    assert {(r.source, r.provider) for r in page.prices} == {("openai-docs", "openai")}
    keys = [r.series_key() for r in page.prices]
    assert len(keys) == len(set(keys))


def test_columns_are_mapped_by_name_not_position() -> None:
    text = _fixture_text().replace(
        "| Model | Input | Cached input | Output | Input | Cached input | Output |\n"
        "| gpt-5.5 | $5.00 | $0.50 | $30.00 | $10.00 | $1.00 | $45.00 |",
        "| Model | Output | Input | Cached input | Output | Input | Cached input |\n"
        "| gpt-5.5 | $30.00 | $5.00 | $0.50 | $45.00 | $10.00 | $1.00 |",
        1,
    )
    parsed = openai.parse(text.encode())
    assert _price(parsed, "gpt-5.5", "output") == Decimal("30.00")
    assert _price(parsed, "gpt-5.5", "input", threshold=272_000) == Decimal("10.00")


def test_without_the_sentence_the_documented_family_threshold_applies() -> None:
    parsed = openai.parse(_fixture_text().replace(THRESHOLD_SENTENCE, "").encode())
    assert _price(parsed, "gpt-5.5", "input", threshold=272_000) == Decimal("10.00")


def test_a_long_context_price_with_no_known_threshold_skips_that_model() -> None:
    text = _fixture_text().replace(THRESHOLD_SENTENCE, "").replace("gpt-5.5", "gpt-9")
    parsed = openai.parse(text.encode())
    failures = {(f.section, f.reason) for f in parsed.section_failures}
    reason = "long-context price without a stated threshold"
    assert failures == {
        ("Flagship models / standard / gpt-9", f"gpt-9: {reason}"),
        ("Flagship models / standard / gpt-9-pro", f"gpt-9-pro: {reason}"),
        ("Flagship models / batch / gpt-9", f"gpt-9: {reason}"),
    }
    assert _price(parsed, "gpt-9", "input") is None
    # gpt-9's priority row states no long-context price: it loads.
    assert _price(parsed, "gpt-9", "input", "priority") == Decimal("12.50")
    assert _price(parsed, "gpt-5.4", "input", threshold=272_000) == Decimal("5.00")


def test_threshold_sentences() -> None:
    assert long_context_threshold([THRESHOLD_SENTENCE]) == 272_000
    assert long_context_threshold(["Prompts longer than 128K tokens cost more."]) == 128_000
    assert long_context_threshold(["Prices per 1M tokens."]) is None
    with pytest.raises(AmbiguousPrice):
        long_context_threshold(["more than 272K tokens", "more than 128K tokens"])


def test_an_unknown_column_group_skips_that_table() -> None:
    text = _fixture_text().replace("| Long context |", "| Extended context |", 1)
    parsed = openai.parse(text.encode())
    [failure] = parsed.section_failures
    assert failure.section == "Flagship models / standard"
    assert "extended context" in failure.reason and failure.kind == "layout_changed"
    assert failure.models == ("gpt-5.5", "gpt-5.5-pro", "gpt-5.4", "gpt-5.4-mini")
    assert _price(parsed, "gpt-5.5", "input") is None
    assert _price(parsed, "gpt-5.5", "input", "batch") == Decimal("2.50")


def test_a_renamed_model_header_is_a_layout_change() -> None:
    text = _fixture_text().replace("| Model |", "| Name |")
    with pytest.raises(LayoutChanged, match="'Model'"):
        openai.parse(text.encode())


# --- real captures ------------------------------------------------------------------------


@pytest.mark.samples
def test_real_capture_without_the_sentence_uses_the_documented_threshold(samples: Path) -> None:
    payload = (samples / "pages" / "openai_2026-05-08_96a8198e.jina.md").read_bytes()
    parsed = openai.parse(payload)
    assert _price(parsed, "gpt-5.5", "input", threshold=272_000) == Decimal("10.00")
    assert _price(parsed, "gpt-5.4-pro", "output", "batch", 272_000) == Decimal("135.00")
    assert len(parsed.model_keys) == 19


@pytest.mark.samples
def test_real_capture_with_the_threshold_stated_reads_every_table(samples: Path) -> None:
    payload = (samples / "pages" / "openai_2026-05-08_96a8198e.jina.md").read_bytes()
    parsed = openai.parse(payload + b"\n\n" + THRESHOLD_SENTENCE.encode() + b"\n")
    assert _price(parsed, "gpt-5.5", "input", threshold=272_000) == Decimal("10.00")
    assert _price(parsed, "gpt-5.4-pro", "output", "batch", 272_000) == Decimal("135.00")
    assert _price(parsed, "gpt-5.4-nano", "input", "flex") == Decimal("0.10")
    assert _price(parsed, "gpt-5.4-mini", "cache_read", "priority") == Decimal("0.15")
    assert _price(parsed, "gpt-image-2", "input", "batch") == Decimal("2.50")
    assert _price(parsed, "gpt-5.3-codex", "output", "priority") == Decimal("28.00")
    assert _price(parsed, "gpt-4o-transcribe", "output") == Decimal("10.00")
    assert len(parsed.model_keys) == 19


@pytest.mark.samples
def test_real_js_challenge_capture_is_blocked(samples: Path) -> None:
    payload = (samples / "pages" / "openai_2026-05-08_d1507e12_js-challenge-only.html").read_bytes()
    with pytest.raises(Blocked, match="challenge"):
        openai.parse(payload)
