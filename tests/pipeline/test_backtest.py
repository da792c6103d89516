"""The backtest use case: replayed history fires the alerts it would have, each explained
by the roofline inversion of the prices of its own day."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from alerts.explain import with_explanations
from alerts.theses.load import load_theses
from alerts.triggers.evaluate import evaluate_series
from core.errors import ConfigError
from extractors.registry import get_source
from pipeline.backtest import alert_json, explain_backtest, run_backtest
from pipeline.history import import_snapshots
from pipeline.inference import infer_and_store
from warehouse.db import connect

HISTORY = Path(__file__).resolve().parents[1] / "fixtures" / "alerts" / "litellm_history"


def warehouse(tmp_path: Path, name: str, up_to: str = "9999") -> duckdb.DuckDBPyConnection:
    folder = tmp_path / f"{name}-snapshots"
    folder.mkdir()
    for path in HISTORY.glob("2024-*"):
        if path.name[:10] <= up_to:
            shutil.copy(path, folder / path.name)
    con = connect(tmp_path / f"{name}.duckdb", wait_s=0)
    import_snapshots(con, get_source("litellm"), folder)
    return con


def test_each_alert_is_explained_as_the_daily_run_would_have_that_day(tmp_path: Path) -> None:
    con = warehouse(tmp_path, "backtest")
    alerts = evaluate_series(con, load_theses())
    explained = explain_backtest(con, "litellm", alerts)
    assert [replace(a, explanation="") for a in explained] == alerts
    assert all(a.explanation for a in explained)
    # The daily run on 2024-10-03: the warehouse as it stood, today's inversion of every
    # model, the explanation from the stand-ins' band.
    daily = warehouse(tmp_path, "daily", up_to="2024-10-03")
    infer_and_store(daily, now=dt.datetime(2024, 10, 3, 12, tzinfo=dt.UTC))
    assert with_explanations(daily, alerts) == explained


def test_an_alert_is_explained_by_its_own_days_prices_not_the_last_snapshots(
    tmp_path: Path,
) -> None:
    con = warehouse(tmp_path, "backtest")
    cut = next(
        a for a in evaluate_series(con, load_theses())
        if a.subject == "openai gpt-4o input price cut"
    )  # fmt: skip
    before = replace(cut, date=dt.date(2024, 9, 2))  # gpt-4o was $5/$15 then: 3x
    explained = explain_backtest(con, "litellm", [before, cut])
    assert "A 3x output/input ratio" in explained[0].explanation
    assert "A 4x output/input ratio" in explained[1].explanation  # $2.50/$10 from 2024-10-03


def test_a_backtest_replays_the_history_in_a_scratch_warehouse(tmp_path: Path) -> None:
    result = run_backtest("litellm", HISTORY, load_theses(), explain=False)
    assert (result.source, result.snapshots_loaded) == ("litellm", 6)
    assert (result.snapshots_failed, result.skipped_files) == ((), ("README.md",))
    assert len(result.alerts) == 6
    assert not any(a.explanation for a in result.alerts)  # explain=False: no inversion
    assert alert_json(result.alerts[0])["date"] == "2024-10-03"


def test_a_folder_without_dated_files_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no date in this name")
    with pytest.raises(ConfigError, match="no loadable files"):
        run_backtest("litellm", tmp_path, load_theses())
    with pytest.raises(ConfigError, match="not a directory"):
        run_backtest("litellm", tmp_path / "notes.txt", load_theses())
