"""price_sources and price_discrepancies: official pages reconciled with a feed.

Rows go in through the real loader (warehouse.load.load_payload) from real parsers: the
DeepSeek page fixture (official) and a small LiteLLM file (a feed). Footnote dates are
moved to 2000 / 2099 so which dated price is in effect today does not depend on the clock.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import duckdb

from extractors.base import Source
from extractors.pages import anthropic, deepseek, gemini, openai
from extractors.registry import get_source
from tests.paths import FIXTURES
from warehouse.load import Payload, load_payload

DAY1 = datetime(2026, 5, 8, 6, 0, tzinfo=UTC)
DAY2 = datetime(2026, 5, 9, 6, 0, tzinfo=UTC)
LITELLM = get_source("litellm")


def _deepseek_page() -> bytes:
    page = (FIXTURES / "pages" / "deepseek_pricing.html").read_text(encoding="utf-8")
    page = page.replace("from 2026/4/26", "from 2000/1/1").replace(
        "until 2026/05/31", "until 2099/12/31"
    )
    return page.encode()


def _litellm(chat_input_per_token: float) -> bytes:
    def entry(inp: float, out: float, cache: float) -> dict[str, object]:
        return {
            "litellm_provider": "deepseek",
            "mode": "chat",
            "input_cost_per_token": inp,
            "output_cost_per_token": out,
            "cache_read_input_token_cost": cache,
        }

    return json.dumps(
        {
            "deepseek/deepseek-chat": entry(chat_input_per_token, 1.1e-06, 7e-08),
            # Within 1% of the page (0.2814 vs 0.28) and exactly equal elsewhere.
            "deepseek/deepseek-v4-flash": entry(1.4e-07, 2.814e-07, 2.8e-09),
            "deepseek/deepseek-v4-pro": entry(1.74e-06, 3.48e-06, 1.45e-08),
        }
    ).encode()


def _load(con: duckdb.DuckDBPyConnection, source: Source, payload: bytes, at: datetime) -> None:
    result = load_payload(con, Payload(source, payload, at))
    assert result.status == "loaded", result.error


def _sources(con: duckdb.DuckDBPyConnection, model: str, component: str) -> dict[str, tuple]:
    rows = con.execute(
        "select source, usd_per_mtok, official, observed_date, value_since from price_sources"
        " where provider = 'deepseek' and model = ? and component = ?"
        " and service_tier = 'standard' and tier_min_prompt_tokens = 0 and condition = ''",
        [model, component],
    ).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def _discrepancies(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    return set(
        con.execute(
            "select model, component, source_a, usd_per_mtok_a, source_b, usd_per_mtok_b,"
            " official_source from price_discrepancies where provider = 'deepseek'"
        ).fetchall()
    )


def test_price_sources_lines_up_every_source_with_its_date(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _load(con, deepseek.SOURCE, _deepseek_page(), DAY1)
    _load(con, LITELLM, _litellm(2.7e-07), DAY1)
    chat = _sources(con, "deepseek-chat", "input")
    assert chat["deepseek-docs"][:3] == (Decimal("0.14"), True, DAY1.date())
    assert chat["litellm"][:3] == (Decimal("0.27"), False, DAY1.date())


def test_the_discount_in_effect_is_the_official_value_today(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _load(con, deepseek.SOURCE, _deepseek_page(), DAY1)
    pro = _sources(con, "deepseek-v4-pro", "input")
    assert pro["deepseek-docs"][0] == Decimal("0.435")  # until 2099, not the $1.74 list price


def test_an_expired_discount_leaves_the_list_price(con: duckdb.DuckDBPyConnection) -> None:
    page = _deepseek_page().replace(b"until 2099/12/31", b"until 2000/01/31")
    _load(con, deepseek.SOURCE, page, DAY1)
    assert _sources(con, "deepseek-v4-pro", "input")["deepseek-docs"][0] == Decimal("1.74")


def test_discrepancies_beyond_one_percent_name_the_official_source(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _load(con, deepseek.SOURCE, _deepseek_page(), DAY1)
    _load(con, LITELLM, _litellm(2.7e-07), DAY1)
    assert _discrepancies(con) == {
        ("deepseek-chat", "input", "deepseek-docs", Decimal("0.14"), "litellm",
         Decimal("0.27"), "deepseek-docs"),
        ("deepseek-chat", "output", "deepseek-docs", Decimal("0.28"), "litellm",
         Decimal("1.1"), "deepseek-docs"),
        ("deepseek-chat", "cache_read", "deepseek-docs", Decimal("0.0028"), "litellm",
         Decimal("0.07"), "deepseek-docs"),
        ("deepseek-v4-pro", "input", "deepseek-docs", Decimal("0.435"), "litellm",
         Decimal("1.74"), "deepseek-docs"),
        ("deepseek-v4-pro", "output", "deepseek-docs", Decimal("0.87"), "litellm",
         Decimal("3.48"), "deepseek-docs"),
        ("deepseek-v4-pro", "cache_read", "deepseek-docs", Decimal("0.003625"), "litellm",
         Decimal("0.0145"), "deepseek-docs"),
    }  # fmt: skip
    # deepseek-v4-flash output differs by 0.5%: within the default tolerance.
    assert not any(d[0] == "deepseek-v4-flash" for d in _discrepancies(con))


def test_the_tolerance_is_a_setting(con: duckdb.DuckDBPyConnection) -> None:
    _load(con, deepseek.SOURCE, _deepseek_page(), DAY1)
    _load(con, LITELLM, _litellm(2.7e-07), DAY1)
    con.execute(
        "update reconciliation_settings set value = 0.001 where name = 'relative_tolerance'"
    )
    flash = {d for d in _discrepancies(con) if d[0] == "deepseek-v4-flash"}
    assert flash == {
        ("deepseek-v4-flash", "output", "deepseek-docs", Decimal("0.28"), "litellm",
         Decimal("0.2814"), "deepseek-docs"),
    }  # fmt: skip
    relative = con.execute(
        "select relative_difference from price_discrepancies_at(0.001)"
        " where model = 'deepseek-v4-flash'"
    ).fetchone()
    assert relative is not None
    assert abs(relative[0] - 0.0014 / 0.2814) < 1e-12


def test_a_later_snapshot_updates_the_feed_value_and_clears_the_discrepancy(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _load(con, deepseek.SOURCE, _deepseek_page(), DAY1)
    _load(con, LITELLM, _litellm(2.7e-07), DAY1)
    _load(con, LITELLM, _litellm(1.4e-07), DAY2)
    chat = _sources(con, "deepseek-chat", "input")
    assert chat["litellm"] == (Decimal("0.14"), False, DAY2.date(), DAY2)
    assert chat["deepseek-docs"][2] == DAY1.date()
    assert not any(d[:2] == ("deepseek-chat", "input") for d in _discrepancies(con))


def test_every_official_page_loads_and_is_listed_as_official(
    con: duckdb.DuckDBPyConnection,
) -> None:
    pages = {
        gemini.SOURCE: "gemini_pricing.md",
        anthropic.SOURCE: "anthropic_pricing.md",
        openai.SOURCE: "openai_pricing.md",
        deepseek.SOURCE: "deepseek_pricing.html",
    }
    for source, name in pages.items():
        _load(con, source, (FIXTURES / "pages" / name).read_bytes(), DAY1)
        again = load_payload(con, Payload(source, (FIXTURES / "pages" / name).read_bytes(), DAY1))
        assert again.status == "unchanged"
    rows = con.execute(
        "select source, provider, model, usd_per_mtok, official from price_sources"
        " where component = 'input' and service_tier = 'standard' and condition = ''"
        " and tier_min_prompt_tokens = 0 and model in"
        " ('gemini-2.5-pro', 'claude-sonnet-4-5', 'gpt-5.5', 'deepseek-v4-flash')"
        " order by source"
    ).fetchall()
    assert rows == [
        ("anthropic-docs", "anthropic", "claude-sonnet-4-5", Decimal("3"), True),
        ("deepseek-docs", "deepseek", "deepseek-v4-flash", Decimal("0.14"), True),
        ("gemini-docs", "google", "gemini-2.5-pro", Decimal("1.25"), True),
        ("openai-docs", "openai", "gpt-5.5", Decimal("5"), True),
    ]
    long_context = con.execute(
        "select usd_per_mtok from price_sources where model = 'gemini-2.5-pro'"
        " and component = 'input' and service_tier = 'standard'"
        " and tier_min_prompt_tokens = 200000"
    ).fetchall()
    assert long_context == [(Decimal("2.5"),)]
