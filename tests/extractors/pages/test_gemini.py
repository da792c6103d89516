"""gemini-docs: the Gemini API pricing page, Markdown twin and HTML."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import AmbiguousPrice, LayoutChanged
from core.rows import Parsed, PriceRow
from extractors.pages import gemini
from extractors.pages.gemini import gemini_model_id, parse_paid_cell
from extractors.pages.sections import PageSection
from tests.paths import FIXTURES as FIXTURES_ROOT

FIXTURES = FIXTURES_ROOT / "pages"


def _price(
    parsed: Parsed,
    model: str,
    component: str,
    tier: str = "standard",
    threshold: int = 0,
    condition: str = "",
) -> Decimal:
    hits = [
        r.usd_per_mtok
        for r in parsed.prices
        if (r.model, r.component, r.service_tier, r.tier_min_prompt_tokens, r.condition)
        == (model, component, tier, threshold, condition)
    ]
    assert len(hits) == 1, f"{model} {component} {tier} {threshold} {condition!r}: {hits}"
    return hits[0]


def _no_duplicate_series(rows: list[PriceRow]) -> None:
    keys = [r.series_key() for r in rows]
    assert len(keys) == len(set(keys))


@pytest.fixture(params=["gemini_pricing.md", "gemini_pricing.html"])
def fixture_page(request: pytest.FixtureRequest) -> Parsed:
    return gemini.parse((FIXTURES / request.param).read_bytes())


def test_gemini_25_pro_long_context_input_and_cache_storage_in_markdown_and_html(
    fixture_page: Parsed,
) -> None:
    assert _price(fixture_page, "gemini-2.5-pro", "input") == Decimal("1.25")
    assert _price(fixture_page, "gemini-2.5-pro", "input", threshold=200_000) == Decimal("2.50")
    assert _price(fixture_page, "gemini-2.5-pro", "output", threshold=200_000) == Decimal("15.00")
    assert _price(fixture_page, "gemini-2.5-pro", "cache_read") == Decimal("0.125")
    assert _price(fixture_page, "gemini-2.5-pro", "cache_storage_per_hour") == Decimal("4.50")
    assert _price(fixture_page, "gemini-2.5-pro", "input", "batch") == Decimal("0.625")
    assert _price(fixture_page, "gemini-2.5-pro", "output", "batch", 200_000) == Decimal("7.50")
    _no_duplicate_series(fixture_page.prices)


def test_every_row_is_google_and_official_source() -> None:
    parsed = gemini.parse((FIXTURES / "gemini_pricing.md").read_bytes())
    assert {(r.source, r.provider) for r in parsed.prices} == {("gemini-docs", "google")}
    assert all(r.source_model_key == r.model for r in parsed.prices)
    assert gemini.SOURCE.official is True
    assert "markdown" in gemini.SOURCE.accept


def test_markdown_tables_follow_the_tab_strip_order() -> None:
    parsed = gemini.parse((FIXTURES / "gemini_pricing.md").read_bytes())
    assert _price(parsed, "gemini-2.5-pro", "input", "flex") == Decimal("0.625")
    assert _price(parsed, "gemini-2.5-pro", "input", "priority") == Decimal("2.25")
    assert _price(parsed, "gemini-2.5-pro", "cache_storage_per_hour", "priority") == Decimal("8.10")
    # A section without a tab strip has one table: the standard tier.
    computer_use = "gemini-2.5-computer-use-preview-10-2025"
    assert _price(parsed, computer_use, "input", threshold=200_000) == Decimal("2.50")
    assert {r.service_tier for r in parsed.prices if r.model == computer_use} == {"standard"}


def test_modalities_text_is_base_audio_is_a_condition_images_are_skipped() -> None:
    parsed = gemini.parse((FIXTURES / "gemini_pricing.md").read_bytes())
    assert _price(parsed, "gemini-2.0-flash", "input") == Decimal("0.10")
    assert _price(parsed, "gemini-2.0-flash", "input", condition="audio") == Decimal("0.70")
    assert _price(parsed, "gemini-2.0-flash", "cache_read", condition="audio") == Decimal("0.175")
    # The separate "Context caching (storage)" row.
    assert _price(parsed, "gemini-2.0-flash", "cache_storage_per_hour", "batch") == Decimal("1.00")
    image = [r for r in parsed.prices if r.model == "gemini-3-pro-image-preview"]
    assert {(r.component, r.service_tier, r.usd_per_mtok) for r in image} == {
        ("input", "standard", Decimal("2.00")),
        ("output", "standard", Decimal("12.00")),
        ("input", "batch", Decimal("1.00")),
        ("output", "batch", Decimal("6.00")),
    }
    assert "gemini-docs: 'Output price' modality 'images'" in parsed.unmapped_fields


def test_tables_not_priced_per_token_and_sections_without_an_id_are_skipped() -> None:
    parsed = gemini.parse((FIXTURES / "gemini_pricing.md").read_bytes())
    assert "veo-2.0-generate-001" not in parsed.model_keys
    assert not any("tools" in k for k in parsed.model_keys)
    assert any("per second" in f for f in parsed.unmapped_fields)


@pytest.mark.parametrize(
    ("display", "model_id"),
    [
        ("Gemini 2.5 Pro", "gemini-2.5-pro"),
        ("Gemini 2.5 Flash-Lite", "gemini-2.5-flash-lite"),
        ("Gemini 3 Pro Image Preview 🍌", "gemini-3-pro-image-preview"),
        ("Gemini 2.5 Flash Native Audio (Live API)", "gemini-2.5-flash-native-audio"),
    ],
)
def test_display_names_map_to_ids(display: str, model_id: str) -> None:
    assert gemini_model_id(display) == model_id


def test_stated_id_wins_over_the_display_name() -> None:
    split = gemini.split((FIXTURES / "gemini_pricing.md").read_bytes())
    section = split["Gemini 2.5 Computer Use Preview"]
    assert isinstance(section, PageSection)
    assert section.models == ("gemini-2.5-computer-use-preview-10-2025",)


@pytest.mark.parametrize(
    ("cell", "prices", "storage"),
    [
        ("$1.50", (("", 0, "1.50"),), None),
        (
            "$0.20, prompts <= 200k tokens $0.40, prompts > 200k "
            "$4.50 / 1,000,000 tokens per hour (storage price)",
            (("", 0, "0.20"), ("", 200_000, "0.40")),
            "4.50",
        ),
        ("$0.15 $1.00 / 1,000,000 tokens per hour (storage price)", (("", 0, "0.15"),), "1.00"),
        (
            "$0.75 (text) $3.00 or $0.005/min (audio) $1.00 or $0.002/min (image/video)",
            (("", 0, "0.75"), ("audio", 0, "3.00")),
            None,
        ),
        ("Free of charge", (("", 0, "0"),), None),
        ("$0.039 per image*", (), None),
    ],
)
def test_paid_cells(
    cell: str, prices: tuple[tuple[str, int, str], ...], storage: str | None
) -> None:
    read = parse_paid_cell("k", cell)
    assert read.prices == tuple((c, t, Decimal(v)) for c, t, v in prices)
    assert read.storage_usd_per_mtok_hour == (Decimal(storage) if storage else None)


@pytest.mark.parametrize(
    "cell",
    [
        "$1.25 $2.50",  # two prices, no tiers or modalities to tell them apart
        "$1.25, prompts <= 200k tokens $2.50, prompts > 128k tokens",  # thresholds disagree
        "$1.25, prompts <= 200k tokens",  # a tier without its other half
        "$0.30 (text) $0.40 (text)",
    ],
)
def test_cells_with_two_readings_are_ambiguous(cell: str) -> None:
    with pytest.raises(AmbiguousPrice):
        parse_paid_cell("k", cell)


def test_a_tab_strip_that_does_not_match_the_tables_skips_only_that_section() -> None:
    page = (FIXTURES / "gemini_pricing.md").read_text(encoding="utf-8")
    # Drop the Flex and Priority tabs from 2.5 Pro's strip but keep its four tables.
    page = page.replace(
        "[Flex](https://ai.google.dev/gemini-api/docs/pricing#flex)"
        "[Priority](https://ai.google.dev/gemini-api/docs/pricing#priority)",
        "",
        1,
    )
    parsed = gemini.parse(page.encode())
    [failure] = parsed.section_failures
    assert (failure.section, failure.kind, failure.models) == (
        "Gemini 2.5 Pro",
        "layout_changed",
        ("gemini-2.5-pro",),
    )
    assert "tab strip ['standard', 'batch'] does not match 4 tables" in failure.reason
    assert "gemini-2.5-pro" not in parsed.model_keys
    assert _price(parsed, "gemini-2.0-flash", "output", "batch") == Decimal("0.20")


def test_a_renamed_paid_column_everywhere_is_a_broken_page() -> None:
    page = (FIXTURES / "gemini_pricing.md").read_text(encoding="utf-8")
    page = page.replace("Paid Tier, per 1M tokens in USD", "Pay-as-you-go")
    with pytest.raises(LayoutChanged, match="Paid Tier"):
        gemini.parse(page.encode())


def test_a_removed_price_row_everywhere_is_a_broken_page() -> None:
    page = (FIXTURES / "gemini_pricing.md").read_text(encoding="utf-8")
    page = page.replace("| Input price |", "| Prompt cost |").replace(
        "| Output price", "| Completion cost"
    )
    with pytest.raises(LayoutChanged, match="'Input price' or 'Output price' row"):
        gemini.parse(page.encode())


NEW_SECTION = """## Gemini 9 Ultra

