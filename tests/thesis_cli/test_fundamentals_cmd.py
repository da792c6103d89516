"""`thesis fundamentals`: output, exit codes, and a Yahoo that cannot be reached."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests
import yfinance
from requests.adapters import BaseAdapter
from typer.testing import CliRunner

from pipeline.fundamentals import FundamentalsResult, TickerOutcome
from thesis_cli.fundamentals_cmd import app, render
from warehouse.db import connect


class Unreachable(BaseAdapter):
    """A transport that answers every request, from the test, with a refused connection."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        raise requests.ConnectionError(f"connection refused: {request.url}")

    def close(self) -> None:
        pass


def unreachable_session() -> requests.Session:
    session = requests.Session()
    session.mount("https://", Unreachable())
    session.mount("http://", Unreachable())
    return session


def test_render_shows_each_ticker_and_a_count() -> None:
    result = FundamentalsResult(
        [
            TickerOutcome("NVDA", True, quotes_added=1, fundamentals_added=34),
            TickerOutcome("000660.KS", False, "timed out after 45s (after 3 attempt(s))"),
        ]
    )
    assert render(result).splitlines() == [
        "NVDA       ok      1 quote(s), 34 statement value(s) added",
        "000660.KS  failed  timed out after 45s (after 3 attempt(s))",
        "1 ok, 1 failed",
    ]


def test_no_tickers_exits_2_with_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--tickers", ",", "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2
    assert "thesis: no tickers given" in result.output


def test_every_ticker_failing_exits_1_and_is_recorded_in_the_run(tmp_path: Path) -> None:
    yfinance.set_tz_cache_location(str(tmp_path))  # its cookie cache; the child inherits
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(
        app,
        ["--tickers", "NVDA", "--attempts", "1", "--db", str(db), "--json"],
        obj={"yfinance_session": unreachable_session()},
    )
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["ok"] == []
    assert doc["failed"]["NVDA"].startswith("ConnectionError: connection refused")
    con = connect(db)
    assert con.execute("select kind, status from runs").fetchall() == [("fundamentals", "failed")]
    assert con.execute("select source, status from source_runs").fetchall() == [
        ("yfinance:NVDA", "failed")
    ]
