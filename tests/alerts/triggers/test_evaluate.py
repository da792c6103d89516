"""Trigger evaluation over a real warehouse loaded by the project's importer."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from alerts.theses.load import load_theses
from alerts.triggers.evaluate import evaluate_series
from alerts.triggers.metrics import METRICS
from alerts.triggers.state import WarehouseState
from extractors.registry import get_source
from pipeline.history import import_snapshots
from tests.paths import FIXTURES as FIXTURES_ROOT
from tests.paths import SAMPLES
from warehouse.db import connect, connection

HISTORY = FIXTURES_ROOT / "alerts" / "litellm_history"
THESES = load_theses()


def load(tmp_path: Path, files: list[str] | None = None) -> duckdb.DuckDBPyConnection:
    folder = tmp_path / "snapshots"
    folder.mkdir(exist_ok=True)
    for path in sorted(HISTORY.glob("2024-*")):
        if files is None or path.name[:10] in files:
            shutil.copy(path, folder / path.name)
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    import_snapshots(con, get_source("litellm"), folder)
    return con


def summary(alerts: list) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
    return [
        (a.date.isoformat(), a.trigger_id, a.subject, str(a.old_value), str(a.new_value))
        for a in alerts
    ]


def test_history_yields_the_confirmed_cuts_and_nothing_for_typo_or_vanished_key(
    tmp_path: Path,
) -> None:
    alerts = evaluate_series(load(tmp_path), THESES)
    cuts = [a for a in alerts if a.trigger_id == "price-cut-or-rise"]
    assert {a.date for a in cuts} == {dt.date(2024, 10, 3)}
    assert [(a.subject, a.old_value, a.new_value) for a in cuts] == [
        ("google gemini-1.5-pro input price cut", Decimal("3.5"), Decimal("1.25")),
        ("google gemini-1.5-pro output price cut", Decimal("10.5"), Decimal("5")),
        ("openai gpt-4o input price cut", Decimal("5"), Decimal("2.5")),
        ("openai gpt-4o output price cut", Decimal("15"), Decimal("10")),
    ]
    # Each names the sources and keys it was seen under, the confirming source first;
    # its key is the canonical model's name, not the source key of one of them.
    assert {(a.provider, a.source_model_key, a.evidence) for a in cuts} == {
        ("google", "gemini-1.5-pro", "litellm: gemini/gemini-1.5-pro (confirms)"),
        ("openai", "gpt-4o", "litellm: gpt-4o (confirms)"),
    }
    # The $30 typo reverted, and claude-3-opus vanished: neither pages anyone.
    assert not [a for a in alerts if "claude" in a.subject]


def test_spread_moves_against_baseline_fire_for_both_cut_models(tmp_path: Path) -> None:
    alerts = evaluate_series(load(tmp_path), THESES)
    spreads = [a for a in alerts if a.trigger_id == "frontier-spread-band"]
    # gemini 10.5/3.5 = 3x -> 5/1.25 = 4x; gpt-4o 15/5 = 3x -> 10/2.5 = 4x: +33%, in band.
    assert summary(spreads) == [
        ("2024-10-03", "frontier-spread-band",
         "google gemini-1.5-pro output/input spread vs its 90-day baseline", "3.0000", "4.0000"),
        ("2024-10-03", "frontier-spread-band",
         "openai gpt-4o output/input spread vs its 90-day baseline", "3.0000", "4.0000"),
    ]  # fmt: skip


def test_the_whole_fixture_fires_only_these_alerts(tmp_path: Path) -> None:
    alerts = evaluate_series(load(tmp_path), THESES)
    assert {a.trigger_id for a in alerts} == {"price-cut-or-rise", "frontier-spread-band"}
    assert len(alerts) == 6


ONE_THESIS = """
[[ticker]]
symbol = "MU"

[[thesis]]
id = "memory-bound-decode"
title = "#3 Decode is memory-bandwidth-starved"
tickers = ["MU"]
"""
METRIC_TRIGGERS = (
    ONE_THESIS
    + """
[[trigger]]
id = "spread-above"
kind = "threshold"
thesis = "memory-bound-decode"
severity = "warning"
[trigger.params]
metric = "output_input_ratio"
above = 3.5

[[trigger]]
id = "spread-collapses"
kind = "threshold"
thesis = "memory-bound-decode"
severity = "warning"
[trigger.params]
metric = "output_input_ratio"
below = 1

