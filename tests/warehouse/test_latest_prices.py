"""Which number `latest_prices` trusts: a fresh official page over every feed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import duckdb

from extractors.registry import get_source
from tests.paths import FIXTURES
from warehouse.load import Payload, load_payload

DAY = datetime(2026, 7, 24, 12, tzinfo=UTC)
PAGE = (FIXTURES / "pages" / "anthropic_pricing.md").read_bytes()


def _litellm(input_usd_per_token: float) -> bytes:
    """A feed that says Claude Sonnet 4.5 input costs something else than the page."""
    doc = {
        "claude-sonnet-4-5": {
            "input_cost_per_token": input_usd_per_token,
            "output_cost_per_token": 1.5e-05,
            "litellm_provider": "anthropic",
            "mode": "chat",
        }
    }
    return json.dumps(doc).encode()


def _latest_input(con: duckdb.DuckDBPyConnection) -> tuple[Decimal, str]:
    row = con.execute(
        "select usd_per_mtok, source from latest_prices where provider = 'anthropic'"
        " and model = 'claude-sonnet-4-5' and component = 'input'"
        " and service_tier = 'standard' and tier_min_prompt_tokens = 0 and condition = ''"
    ).fetchone()
    assert row is not None
    return row[0], row[1]


def test_a_fresh_official_page_wins_over_a_disagreeing_feed(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_payload(con, Payload(get_source("anthropic-docs"), PAGE, DAY))
    load_payload(con, Payload(get_source("litellm"), _litellm(3.3e-06), DAY + timedelta(days=2)))
    assert _latest_input(con) == (Decimal("3"), "anthropic-docs")
    discrepancy = con.execute(
        "select count(*) from price_discrepancies where model = 'claude-sonnet-4-5'"
        " and component = 'input' and official_source = 'anthropic-docs'"
    ).fetchone()
    assert discrepancy == (1,)


def test_a_stale_official_page_yields_to_a_fresh_feed(con: duckdb.DuckDBPyConnection) -> None:
    load_payload(con, Payload(get_source("anthropic-docs"), PAGE, DAY))
    load_payload(con, Payload(get_source("litellm"), _litellm(3.3e-06), DAY + timedelta(days=10)))
    assert _latest_input(con) == (Decimal("3.3"), "litellm")
