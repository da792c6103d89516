"""Shared page text parsing: money, token counts, dates, encodings, challenge pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import BadPayload, Blocked, InvalidPrice
from extractors.pages.text import (
    decode_page,
    ensure_not_challenge,
    find_dates,
    looks_like_html,
    parse_token_count,
    parse_usd,
    strip_markdown_inline,
    usd_amounts,
)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("200k", 200_000),
        ("1M", 1_000_000),
        ("384K", 384_000),
        ("8,192", 8192),
        ("1.05M", 1_050_000),
    ],
)
def test_token_counts(text: str, tokens: int) -> None:
    assert parse_token_count(text) == tokens


@pytest.mark.parametrize("text", ["", "lots", "0", "1.5", "-3K"])
def test_not_token_counts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_token_count(text)


@given(st.integers(min_value=1, max_value=10_000))
def test_k_suffix_is_decimal_thousands(n: int) -> None:
    assert parse_token_count(f"{n}K") == n * 1000


@given(st.decimals(min_value=0, max_value=100_000, places=6, allow_nan=False))
def test_dollar_amounts_read_back_exactly(value: Decimal) -> None:
    assert usd_amounts("s", f"from ${value:f} / MTok") == [value]


def test_money_in_cells() -> None:
    assert parse_usd("s", "$12.50 / MTok") == Decimal("12.50")
    assert usd_amounts("s", "$0.435 (75% off) $1.74") == [Decimal("0.435"), Decimal("1.74")]
    assert usd_amounts("s", "$1,000.50") == [Decimal("1000.50")]
    with pytest.raises(InvalidPrice):
        parse_usd("s", "Free of charge")
    with pytest.raises(InvalidPrice):
        parse_usd("s", "$1 or $2")


def test_dates_in_footnotes_and_model_names() -> None:
    assert [d for _, d in find_dates("until 2026/05/31 15:59 UTC")] == [date(2026, 5, 31)]
    assert [d for _, d in find_dates("from 2026/4/26")] == [date(2026, 4, 26)]
    assert [d for _, d in find_dates("through August 31, 2026")] == [date(2026, 8, 31)]
    assert find_dates("version 2026/13/45 and Foo 99, 2026") == []


def test_utf8_with_bom_is_fine_other_bytes_are_refused() -> None:
    assert decode_page("s", b"\xef\xbb\xbf# Pricing") == "# Pricing"
    with pytest.raises(BadPayload, match="byte 2"):
        decode_page("s", b"# \xff Pricing")
    with pytest.raises(BadPayload, match="empty"):
        decode_page("s", b" \n")


def test_challenge_markers() -> None:
    with pytest.raises(Blocked):
        ensure_not_challenge("s", "<noscript>Enable JavaScript and cookies to continue</noscript>")
    ensure_not_challenge("s", "# Pricing\n| Model | Input |")


def test_html_or_markdown() -> None:
    assert looks_like_html("<!DOCTYPE html><html>")
    assert looks_like_html("  <html lang=en>")
    assert not looks_like_html("# Pricing\n<table></table>")


def test_markdown_cell_text() -> None:
    assert strip_markdown_inline("[Yes](https://x.test/terms)") == "Yes"
    assert strip_markdown_inline("prompts \\<= 200k<br>**bold**") == "prompts <= 200k bold"
