"""`thesis fundamentals`: output, exit codes, and a Yahoo that cannot be reached."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
import yfinance
from requests.adapters import BaseAdapter
from typer.testing import CliRunner

from alerts.theses.load import DEFAULT_THESES_PATH, load_theses
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


def test_by_default_the_theses_tickers_within_the_daily_runs_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same tickers and time budget as `thesis run`: the theses file's [[ticker]] list
    and THESIS_FUNDAMENTALS_BUDGET_S (a spent budget skips the tickers left)."""
    monkeypatch.setenv("THESIS_FUNDAMENTALS_BUDGET_S", "0")
    yfinance.set_tz_cache_location(str(tmp_path))
    theses = tmp_path / "theses.toml"
    theses.write_text(
        DEFAULT_THESES_PATH.read_text(encoding="utf-8")
        + '\n[[ticker]]\nsymbol = "ASML"\nname = "ASML"\ngroup = "lithography"\n'
    )
    runs = {
        "shipped": ["--db", str(tmp_path / "a.duckdb")],
        "own": ["--theses", str(theses), "--db", str(tmp_path / "b.duckdb")],
    }
    failed = {}
    for name, args in runs.items():
        result = CliRunner().invoke(
            app,
            [*args, "--attempts", "1", "--json"],
            obj={"yfinance_session": unreachable_session()},
        )
        assert result.exit_code == 1, result.output
        failed[name] = json.loads(result.output)["failed"]
    shipped = list(load_theses().ticker_symbols())
    assert len(shipped) > 1
    assert list(failed["shipped"]) == shipped
    assert list(failed["own"]) == [*shipped, "ASML"]
    assert set(list(failed["own"].values())[1:]) == {"skipped: run budget of 0s spent"}


def test_a_bad_budget_setting_exits_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THESIS_FUNDAMENTALS_BUDGET_S", "soon")
    result = CliRunner().invoke(app, ["--tickers", "NVDA", "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2
    assert "thesis: THESIS_FUNDAMENTALS_BUDGET_S=" in result.output
