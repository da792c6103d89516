"""Mutation-tested parsers: every drift of every official page gives the right rows or a
typed failure, never a wrong price; docs/sources.md shows the table of the real captures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from core.rows import Parsed
from extractors.pages import gemini
from tests.extractors.pages import mutations as m
from tests.paths import FIXTURES, ROOT


def test_no_drift_of_the_project_fixtures_gives_a_wrong_price() -> None:
    tallies = m.run(m.FIXTURE_PAGES, FIXTURES / "pages")
    assert set(tallies) == {
        "gemini-docs",
        "anthropic-docs",
        "openai-docs",
        "deepseek-docs",
        "xai-docs",
    }
    wrong = [(s, j.mutation.kind, j.detail) for s, t in tallies.items() for j in t.wrong]
    assert wrong == []
    assert all(t.tried >= 15 and t.counts["survived"] > 0 for t in tallies.values())


def test_every_kind_of_drift_the_issue_names_is_tried() -> None:
    text = (FIXTURES / "pages" / "gemini_pricing.md").read_text(encoding="utf-8")
    kinds = {x.kind for x in m.mutations("gemini-docs", gemini, text)}
    assert kinds >= {
        "footnote marker ($1.25*)",
        "price range ($0.10 - $0.20)",
        '"Free of charge"',
        "thousand separators ($1,000.25)",
        "non-breaking and zero-width spaces",
        "renamed column header",
        "reordered columns",
        "an extra column",
        "reordered tabs",
        "new section, 4 tabs over 1 table",
        "new section, 4 tabs over 3 tables",
        "new tier threshold (> 272K)",
        "prices per 1K instead of per 1M tokens",
        "section moved to another heading level",
        "page served as HTML instead of Markdown",
    }


def test_the_judge_calls_a_misread_price_wrong() -> None:
    text = (FIXTURES / "pages" / "gemini_pricing.md").read_text(encoding="utf-8")

    drift = next(x for x in m.mutations("gemini-docs", gemini, text) if x.kind.startswith("foot"))

    def misreads(payload: bytes) -> Parsed:
        """Reads the control right and the drifted page with one price wrong."""
        parsed = gemini.parse(payload)
        if payload == drift.page.encode():
            first = parsed.prices[0]
            parsed.prices[0] = type(first)(**{**_fields(first), "usd_per_mtok": Decimal("99")})
        return parsed

    judged = m.judge(SimpleNamespace(parse=misreads), drift)  # type: ignore[arg-type]
    assert judged.outcome == "wrong" and "99" in judged.detail


def _fields(row: object) -> dict[str, object]:
    return {k: getattr(row, k) for k in row.__slots__}  # type: ignore[attr-defined]


@pytest.mark.samples
def test_the_docs_show_the_mutation_table_of_the_real_captures(samples: Path) -> None:
    tallies = m.run(m.CAPTURES, samples / "pages")
    assert [j.detail for t in tallies.values() for j in t.wrong] == []
    docs = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    assert m.table(tallies) in docs
