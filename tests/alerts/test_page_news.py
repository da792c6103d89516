"""News from the official pages: a new model is alerted once, a section skipped day
after day raises one "parser needs attention" alert."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from alerts.page_news import ATTENTION, NEW_MODEL, page_alerts
from alerts.triggers.state import MemoryState
from extractors.registry import get_source
from tests.paths import FIXTURES
from tests.warehouse_templates import WarehouseTemplates
from warehouse.db import connect
from warehouse.load import Payload, load_payload

GEMINI = get_source("gemini-docs")
DAY0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
PAGE = (FIXTURES / "pages" / "gemini_pricing.md").read_text(encoding="utf-8")
STRIP = "[Standard](#standard)[Batch](#batch)[Flex](#flex)[Priority](#priority)More"
TABLE = (
    "|  | Free Tier | Paid Tier, per 1M tokens in USD |\n| --- | --- | --- |\n"
    "| Input price | Not available | {0} |\n| Output price | Not available | {1} |\n"
)


def _page(tables: list[tuple[str, str]], model: str = "gemini-9-ultra") -> str:
    body = "\n".join(TABLE.format(*t) for t in tables)
    section = f"## Gemini 9 Ultra\n\n_`{model}`_\n\n{STRIP}\n\n{body}\n"
    at = PAGE.index("## Gemini 2.0 Flash")
    return PAGE[:at] + section + "\n" + PAGE[at:]


THREE = [("$4.00", "$20.00"), ("$2.00", "$10.00"), ("$7.20", "$36.00")]  # 4 tabs: refused
FOUR = [*THREE, ("$7.20", "$36.00")]


@pytest.fixture
def con(
    tmp_path: Path, warehouse_templates: WarehouseTemplates
) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(warehouse_templates.copy(tmp_path, "thesis", "file"))
    yield connection
    connection.close()


def _day(con: duckdb.DuckDBPyConnection, n: int, text: str, state: MemoryState) -> list[str]:
    at = DAY0 + timedelta(days=n)
    load_payload(con, Payload(GEMINI, text.encode(), at))
    since = at.date() - timedelta(days=1)
    return [
        f"{a.trigger_id} {a.severity} {a.model or a.source_model_key}"
        for a in page_alerts(con, "gemini-docs", state=state, since=since)
    ]


def test_a_new_unreadable_section_is_news_once_and_needs_attention_once(
    con: duckdb.DuckDBPyConnection,
) -> None:
    state = MemoryState()
    assert _day(con, 0, PAGE, state) == []  # the first capture is the baseline
    assert _day(con, 1, _page(THREE), state) == [f"{NEW_MODEL} info gemini-9-ultra"]
    assert _day(con, 2, _page(THREE), state) == [f"{ATTENTION} warning Gemini 9 Ultra"]
    assert _day(con, 3, _page(THREE), state) == []
    # It parses: nothing to say (the model is not new), and the attention alert re-arms.
    assert _day(con, 4, _page(FOUR), state) == []
    assert _day(con, 5, _page(THREE), state) == []
    assert _day(con, 6, _page(THREE), state) == [f"{ATTENTION} warning Gemini 9 Ultra"]


def test_the_alert_names_the_page_the_section_and_why_it_was_skipped(
    con: duckdb.DuckDBPyConnection,
) -> None:
    state = MemoryState()
    _day(con, 0, PAGE, state)
    load_payload(con, Payload(GEMINI, _page(THREE).encode(), DAY0 + timedelta(days=1)))
    [alert] = page_alerts(con, "gemini-docs", state=state, since=DAY0.date())
    assert alert.subject == "new model on the official page: google gemini-9-ultra"
    assert alert.new_value == "Gemini 9 Ultra" and alert.date == date(2026, 6, 2)
    assert alert.explanation.startswith(
        "first named in section 'Gemini 9 Ultra' of gemini-docs; its prices could not be read"
        " yet: section 'Gemini 9 Ultra': tab strip ['standard', 'batch', 'flex', 'priority']"
        " does not match 3 tables"
    )
    assert alert.source_url == "https://ai.google.dev/gemini-api/docs/pricing"


def test_a_model_another_source_already_carries_is_not_news(
    con: duckdb.DuckDBPyConnection,
) -> None:
    state = MemoryState()
    _day(con, 0, PAGE, state)
    litellm = get_source("litellm")
    feed = b'{"gemini/gemini-9-ultra": {"litellm_provider": "gemini", "mode": "chat",'
    feed += b' "input_cost_per_token": 4e-06, "output_cost_per_token": 2e-05}}'
    load_payload(con, Payload(litellm, feed, DAY0 + timedelta(hours=1)))
    assert _day(con, 1, _page(FOUR), state) == []


def _feed(con: duckdb.DuckDBPyConnection, input_usd_per_token: str) -> None:
    """LiteLLM carries gemini-9-ultra an hour after the page's baseline."""
    feed = '{"gemini/gemini-9-ultra": {"litellm_provider": "gemini", "mode": "chat",'
    feed += f' "input_cost_per_token": {input_usd_per_token}, "output_cost_per_token": 2e-05}}}}'
    load_payload(con, Payload(get_source("litellm"), feed.encode(), DAY0 + timedelta(hours=1)))


def test_a_dated_snapshot_priced_like_a_known_model_is_not_news(
    con: duckdb.DuckDBPyConnection,
) -> None:
    state = MemoryState()
    _day(con, 0, PAGE, state)
    _feed(con, "4e-06")  # $4 / $20, the page's standard tab
    assert _day(con, 1, _page(FOUR, "gemini-9-ultra-06-05"), state) == []


def test_a_dated_snapshot_priced_apart_from_a_known_model_is_news(
    con: duckdb.DuckDBPyConnection,
) -> None:
    state = MemoryState()
    _day(con, 0, PAGE, state)
    _feed(con, "5e-06")  # $5 input where the page says $4: its own series
    assert _day(con, 1, _page(FOUR, "gemini-9-ultra-06-05"), state) == [
        f"{NEW_MODEL} info gemini-9-ultra-06-05"
    ]


def test_an_unreadable_section_naming_an_alias_of_a_known_model_is_not_news(
    con: duckdb.DuckDBPyConnection,
) -> None:
    state = MemoryState()
    _day(con, 0, PAGE, state)
    _feed(con, "4e-06")
    assert _day(con, 1, _page(THREE, "gemini-9-ultra-latest"), state) == []
    # A preview is another family; the section, skipped twice now, needs attention too.
    assert _day(con, 2, _page(THREE, "gemini-9-ultra-preview"), state) == [
        f"{NEW_MODEL} info gemini-9-ultra-preview",
        f"{ATTENTION} warning Gemini 9 Ultra",
    ]


def test_a_page_that_parses_whole_says_nothing(con: duckdb.DuckDBPyConnection) -> None:
    state = MemoryState()
    assert [_day(con, n, PAGE, state) for n in range(3)] == [[], [], []]


def test_feeds_are_not_pages(con: duckdb.DuckDBPyConnection) -> None:
    assert page_alerts(con, "litellm", state=MemoryState(), since=DAY0.date()) == []