_`gemini-9-ultra`_

[Standard](https://ai.google.dev/gemini-api/docs/pricing#standard)[Batch](https://ai.google.dev/gemini-api/docs/pricing#batch)[Flex](https://ai.google.dev/gemini-api/docs/pricing#flex)[Priority](https://ai.google.dev/gemini-api/docs/pricing#priority)More

{tables}
"""
TABLE = """|  | Free Tier | Paid Tier, per 1M tokens in USD |
| --- | --- | --- |
| Input price | Not available | {input} |
| Output price | Not available | {output} |
"""


def _with_new_section(tables: list[tuple[str, str]]) -> bytes:
    page = (FIXTURES / "gemini_pricing.md").read_text(encoding="utf-8")
    body = "\n".join(TABLE.format(input=i, output=o) for i, o in tables)
    at = page.index("## Gemini 2.0 Flash")
    return (page[:at] + NEW_SECTION.format(tables=body) + "\n" + page[at:]).encode()


def test_a_four_tab_strip_over_one_table_is_the_default_standard_tab() -> None:
    parsed = gemini.parse(_with_new_section([("$4.00", "$20.00")]))
    assert _price(parsed, "gemini-9-ultra", "input") == Decimal("4.00")
    assert {r.service_tier for r in parsed.prices if r.model == "gemini-9-ultra"} == {"standard"}
    assert parsed.section_failures == []


def test_a_new_section_with_three_tables_for_four_tabs_is_skipped_the_rest_loads() -> None:
    tables = [("$4.00", "$20.00"), ("$2.00", "$10.00"), ("$7.20", "$36.00")]
    parsed = gemini.parse(_with_new_section(tables))
    [failure] = parsed.section_failures
    assert failure.section == "Gemini 9 Ultra" and failure.models == ("gemini-9-ultra",)
    assert "gemini-9-ultra" not in parsed.model_keys
    baseline = gemini.parse((FIXTURES / "gemini_pricing.md").read_bytes())
    assert sorted(parsed.prices, key=str) == sorted(baseline.prices, key=str)


def test_a_section_moved_a_heading_level_down_is_still_its_own_section() -> None:
    page = (FIXTURES / "gemini_pricing.md").read_text(encoding="utf-8")
    moved = gemini.parse(page.replace("## Gemini 2.0 Flash", "### Gemini 2.0 Flash").encode())
    baseline = gemini.parse(page.encode())
    assert sorted(moved.prices, key=str) == sorted(baseline.prices, key=str)


def test_prices_per_1k_tokens_are_scaled_to_per_1m() -> None:
    page = (FIXTURES / "gemini_pricing.md").read_text(encoding="utf-8")
    at = page.index("## Gemini 2.5 Computer Use Preview")
    end = page.index("## Veo 2")
    section = page[at:end].replace("per 1M tokens", "per 1K tokens")
    section = section.replace("$1.25", "$0.00125").replace("$2.50", "$0.0025")
    section = section.replace("$10.00", "$0.01").replace("$15.00", "$0.015")
    parsed = gemini.parse((page[:at] + section + page[end:]).encode())
    computer_use = "gemini-2.5-computer-use-preview-10-2025"
    assert _price(parsed, computer_use, "input") == Decimal("1.25")
    assert _price(parsed, computer_use, "output", threshold=200_000) == Decimal("15")


def test_an_unknown_price_unit_skips_the_section() -> None:
    page = (FIXTURES / "gemini_pricing.md").read_text(encoding="utf-8")
    at = page.index("## Gemini 2.5 Computer Use Preview")
    page = page[:at] + page[at:].replace("per 1M tokens in USD", "in USD", 1)
    parsed = gemini.parse(page.encode())
    [failure] = parsed.section_failures
    assert "price unit" in failure.reason


# --- real captures (../shared/samples/pages), skipped when absent -----------------------


@pytest.mark.samples
@pytest.mark.parametrize(
    "name", ["gemini_2026-05-08_96a8198e.jina.md", "gemini_2026-06-05_3a8ccd31.jina.md"]
)
def test_real_markdown_captures(samples: Path, name: str) -> None:
    parsed = gemini.parse((samples / "pages" / name).read_bytes())
    assert _price(parsed, "gemini-2.5-pro", "input", threshold=200_000) == Decimal("2.50")
    assert _price(parsed, "gemini-2.5-pro", "cache_storage_per_hour") == Decimal("4.50")
    assert _price(parsed, "gemini-2.5-pro", "input", "priority") == Decimal("2.25")
    assert _price(parsed, "gemini-2.5-flash", "input", "flex") == Decimal("0.15")
    assert _price(parsed, "gemini-3.1-pro-preview", "output", threshold=200_000) == Decimal("18.00")
    assert _price(parsed, "gemini-2.0-flash-lite", "input", "batch") == Decimal("0.0375")
    assert len(parsed.model_keys) == 23
    _no_duplicate_series(parsed.prices)


@pytest.mark.samples
def test_capture_of_june_has_gemini_35_flash_and_drops_the_31_flash_lite_preview(
    samples: Path,
) -> None:
    parsed = gemini.parse((samples / "pages" / "gemini_2026-06-05_3a8ccd31.jina.md").read_bytes())
    assert _price(parsed, "gemini-3.5-flash", "input") == Decimal("1.50")
    assert _price(parsed, "gemini-3.5-flash", "cache_read", "flex") == Decimal("0.08")
    assert "gemini-3.1-flash-lite-preview" not in parsed.model_keys


@pytest.mark.samples
def test_the_gemini_html_capture_is_the_cloud_page_and_fails_on_the_title_anchor(
    samples: Path,
) -> None:
    # gemini_2026-05-08_d1507e12.html is byte-identical to the Google Cloud (Vertex /
    # Agent Platform) pricing capture, not ai.google.dev: refusing it is the right answer.
    payload = (samples / "pages" / "gemini_2026-05-08_d1507e12.html").read_bytes()
    with pytest.raises(LayoutChanged, match="Gemini Developer API pricing"):
        gemini.parse(payload)


DEVSITE_MARKDOWN = """# Gemini Developer API pricing

## Gemini 2.5 Flash

*`gemini-2.5-flash`*

<div class="ds-selector-tabs">
<section>
<h3 id="standard" data-text="Standard">Standard</h3>

<table class="pricing-table">
<tr><th></th><th>Free Tier</th><th>Paid Tier, per 1M tokens in USD</th></tr>
<tr><td>Input price</td><td>Free of charge</td>
<td>$0.30 (text / image / video)<br>$1.00 (audio)</td></tr>
<tr><td>Output price (including thinking tokens)</td><td>Free of charge</td><td>$2.50</td></tr>
</table>
</section>
<section>
<h3 id="batch" data-text="Batch">Batch</h3>
<table class="pricing-table">
<tr><th></th><th>Free Tier</th><th>Paid Tier, per 1M tokens in USD</th></tr>
<tr><td>Input price</td><td>Not available</td>
<td>$0.15 (text / image / video)<br>$0.50 (audio)</td></tr>
<tr><td>Output price (including thinking tokens)</td><td>Not available</td><td>$1.25</td></tr>
</table>
</section>
</div>
"""


def test_markdown_with_embedded_html_tab_sections() -> None:
    # Docs-site Markdown sources keep the tab sections as HTML: labelled, not by order.
    parsed = gemini.parse(DEVSITE_MARKDOWN.encode())
    assert _price(parsed, "gemini-2.5-flash", "input") == Decimal("0.30")
    assert _price(parsed, "gemini-2.5-flash", "input", condition="audio") == Decimal("1.00")
    assert _price(parsed, "gemini-2.5-flash", "output", "batch") == Decimal("1.25")
    assert _price(parsed, "gemini-2.5-flash", "input", "batch", condition="audio") == Decimal(
        "0.50"
    )


@given(
    base=st.decimals(min_value=Decimal("0.001"), max_value=1000, places=3),
    above=st.decimals(min_value=Decimal("0.001"), max_value=1000, places=3),
    k=st.integers(min_value=1, max_value=2000),
)
def test_any_two_tier_cell_reads_back(base: Decimal, above: Decimal, k: int) -> None:
    cell = f"${base}, prompts <= {k}k tokens ${above}, prompts > {k}k"
    assert parse_paid_cell("k", cell).prices == (("", 0, base), ("", k * 1000, above))
