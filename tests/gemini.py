"""Gemini 2.5 Pro's published prices (https://ai.google.dev/gemini-api/docs/pricing): a
long-context tier at 200k prompt tokens, a cache read and an hourly cache storage price,
recorded as one loaded snapshot of Google's official page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import duckdb

from warehouse.tables import PRICE_OBSERVATIONS, PriceObservationRow
from warehouse.write import insert_rows

# (component, prompt-token threshold, USD per Mtok; storage per Mtok-hour)
GEMINI_2_5_PRO_PRICES = (
    ("input", 0, "1.25"),
    ("output", 0, "10"),
    ("input", 200_000, "2.50"),
    ("output", 200_000, "15"),
    ("cache_read", 0, "0.125"),
    ("cache_storage_per_hour", 0, "4.50"),
)


def observe_gemini(
    con: duckdb.DuckDBPyConnection,
    at: datetime,
    prices: Sequence[tuple[str, int, str]] = GEMINI_2_5_PRO_PRICES,
) -> None:
    """Record `prices` for gemini-2.5-pro as one loaded snapshot of gemini-docs at `at`."""
    con.execute(
        "insert into snapshots (snapshot_id, source, observed_at, content_sha256, origin, "
        "status) values ('gemini-docs/1', 'gemini-docs', ?, 'abc', 'fetch', 'loaded')",
        [at],
    )
    observed = [
        PriceObservationRow(
            source="gemini-docs",
            source_model_key="gemini-2.5-pro",
            provider="google",
            model="gemini-2.5-pro",
            component=component,
            service_tier="standard",
            tier_min_prompt_tokens=threshold,
            condition="",
            effective_from=None,
            effective_to=None,
            usd_per_mtok=Decimal(price),
            change="new",
            snapshot_id="gemini-docs/1",
            observed_at=at,
        )
        for component, threshold, price in prices
    ]
    insert_rows(con, PRICE_OBSERVATIONS, observed)
    # Written past the loader: derive what a load derives (identity, then the series).
    from warehouse.identity import rebuild_source_identity
    from warehouse.series import rebuild_series

    rebuild_source_identity(con, "gemini-docs")
    rebuild_series(con)


def price_rows(
    prices: Sequence[tuple[str, int, str]] = GEMINI_2_5_PRO_PRICES, scale: Decimal = Decimal(1)
) -> list[dict[str, object]]:
    """`prices` (times `scale`) as the rows model.inversion.infer.infer_all reads."""
    return [
        {
            "provider": "google",
            "model": "gemini-2.5-pro",
            "component": component,
            "usd_per_mtok": Decimal(price) * scale,
            "tier_min_prompt_tokens": threshold,
        }
        for component, threshold, price in prices
    ]
