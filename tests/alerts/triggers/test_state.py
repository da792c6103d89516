from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from alerts.records import SourceFailure
from alerts.triggers.state import ConditionState, MemoryState, WarehouseState, failures_to_alert
from warehouse.db import connect

DAYS = [dt.date(2026, 11, d) for d in range(1, 10)]


@pytest.fixture(params=["memory", "warehouse"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ConditionState]:
    if request.param == "memory":
        yield MemoryState()
        return
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    yield WarehouseState(con)
    con.close()


def test_fires_once_while_true_and_rearms_after_clearing(state: ConditionState) -> None:
    pattern = [False, True, True, True, False, True, True]
    fired = [
        state.update("frontier-spread-band", "openai gpt-4o", active, "4.0", day)
        for active, day in zip(pattern, DAYS, strict=False)
    ]
    assert fired == [False, True, False, False, False, True, False]


def test_rerun_of_the_same_day_does_not_fire_twice(state: ConditionState) -> None:
    assert state.update("t", "s", True, "9", DAYS[0]) is True
    assert state.update("t", "s", True, "9", DAYS[0]) is False


def test_subjects_are_independent(state: ConditionState) -> None:
    assert state.update("t", "openai", True, None, DAYS[0])
    assert state.update("t", "google", True, None, DAYS[0])
    assert not state.update("t", "openai", True, None, DAYS[1])


def test_warehouse_state_keeps_since_and_last_value(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    state = WarehouseState(con)
    state.update("t", "s", True, "5.5", DAYS[0])
    state.update("t", "s", True, "6.5", DAYS[1])
    assert con.execute("select count(*) from trigger_state").fetchall() == [(0,)]  # queued
    state.flush()
    assert con.execute("select active, since, last_value from trigger_state").fetchall() == [
        (True, DAYS[0], "6.5")
    ]
    # State survives a new connection: tomorrow's run does not re-send.
    con.close()
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    assert WarehouseState(con).update("t", "s", True, "6.5", DAYS[2]) is False


def test_broken_source_alerts_once_until_it_recovers(state: ConditionState) -> None:
    def broken(day: dt.date) -> SourceFailure:
        return SourceFailure("openrouter", "layout_changed", "no 'data' array", day)

    first = failures_to_alert(state, [broken(DAYS[0])], ["litellm"], DAYS[0])
    again = failures_to_alert(state, [broken(DAYS[1])], ["litellm"], DAYS[1])
    recovered = failures_to_alert(state, [], ["litellm", "openrouter"], DAYS[2])
    broken_again = failures_to_alert(state, [broken(DAYS[3])], [], DAYS[3])
    assert [len(x) for x in (first, again, recovered, broken_again)] == [1, 0, 0, 1]
    assert broken_again[0].date == DAYS[3]


def test_replaying_older_dates_changes_nothing(state: ConditionState) -> None:
    timeline = [(DAYS[0], False), (DAYS[1], True), (DAYS[2], False), (DAYS[3], True)]
    first = [state.update("t", "s", a, None, d) for d, a in timeline]
    replay = [state.update("t", "s", a, None, d) for d, a in timeline]
    assert first == [False, True, False, True]
    assert replay == [False, False, False, False]
    # Only a newer date moves it on.
    assert state.update("t", "s", False, None, DAYS[4]) is False
    assert state.update("t", "s", True, None, DAYS[5]) is True
