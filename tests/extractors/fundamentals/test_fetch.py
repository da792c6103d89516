"""Orchestration of the fundamentals load that needs no Yahoo at all."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from core.errors import ConfigError
from extractors.fundamentals.fetch import (
    DEFAULT_TICKERS,
    FundamentalsResult,
    TickerOutcome,
    fetch_fundamentals,
    load_fundamentals,
    normalize_tickers,
)
from warehouse.db import connect


def test_tickers_are_upper_cased_split_on_commas_and_deduplicated() -> None:
    got = normalize_tickers(["nvda, amd", "NVDA", " 000660.ks "])
    assert got == ["NVDA", "AMD", "000660.KS"]


def test_no_tickers_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no tickers given"):
        normalize_tickers([" , "])


def test_default_tickers_name_the_theses_companies() -> None:
    assert DEFAULT_TICKERS == (
        "GOOGL",
        "AMZN",
        "MSFT",
        "META",
        "NVDA",
        "AMD",
        "AVGO",
        "TSM",
        "MU",
        "000660.KS",
        "005930.KS",
    )


def test_tickers_left_when_the_budget_is_spent_are_skipped_and_recorded(
    tmp_path: Path,
) -> None:
    con = connect(tmp_path / "w.duckdb")
    ticks = iter([0.0, 5.0, 11.0])  # start, first ticker, second ticker
    result = load_fundamentals(
        con, ["NVDA", "MU"], budget_s=4.0, run_id="run-9", clock=lambda: next(ticks)
    )
    assert result.ok == []
    assert result.failed == {
        "NVDA": "skipped: run budget of 4s spent",
        "MU": "skipped: run budget of 4s spent",
    }
    runs = con.execute(
        "select source, status, error_kind from source_runs where run_id = 'run-9' order by 1"
    ).fetchall()
    assert runs == [
        ("yfinance:MU", "failed", "fetch_failed"),
        ("yfinance:NVDA", "failed", "fetch_failed"),
    ]


def test_result_json_lists_ok_and_failed_tickers() -> None:
    result = FundamentalsResult(
        [
            TickerOutcome(
                "NVDA",
                True,
                quotes_added=1,
                fundamentals_added=34,
                notes=("quarterly cash-flow statement empty",),
            ),
            TickerOutcome("AMD", False, "HTTP 404 from Yahoo (after 3 attempt(s))", "fetch_failed"),
        ]
    )
    doc = result.to_json()
    assert doc["ok"] == ["NVDA"]
    assert doc["failed"] == {"AMD": "HTTP 404 from Yahoo (after 3 attempt(s))"}
    assert doc["tickers"][0]["notes"] == ["quarterly cash-flow statement empty"]


def test_a_fetch_outcome_survives_pickling_for_task_results() -> None:
    fetched = fetch_fundamentals(["NVDA"], budget_s=-1.0)  # skipped before any fetch
    (back,) = pickle.loads(pickle.dumps(fetched))
    assert (back.ticker, back.error_kind) == ("NVDA", "fetch_failed")
    assert back.error == "skipped: run budget of -1s spent"
