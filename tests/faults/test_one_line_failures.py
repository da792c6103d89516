"""An expected, typed failure is one line in Prefect's logs; a real bug keeps its traceback."""

from __future__ import annotations

import logging

import pytest
from prefect import flow, task

from core.errors import WarehouseLocked
from tests.faults.conftest import Kept

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.faults]


@task(retries=0)
def _locked() -> None:
    raise WarehouseLocked("warehouse /w.duckdb is locked by duckdb (PID 42); waited 0s")


@task(retries=0)
def _bug() -> None:
    raise ZeroDivisionError("a real bug")


@flow
def _runs(step: str) -> None:
    (_locked if step == "locked" else _bug)()


def test_a_locked_warehouse_is_one_line_in_prefects_log(prefect_logs: Kept) -> None:
    with pytest.raises(WarehouseLocked):
        _runs("locked")
    failed = [r for r in prefect_logs.records if r.levelno >= logging.ERROR]
    assert failed, "Prefect logged no failure"
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in failed)
    assert (
        "Task run failed with exception: warehouse_locked: warehouse /w.duckdb is locked by"
        " duckdb (PID 42); waited 0s" in [r.getMessage() for r in failed]
    )


def test_a_real_bug_keeps_its_traceback(prefect_logs: Kept) -> None:
    with pytest.raises(ZeroDivisionError):
        _runs("bug")
    failed = [r for r in prefect_logs.records if r.levelno >= logging.ERROR]
    assert any(r.exc_info is not None for r in failed)
