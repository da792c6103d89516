"""The part of the daily-growing tables a group's digest covers: every day that can still
make news, and none that only repeats the day before."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb

from alerts.theses.load import load_theses
from alerts.triggers.settled import margin_days_cutoff, snapshot_days_cutoff
from extractors.registry import get_source
from pipeline.alerts import evaluate_and_alert
from pipeline.history import import_snapshots
from warehouse.db import connect

DAY = dt.date(2026, 3, 1)


def _litellm(ceiling: int) -> bytes:
    entry = {
        "input_cost_per_token": 1.25e-06,
        "output_cost_per_token": 1e-05,
        "litellm_provider": "openai",
        "mode": "chat",
        "max_input_tokens": ceiling,
        "max_output_tokens": 128000,
        "max_tokens": 128000,
    }
    return json.dumps({"gpt-5": entry}).encode()


def _import(con: duckdb.DuckDBPyConnection, folder: Path, day: int, ceiling: int) -> None:
    """LiteLLM's file of the `day`-th day (1: DAY) stating gpt-5's context ceiling."""
    into = folder / f"day{day}"
    into.mkdir()
    at = DAY + dt.timedelta(days=day - 1)
    (into / f"{at.isoformat()}T120000_litellm.json").write_bytes(_litellm(ceiling))
    import_snapshots(con, get_source("litellm"), into)


def test_the_snapshots_digested_reach_the_day_a_context_ceiling_confirms_and_no_further(
    tmp_path: Path,
) -> None:
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    theses = load_theses()
    cutoffs = []
    for day, ceiling in [(1, 272000), (2, 272000), (3, 272000), (4, 1050000), (5, 1050000)]:
        _import(con, tmp_path, day, ceiling)
        cutoffs.append(snapshot_days_cutoff(con, theses))
    _import(con, tmp_path, 6, 1050000)  # the file of day 5 again
    cutoffs.append(snapshot_days_cutoff(con, theses))
    days = [DAY + dt.timedelta(days=n) for n in range(6)]
    # The first two days are the baseline; prices first seen on day 1 are confirmed (the
    # series' row) on day 2; the ceiling of day 4 is confirmed by day 5's snapshot.
    assert cutoffs == [None, days[1], days[1], None, days[4], days[4]]
    # Day 5 repeats day 4's file, and is where the step-up is found: were it left out of
    # the digest, a skipped evaluation would miss the alert.
    evaluate_and_alert(con, theses, [], succeeded=["litellm"], failures=[], on=days[4])
    fired = con.execute(
        "select event_date from alerts where trigger_id = 'context-ceiling-step-up'"
        " and subject = 'openai gpt-5 context ceiling step-up'"
    ).fetchall()
    assert fired == [(days[4],)]


def test_the_inversions_reused_days_are_digested_until_a_band_can_confirm(
    tmp_path: Path,
) -> None:
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    theses = load_theses()
    confirm = 2  # the shipped implied-margin trigger's confirm_days
    cutoffs = []
    for n, recomputed in enumerate([True, False, False, True, False, False]):
        day = DAY + dt.timedelta(days=n)
        con.execute(
            "insert into inference_sheets (day, computed_at, provider, model, sheet_key,"
            " recomputed) values (?, ?, 'openai', 'gpt-5', 'k', ?)",
            [day, dt.datetime.combine(day, dt.time(6), dt.UTC), recomputed],
        )
        cutoffs.append(margin_days_cutoff(con, theses))
    days = [DAY + dt.timedelta(days=n) for n in range(6)]
    # A band computed on day 1 or 4 can leave its reference on that day and must hold for
    # `confirm` stored days: the reused day after it still counts, the next no longer.
    assert confirm == 2
    assert cutoffs == [None, days[1], days[1], None, days[4], days[4]]
