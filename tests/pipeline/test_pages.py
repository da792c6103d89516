"""The pages use case: a page's stored diffs and skipped sections, for official pages only."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from core.errors import ConfigError
from extractors.registry import get_source
from pipeline.pages import official_page, page_diffs, skipped_sections
from tests.thesis_cli.test_pages_cmd import DAY1, DAY2, DAY3, PAGE
from warehouse.db import connection
from warehouse.load import Payload, load_payload


def test_diffs_are_read_from_the_warehouse_newest_or_since_a_day(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with connection(db) as con:
        for n, text in enumerate((PAGE, DAY2, DAY3)):
            at = DAY1 + timedelta(days=n)
            load_payload(con, Payload(get_source("gemini-docs"), text.encode(), at))
    (newest,) = page_diffs(db, "gemini-docs", None)
    assert newest.observed_at.date() == date(2026, 6, 3)
    every = page_diffs(db, "gemini-docs", date(2026, 6, 1))
    assert [d.observed_at.date() for d in every] == [date(2026, 6, 2), date(2026, 6, 3)]
    # Day 3's 2.5 Pro tab strip lost two tabs: that section is skipped, the rest loads.
    skipped = skipped_sections(db, "gemini-docs")
    assert [(f.section, f.kind) for f in skipped] == [("Gemini 2.5 Pro", "layout_changed")]


def test_only_an_official_page_is_accepted(tmp_path: Path) -> None:
    assert official_page("gemini-docs") == "gemini-docs"
    with pytest.raises(ConfigError, match="litellm is not an official page"):
        official_page("litellm")
    with pytest.raises(ConfigError, match="unknown source 'nope'"):
        skipped_sections(tmp_path / "w.duckdb", "nope")
