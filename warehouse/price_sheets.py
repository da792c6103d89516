"""Each model's price sheet as the roofline inversion reads it, digested in the warehouse
(model/inversion/sheet_key.py keys the digests): the daily run compares keys without
reading every price into Python, then reads the rows of the changed models only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb

from warehouse.inferences import PRICE_COLUMNS
from warehouse.query import dict_rows

Key = tuple[str, str]
LIMIT_COLUMNS = "provider, model, context_window_tokens, max_input_tokens"


def _digests(view: str, columns: str) -> str:
    """Per (provider, model), the SHA-256 of its rows of `view` as text, in a stable
    order (a NULL reads as NULL, never as an empty value)."""
    return (
        f"select provider, model, sha256(string_agg(r, chr(10) order by r)) as d from"
        f" (select provider, model, cast(struct_pack({columns}) as varchar) as r from {view})"
        " group by all"
    )


def sheet_digests(con: duckdb.DuckDBPyConnection) -> dict[Key, tuple[str, str]]:
    """(provider, model) -> (digest of its `latest_prices` rows, digest of its
    `latest_limits` rows or '') for every priced model."""
    rows = con.execute(
        f"with p as ({_digests('latest_prices', PRICE_COLUMNS)}),"
        f" l as ({_digests('latest_limits', LIMIT_COLUMNS)})"
        " select p.provider, p.model, p.d, coalesce(l.d, '') from p"
        " left join l using (provider, model)"
    ).fetchall()
    return {(p, m): (prices, limits) for p, m, prices, limits in rows}


def read_sheets(
    con: duckdb.DuckDBPyConnection, models: Iterable[Key]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The `latest_prices` and `latest_limits` rows of `models` only, as
    warehouse.inferences.read_price_rows and read_limit_rows give them."""
    names = sorted(f"{p}\x00{m}" for p, m in models)
    where = "where list_contains(?, provider || chr(0) || model)"
    prices = dict_rows(
        con,
        f"select {PRICE_COLUMNS}, true as in_force from latest_prices {where}"
        " order by provider, model",
        [names],
    )
    limits = dict_rows(con, f"select {LIMIT_COLUMNS} from latest_limits {where}", [names])
    return prices, limits