[[trigger]]
id = "spread-steps"
kind = "step_change"
thesis = "memory-bound-decode"
severity = "info"
[trigger.params]
metric = "output_input_ratio"
change_fraction = 0.2

[[trigger]]
id = "cache-discount-widens"
kind = "threshold"
thesis = "memory-bound-decode"
severity = "info"
[trigger.params]
metric = "cache_discount"
above = 50
"""
)


def test_output_input_ratio_threshold_and_step_fire_on_the_real_cuts(tmp_path: Path) -> None:
    theses_file = tmp_path / "metrics.toml"
    theses_file.write_text(METRIC_TRIGGERS, encoding="utf-8")
    alerts = evaluate_series(load(tmp_path), load_theses(theses_file))
    # gemini 10.5/3.5 = 3x -> 5/1.25 = 4x and gpt-4o 15/5 = 3x -> 10/2.5 = 4x, confirmed
    # on 2024-10-03. Claude's one-day $30 input (0.5x, and a 100x cache discount against
    # its $0.30 cache read) reverts: nothing fires; its 5x (and claude-3-opus's) is already
    # true at the start: the baseline.
    assert summary(alerts) == [
        ("2024-10-03", "spread-above",
         "google gemini-1.5-pro output_input_ratio beyond threshold", "3.0000", "4.0000"),
        ("2024-10-03", "spread-above",
         "openai gpt-4o output_input_ratio beyond threshold", "3.0000", "4.0000"),
        ("2024-10-03", "spread-steps",
         "google gemini-1.5-pro output_input_ratio", "3.0000", "4.0000"),
        ("2024-10-03", "spread-steps", "openai gpt-4o output_input_ratio", "3.0000", "4.0000"),
    ]  # fmt: skip
    assert {a.unit for a in alerts} == {"x"}


def test_daily_mode_reports_only_what_is_new(tmp_path: Path) -> None:
    con = load(tmp_path, ["2024-09-01", "2024-09-02", "2024-10-02"])
    state = WarehouseState(con)
    first = evaluate_series(con, THESES, state=state)
    assert first == []  # the cuts are seen once, not yet confirmed
    import_snapshots(con, get_source("litellm"), _folder_with(tmp_path, ["2024-10-03"]))
    second = evaluate_series(con, THESES, state=state, since=dt.date(2024, 10, 2))
    assert len(second) == 6
    import_snapshots(con, get_source("litellm"), _folder_with(tmp_path, ["2024-10-04"]))
    third = evaluate_series(con, THESES, state=state, since=dt.date(2024, 10, 3))
    assert third == []


def _folder_with(tmp_path: Path, days: list[str]) -> Path:
    folder = tmp_path / f"more-{days[0]}"
    folder.mkdir()
    for path in HISTORY.glob("2024-*"):
        if path.name[:10] in days:
            shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse of the samples' twelve LiteLLM releases, imported once per module."""
    if not SAMPLES.is_dir():
        pytest.skip(f"real samples not present at {SAMPLES}")
    path = tmp_path_factory.mktemp("releases") / "w.duckdb"
    with connection(path) as con:
        import_snapshots(con, get_source("litellm"), SAMPLES / "litellm_releases")
    return path


