"""The fundamentals use case: what was fetched is stored and recorded per ticker."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.theses.load import load_theses
from extractors.fundamentals.fetch import DEFAULT_TICKERS, fetch_fundamentals
from pipeline.fundamentals import (
    FundamentalsResult,
    TickerOutcome,
    fetch,
    fetch_and_store,
    store_fundamentals,
    tickers_for,
)
from tests.thesis_cli.test_fundamentals_cmd import unreachable_session
from warehouse.db import connect, connection


def test_tickers_left_when_the_budget_is_spent_are_skipped_and_recorded(
    tmp_path: Path,
) -> None:
    con = connect(tmp_path / "w.duckdb")
    ticks = iter([0.0, 5.0, 11.0])  # start, first ticker, second ticker
    fetched = fetch_fundamentals(["NVDA", "MU"], budget_s=4.0, clock=lambda: next(ticks))
    result = store_fundamentals(con, fetched, run_id="run-9")
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


def test_a_run_of_its_own_is_recorded_with_each_ticker_and_a_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THESIS_FUNDAMENTALS_BUDGET_S", "0")
    db = tmp_path / "w.duckdb"
    result = fetch_and_store(db, ["nvda, mu"], session=unreachable_session())
    assert list(result.failed) == ["NVDA", "MU"]
    assert result.failed["MU"] == "skipped: run budget of 0s spent"
    with connection(db, read_only=True) as con:
        assert con.execute("select kind, status from runs").fetchall() == [
            ("fundamentals", "failed")
        ]
        assert con.execute("select source from source_runs order by 1").fetchall() == [
            ("yfinance:MU",),
            ("yfinance:NVDA",),
        ]


def test_the_status_is_ok_partial_or_failed_by_what_loaded() -> None:
    ok, bad = TickerOutcome("NVDA", True), TickerOutcome("AMD", False, "HTTP 404")
    assert FundamentalsResult([ok]).status == "ok"
    assert FundamentalsResult([ok, bad]).status == "partial"
    assert FundamentalsResult([bad]).status == "failed"
    assert FundamentalsResult([ok, bad]).summary() == {
        "ok": ["NVDA"],
        "failed": {"AMD": "HTTP 404"},
    }


def test_the_theses_name_the_tickers_and_the_built_in_list_stands_in_without_them() -> None:
    theses = load_theses()
    assert tickers_for(theses) == list(theses.ticker_symbols())
    assert "NVDA" in tickers_for(theses)
    assert tickers_for(None) == list(DEFAULT_TICKERS)


def test_the_fetch_budget_is_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THESIS_FUNDAMENTALS_BUDGET_S", "0")
    nvda, mu = fetch(["NVDA", "MU"], session=unreachable_session())
    assert nvda.error_kind == "fetch_failed"  # refused, or skipped already
    assert mu.error == "skipped: run budget of 0s spent"
