"""Every official-page parser fails with the typed error on a mutated page, never 0 rows."""

from __future__ import annotations

import re
from types import ModuleType

import pytest

from core.errors import BadPayload, Blocked, LayoutChanged
from extractors.pages import anthropic, deepseek, gemini, openai, xai
from tests.paths import FIXTURES as FIXTURES_ROOT

FIXTURES = FIXTURES_ROOT / "pages"
PAGES: list[tuple[ModuleType, str]] = [
    (gemini, "gemini_pricing.md"),
    (gemini, "gemini_pricing.html"),
    (anthropic, "anthropic_pricing.md"),
    (anthropic, "anthropic_pricing.html"),
    (openai, "openai_pricing.md"),
    (deepseek, "deepseek_pricing.html"),
    (xai, "xai_pricing.md"),
]
IDS = [name for _, name in PAGES]


@pytest.mark.parametrize(("module", "name"), PAGES, ids=IDS)
def test_the_fixture_itself_parses_to_rows(module: ModuleType, name: str) -> None:
    assert module.parse((FIXTURES / name).read_bytes()).prices


@pytest.mark.parametrize(("module", "name"), PAGES, ids=IDS)
def test_removed_tables_are_a_layout_change(module: ModuleType, name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    text = re.sub(r"<table.*?</table>", "", text, flags=re.DOTALL | re.IGNORECASE)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("|"))
    with pytest.raises(LayoutChanged, match="missing anchor"):
        module.parse(text.encode())


@pytest.mark.parametrize("module", [gemini, anthropic, openai, deepseek, xai])
@pytest.mark.parametrize("body", [b"", b"   \n", b"\xef\xbb\xbf"])
def test_an_empty_body_is_a_bad_payload(module: ModuleType, body: bytes) -> None:
    with pytest.raises(BadPayload, match="empty payload"):
        module.parse(body)


@pytest.mark.parametrize("module", [gemini, anthropic, openai, deepseek, xai])
def test_an_html_page_with_an_empty_body_is_a_layout_change(module: ModuleType) -> None:
    with pytest.raises(LayoutChanged):
        module.parse(b"<!DOCTYPE html><html><head></head><body></body></html>")


@pytest.mark.parametrize("module", [gemini, anthropic, openai, deepseek, xai])
def test_a_challenge_page_is_blocked(module: ModuleType) -> None:
    with pytest.raises(Blocked, match="challenge"):
        module.parse((FIXTURES / "challenge.html").read_bytes())


@pytest.mark.parametrize(("module", "name"), PAGES, ids=IDS)
def test_non_utf8_bytes_are_a_bad_payload(module: ModuleType, name: str) -> None:
    # The same page re-encoded as Latin-1 plus one stray byte: refused, not half-read.
    payload = (FIXTURES / name).read_text(encoding="utf-8").encode("latin-1", "replace")
    payload = payload.replace(b"$", b"\xa4$", 1)
    with pytest.raises(BadPayload, match="not UTF-8"):
        module.parse(payload)


@pytest.mark.parametrize(("module", "name"), PAGES, ids=IDS)
def test_a_truncated_page_never_yields_rows_silently(module: ModuleType, name: str) -> None:
    # Cut before the first table: the anchors are gone, so the parse must fail.
    text = (FIXTURES / name).read_text(encoding="utf-8")
    cut = min(i for i in (text.find("<table"), text.find("\n|")) if i >= 0)
    with pytest.raises(LayoutChanged):
        module.parse(text[:cut].encode())