def releases_copy(releases: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A test's own copy of `releases`, opened (evaluating may write state)."""
    return connect(shutil.copy(releases, tmp_path / "w.duckdb"), wait_s=0)


@pytest.mark.samples
def test_backtest_over_real_litellm_releases_is_plausible(releases: Path, tmp_path: Path) -> None:
    con = releases_copy(releases, tmp_path)
    alerts = evaluate_series(con, THESES)
    by_trigger = {a.trigger_id for a in alerts}
    assert {"price-cut-or-rise", "context-ceiling-step-up", "frontier-spread-band"} <= by_trigger
    # Far fewer alerts than models: confirmation, scopes and fire-once keep it quiet.
    assert 10 < len(alerts) < 200
    # The claude-2 cut of 2024 (LiteLLM: $11.02/$32.68 -> $8/$24) is among them.
    assert ("anthropic claude-2 input price cut", Decimal("11.02"), Decimal("8")) in [
        (a.subject, a.old_value, a.new_value) for a in alerts
    ]


@pytest.mark.samples
@pytest.mark.parametrize("metric", sorted(METRICS))
def test_every_metric_has_values_on_real_litellm_releases(
    releases: Path, tmp_path: Path, metric: str
) -> None:
    # above = 0: any value fires once, when the model's metric is first confirmed.
    theses_file = tmp_path / "one.toml"
    trigger = (
        '[[trigger]]\nid = "any"\nkind = "threshold"\nthesis = "memory-bound-decode"\n'
        f'severity = "info"\n[trigger.params]\nmetric = "{metric}"\nabove = 0\n'
    )
    theses_file.write_text(ONE_THESIS + trigger, encoding="utf-8")
    con = releases_copy(releases, tmp_path)
    alerts = evaluate_series(con, load_theses(theses_file))
    assert len({a.model for a in alerts}) >= 3
    assert all(isinstance(a.new_value, Decimal) and a.new_value > 0 for a in alerts)


# ---------------------------------------------------------------- a second source confirms

LITELLM = FIXTURES_ROOT / "litellm_history"
GENAI = FIXTURES_ROOT / "alerts" / "genai_prices"


def two_sources(
    tmp_path: Path, litellm_up_to: str, genai: dict[str, str]
) -> duckdb.DuckDBPyConnection:
    """LiteLLM's history up to a day, and genai-prices files {as day: fixture day}."""
    con = connect(tmp_path / "two.duckdb", wait_s=0)
    lite = tmp_path / "litellm"
    lite.mkdir()
    for path in sorted(LITELLM.glob("2024-*")):
        if path.name[:10] <= litellm_up_to:
            shutil.copy(path, lite / path.name)
    import_snapshots(con, get_source("litellm"), lite)
    if genai:
        folder = tmp_path / "genai"
        folder.mkdir()
        for day, fixture_day in genai.items():
            shutil.copy(GENAI / f"{fixture_day}T180000_genai.json", folder / f"{day}T180000.json")
        import_snapshots(con, get_source("genai-prices"), folder)
    return con


def gpt4o_cuts(alerts: list) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
    return [
        (a.date.isoformat(), a.subject, a.old_value, a.new_value)
        for a in alerts
        if a.trigger_id == "price-cut-or-rise" and a.model == "gpt-4o"
    ]


def test_a_cut_another_source_shows_the_same_day_alerts_that_day(tmp_path: Path) -> None:
    con = two_sources(tmp_path, "2024-10-03", {"2024-10-03": "2024-10-03"})
    alerts = evaluate_series(con, THESES)
    assert gpt4o_cuts(alerts) == [
        ("2024-10-03", "openai gpt-4o input price cut", Decimal(5), Decimal("2.5")),
        ("2024-10-03", "openai gpt-4o output price cut", Decimal(15), Decimal(10)),
    ]
    # Both prices are confirmed, so the spread they make (3x -> 4x) is too.
    spreads = [a for a in alerts if a.trigger_id == "frontier-spread-band"]
    assert [(a.date.isoformat(), a.model, a.new_value) for a in spreads] == [
        ("2024-10-03", "gpt-4o", Decimal("4.0000"))
    ]
    # gemini's cut of the same day has no second source: it waits for the next snapshot.
    assert not [a for a in alerts if a.model == "gemini-1.5-pro"]


def test_without_a_second_source_the_cut_waits_for_the_next_snapshot(tmp_path: Path) -> None:
    assert gpt4o_cuts(evaluate_series(two_sources(tmp_path, "2024-10-03", {}), THESES)) == []
    con = connect(tmp_path / "two.duckdb", wait_s=0)
    import_snapshots(con, get_source("litellm"), _only_day(tmp_path, LITELLM, "2024-10-04"))
    assert [c[0] for c in gpt4o_cuts(evaluate_series(con, THESES))] == [
        "2024-10-04", "2024-10-04"
    ]  # fmt: skip


def test_corroborated_cut_fires_once_not_again_when_it_persists(tmp_path: Path) -> None:
    con = two_sources(tmp_path, "2024-10-05", {"2024-10-03": "2024-10-03"})
    assert [c[0] for c in gpt4o_cuts(evaluate_series(con, THESES))] == [
        "2024-10-03", "2024-10-03"
    ]  # fmt: skip


def test_a_typo_the_second_source_does_not_show_stays_quiet(tmp_path: Path) -> None:
    # LiteLLM says $30 for claude-3-5-sonnet on 2024-10-04; genai-prices says $3 all along.
    genai = {d: d for d in ("2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04")}
    con = two_sources(tmp_path, "2024-10-05", genai)
    assert not [a for a in evaluate_series(con, THESES) if "claude" in a.subject]


def test_a_value_the_other_source_dropped_over_a_week_before_does_not_confirm(
    tmp_path: Path,
) -> None:
    # genai-prices showed $2.50 from 2024-09-20 but went back to $5 on 2024-09-25.
    genai = {"2024-09-20": "2024-10-03", "2024-09-25": "2024-10-01"}
    con = two_sources(tmp_path, "2024-10-04", genai)
    assert [c[0] for c in gpt4o_cuts(evaluate_series(con, THESES))] == [
        "2024-10-04", "2024-10-04"
    ]  # fmt: skip


def test_a_second_source_that_shows_it_only_later_does_not_date_the_alert_back(
    tmp_path: Path,
) -> None:
    con = two_sources(tmp_path, "2024-10-03", {"2024-10-04": "2024-10-03"})
    # Confirmed on 2024-10-04, when the second source shows it: never dated 2024-10-03.
    assert [c[0] for c in gpt4o_cuts(evaluate_series(con, THESES))] == [
        "2024-10-04", "2024-10-04"
    ]  # fmt: skip


def _only_day(tmp_path: Path, history: Path, day: str) -> Path:
    folder = tmp_path / f"only-{day}"
    folder.mkdir()
    for path in history.glob(f"{day}T*"):
        shutil.copy(path, folder / path.name)
    return folder


TIER_DAYS = ["2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-05"]


def tiered(tmp_path: Path, days: dict[str, dict[str, float] | None]) -> duckdb.DuckDBPyConnection:
    """A LiteLLM history of one Gemini model: per day, its long-context input prices
    (`above_128k`, `above_200k`: USD per token) beside a fixed base price (None: the model
    is missing that day), and another model that never changes."""
    folder = tmp_path / "tiers"
    folder.mkdir()
    for day, tiers in days.items():
        entries = {"gemini/gemini-9-flash": _entry({})}
        if tiers is not None:
            entries["gemini/gemini-9-pro"] = _entry(tiers)
        (folder / f"{day}.json").write_text(json.dumps(entries))
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    import_snapshots(con, get_source("litellm"), folder)
    return con


def _entry(tiers: dict[str, float]) -> dict[str, object]:
    return {
        "litellm_provider": "gemini",
        "mode": "chat",
        "max_input_tokens": 1048576,
        "input_cost_per_token": 1.25e-06,
        "output_cost_per_token": 1e-05,
        **{f"input_cost_per_token_{t}_tokens": usd for t, usd in tiers.items()},
    }


def tier_alerts(
    tmp_path: Path, tiers: list[dict[str, float] | None]
) -> list[tuple[str, str, object, object]]:
    """The long-context tier alerts of a history whose days are TIER_DAYS."""
    con = tiered(tmp_path, dict(zip(TIER_DAYS, tiers, strict=True)))
    alerts = evaluate_series(con, THESES)
    return [
        (a.date.isoformat(), a.subject, a.old_value, a.new_value)
        for a in alerts
        if a.kind == "long_context_tier"
    ]


def test_a_tier_alerts_on_the_day_the_series_confirms_it(tmp_path: Path) -> None:
    above = {"above_128k": 2.5e-06}
    assert tier_alerts(tmp_path, [{}, {}, above, above, above]) == [
        ("2024-10-04", "google gemini-9-pro long-context tier introduced", "none", "128000")
    ]


def test_a_tier_that_moves_is_not_read_as_removed_while_the_new_one_is_pending(
    tmp_path: Path,
) -> None:
    # 128k gives way to 200k: the old tier's removal is confirmed on the second snapshot
    # without it, the same day the new one is; before that the tier set is no evidence.
    old, new = {"above_128k": 2.5e-06}, {"above_200k": 2.5e-06}
    assert tier_alerts(tmp_path, [old, old, new, new, new]) == [
        ("2024-10-04", "google gemini-9-pro long-context tier moved", "128000", "200000")
    ]


def test_a_tier_removed_while_its_successor_is_unconfirmed_is_no_evidence(
    tmp_path: Path,
) -> None:
    # As xai's grok-4 in the real history: 128k gives way to 200k on one snapshot, then the
    # model leaves the feed. The 128k removal is confirmed, the 200k tier never is: the
    # model's tiers are undecided, not removed.
    old, new = {"above_128k": 2.5e-06}, {"above_200k": 2.5e-06}
    assert tier_alerts(tmp_path, [old, old, new, None, None]) == []
