"""deepseek-docs: DeepSeek's transposed "Models & Pricing" table, discounts and windows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import AmbiguousPrice, LayoutChanged
from core.rows import Parsed
from extractors.pages import deepseek
from extractors.pages.deepseek import note_dates
from tests.paths import FIXTURES as FIXTURES_ROOT

FIXTURES = FIXTURES_ROOT / "pages"


def _prices(parsed: Parsed, key: str, component: str) -> set[tuple[object, ...]]:
    return {
        (r.usd_per_mtok, r.condition, r.effective_from, r.effective_to)
        for r in parsed.prices
        if (r.source_model_key, r.component) == (key, component)
    }


@pytest.fixture
def page() -> Parsed:
    return deepseek.parse((FIXTURES / "deepseek_pricing.html").read_bytes())


def test_context_length_is_one_million_and_max_output_384k(page: Parsed) -> None:
    limits = {r.model: (r.context_window_tokens, r.max_output_tokens) for r in page.limits}
    assert limits["deepseek-v4-flash"] == (1_000_000, 384_000)
    assert limits["deepseek-v4-pro"] == (1_000_000, 384_000)


def test_cache_hit_miss_and_output_rows(page: Parsed) -> None:
    assert _prices(page, "deepseek-v4-flash", "input") == {(Decimal("0.14"), "", None, None)}
    assert _prices(page, "deepseek-v4-flash", "output") == {(Decimal("0.28"), "", None, None)}
    # The cache-hit label's footnote: "takes effect from 2026/4/26".
    assert _prices(page, "deepseek-v4-flash", "cache_read") == {
        (Decimal("0.0028"), "", date(2026, 4, 26), None)
    }


def test_inline_discount_gives_list_price_and_dated_discount(page: Parsed) -> None:
    assert _prices(page, "deepseek-v4-pro", "input") == {
        (Decimal("1.74"), "", None, None),
        (Decimal("0.435"), "", None, date(2026, 5, 31)),
    }
    assert _prices(page, "deepseek-v4-pro", "cache_read") == {
        (Decimal("0.0145"), "", date(2026, 4, 26), None),
        (Decimal("0.003625"), "", date(2026, 4, 26), date(2026, 5, 31)),
    }


def test_compatibility_names_get_the_flash_rows(page: Parsed) -> None:
    for alias in ("deepseek-chat", "deepseek-reasoner"):
        assert _prices(page, alias, "output") == {(Decimal("0.28"), "", None, None)}
        assert {r.model for r in page.prices if r.source_model_key == alias} == {alias}
    assert {r.provider for r in page.prices} == {"deepseek"}
    keys = [r.series_key() for r in page.prices]
    assert len(keys) == len(set(keys))


def test_older_peak_and_off_peak_layout() -> None:
    old = deepseek.parse((FIXTURES / "deepseek_pricing_2025_offpeak.html").read_bytes())
    assert _prices(old, "deepseek-chat", "output") == {
        (Decimal("1.10"), "", None, None),
        (Decimal("0.550"), "off-peak UTC 16:30-00:30", None, None),
    }
    assert _prices(old, "deepseek-reasoner", "input") == {
        (Decimal("0.55"), "", None, None),
        (Decimal("0.135"), "off-peak UTC 16:30-00:30", None, None),
    }
    limits = {r.model: (r.context_window_tokens, r.max_output_tokens) for r in old.limits}
    assert limits == {"deepseek-chat": (64_000, 8_000), "deepseek-reasoner": (64_000, 8_000)}


def test_footnote_dates() -> None:
    assert note_dates(
        "k", ("offered at a 75% discount, extended until 2026/05/31 15:59 UTC.",)
    ) == (
        None,
        date(2026, 5, 31),
    )
    assert note_dates("k", ("This price adjustment takes effect from 2026/4/26 12:15 UTC.",)) == (
        date(2026, 4, 26),
        None,
    )
    with pytest.raises(AmbiguousPrice):
        note_dates("k", ("Announced 2026/04/20.",))


def test_a_discount_without_a_date_is_marked_as_a_discount() -> None:
    page = (FIXTURES / "deepseek_pricing.html").read_text(encoding="utf-8")
    page = page.replace(", extended until 2026/05/31 15:59 UTC", "")
    parsed = deepseek.parse(page.encode())
    assert _prices(parsed, "deepseek-v4-pro", "output") == {
        (Decimal("3.48"), "", None, None),
        (Decimal("0.87"), "discount", None, None),
    }


def test_renamed_model_row_names_the_anchor() -> None:
    page = (FIXTURES / "deepseek_pricing.html").read_text(encoding="utf-8")
    page = page.replace(">MODEL</td>", ">NAME</td>")
    with pytest.raises(LayoutChanged, match="'MODEL' row"):
        deepseek.parse(page.encode())


def test_renamed_price_rows_are_refused_never_skipped() -> None:
    page = (FIXTURES / "deepseek_pricing.html").read_text(encoding="utf-8")
    page = page.replace("1M INPUT TOKENS", "1M INPUT").replace("1M OUTPUT TOKENS", "1M OUTPUT")
    with pytest.raises(LayoutChanged, match="price row 'PRICING 1M INPUT \\(CACHE HIT\\)'"):
        deepseek.parse(page.encode())


def test_a_discount_cell_read_two_ways_skips_that_model_only() -> None:
    page = (FIXTURES / "deepseek_pricing.html").read_text(encoding="utf-8")
    page = page.replace("$3.48", "$3.48 - $6.96", 1)
    parsed = deepseek.parse(page.encode())
    [failure] = parsed.section_failures
    assert (failure.section, failure.kind) == ("deepseek-v4-pro", "ambiguous_price")
    assert "deepseek-v4-pro" not in parsed.model_keys
    assert _prices(parsed, "deepseek-v4-flash", "output") == {(Decimal("0.28"), "", None, None)}


@pytest.mark.samples
def test_real_capture(samples: Path) -> None:
    parsed = deepseek.parse((samples / "pages" / "deepseek_2026-05-08_d1507e12.html").read_bytes())
    limits = {r.model: r.context_window_tokens for r in parsed.limits}
    assert limits["deepseek-v4-pro"] == 1_000_000
    assert limits["deepseek-chat"] == 1_000_000
    assert _prices(parsed, "deepseek-v4-pro", "output") == {
        (Decimal("3.48"), "", None, None),
        (Decimal("0.87"), "", None, date(2026, 5, 31)),
    }
    assert _prices(parsed, "deepseek-v4-flash", "input") == {(Decimal("0.14"), "", None, None)}
    assert parsed.model_keys == {
        "deepseek-v4-flash",
        "deepseek-v4-pro",
        "deepseek-chat",
        "deepseek-reasoner",
    }
