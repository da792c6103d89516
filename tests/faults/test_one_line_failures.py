"""An expected, typed failure is one line in Prefect's logs; a real bug keeps its traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from prefect import flow, task

from core.errors import WarehouseLocked
from flows.logs import quiet_expected_failures

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.faults]


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def task_logs() -> Iterator[Kept]:
    quiet_expected_failures()
    kept, logger = Kept(), logging.getLogger("prefect.task_runs")
    logger.addHandler(kept)
    yield kept
    logger.removeHandler(kept)


@task(retries=0)
def _locked() -> None:
    raise WarehouseLocked("warehouse /w.duckdb is locked by duckdb (PID 42); waited 0s")


@task(retries=0)
def _bug() -> None:
    raise ZeroDivisionError("a real bug")


@flow
def _runs(step: str) -> None:
    (_locked if step == "locked" else _bug)()


def test_a_locked_warehouse_is_one_line_in_prefects_log(task_logs: Kept) -> None:
    with pytest.raises(WarehouseLocked):
        _runs("locked")
    failed = [r for r in task_logs.records if r.levelno >= logging.ERROR]
    assert failed, "Prefect logged no failure"
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in failed)
    assert (
        "Task run failed with exception: warehouse_locked: warehouse /w.duckdb is locked by"
        " duckdb (PID 42); waited 0s" in [r.getMessage() for r in failed]
    )


def test_a_real_bug_keeps_its_traceback(task_logs: Kept) -> None:
    with pytest.raises(ZeroDivisionError):
        _runs("bug")
    failed = [r for r in task_logs.records if r.levelno >= logging.ERROR]
    assert any(r.exc_info is not None for r in failed)
