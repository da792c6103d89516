"""The backtest use case: replayed history fires the alerts it would have, each explained
by the roofline inversion of the prices of its own day."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from alerts.explain import with_explanations
from alerts.theses.load import load_theses
from alerts.triggers.evaluate import evaluate_series
from core.errors import ConfigError
from extractors.registry import get_source
from pipeline.backtest import BacktestResult, alert_json, explain_backtest, run_backtest
from pipeline.history import import_snapshots
from pipeline.inference import infer_and_store
from tests.conftest import RealHistory
from warehouse.as_of import day_ends, model_key, prices_as_of
from warehouse.db import connect, connection

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


@pytest.fixture(scope="module")
def real_backtest(real_history: RealHistory) -> BacktestResult:
    """`thesis backtest` over the samples' 363 daily LiteLLM files."""
    return run_backtest("litellm", real_history.folder, load_theses())


@pytest.mark.samples
def test_the_real_backtest_is_the_imported_histories_alerts_explained(
    real_history: RealHistory, real_backtest: BacktestResult
) -> None:
    # The backtest loads the history in one batch; `import-snapshots` loaded the same
    # files 100 a batch, reconciling the series again after each: the same alerts.
    source = get_source("litellm")
    with connection(real_history.warehouse, read_only=True) as con:
        alerts = evaluate_series(con, load_theses(), source_urls={source.id: source.page_url})
        explained = explain_backtest(con, source.id, alerts)
    assert real_backtest.alerts == tuple(explained)
    assert real_backtest.snapshots_loaded == 361  # two withdrawals refused once as shrinks
    kinds = Counter(a.kind for a in real_backtest.alerts)
    assert kinds == {
        "price_change": 71, "context_step_up": 54, "cache_pricing": 39, "spread_change": 30,
        "refresh_cadence": 21, "long_context_tier": 18, "step_change": 1,
    }  # fmt: skip


@pytest.mark.samples
def test_each_price_alert_is_explained_by_the_series_value_it_reports(
    real_history: RealHistory, real_backtest: BacktestResult
) -> None:
    # The explanation inverts the reconciled series as of the alert's day, the series the
    # alert fired on: a canonical model's sheet, whichever keys stand behind it.
    moves = [a for a in real_backtest.alerts if a.kind == "price_change"]
    with connection(real_history.warehouse, read_only=True) as con:
        ends = day_ends(con, "litellm")
        sheets = prices_as_of(
            con, [(ends[a.date], [model_key(a.provider, a.model)]) for a in moves]
        )
    for alert, rows in zip(moves, sheets, strict=True):
        component = alert.subject.split()[-3]  # "openai o3 input price cut"
        base = {
            r["component"]: r["usd_per_mtok"]
            for r in rows
            if (r["service_tier"], r["tier_min_prompt_tokens"], r["condition"])
            == ("standard", 0, "")
        }
        assert base[component] == alert.new_value, alert.subject
        assert alert.explanation, alert.subject
    o3 = next(a for a in moves if a.subject == "openai o3 input price cut")
    assert (o3.date, o3.new_value) == (dt.date(2025, 6, 12), Decimal("2"))
    assert "A 4x output/input ratio" in o3.explanation  # $2 in, $8 out


@pytest.mark.samples
def test_only_alerts_on_models_free_that_day_go_unexplained(
    real_history: RealHistory, real_backtest: BacktestResult
) -> None:
    # A model priced $0 in has no output/input ratio to invert (Google's -exp models).
    unexplained = [a for a in real_backtest.alerts if not a.explanation]
    with connection(real_history.warehouse, read_only=True) as con:
        ends = day_ends(con, "litellm")
        moments = [(ends[a.date], [model_key(a.provider, a.model)]) for a in unexplained]
        sheets = prices_as_of(con, moments)
    assert len(unexplained) == 9
    for alert, rows in zip(unexplained, sheets, strict=True):
        inputs = [r["usd_per_mtok"] for r in rows if r["component"] == "input"]
        assert inputs and not any(inputs), alert.subject
