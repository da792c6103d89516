"""The daily flow's steps after prices: fundamentals, the roofline inversion, alerts.

Each task is one call into pipeline/, which opens the warehouse for that step only, and
returns a small summary for the run record, logging what failed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import get_run_logger, task

from alerts.records import SourceFailure
from alerts.theses.load import Theses
from extractors.fundamentals.fetch import TickerFetch
from pipeline import fundamentals
from pipeline.alerts import alert
from pipeline.inference import refresh


@task(task_run_name="fetch-fundamentals")
def fetch_fundamentals_task(tickers: list[str]) -> list[TickerFetch]:
    """yfinance for every ticker, each in a child process with a hard deadline (the flow
    logs one line for the fundamentals once they are stored)."""
    return fundamentals.fetch(tickers)


@task(task_run_name="load-fundamentals")
def store_fundamentals_task(
    db_path: str, fetched: list[TickerFetch], run_id: str
) -> dict[str, Any]:
    return fundamentals.store(db_path, fetched, run_id).summary()


@task(task_run_name="infer")
def infer_task(db_path: str, run_id: str) -> dict[str, int]:
    """Invert the models whose price sheet changed and store their inferences; the
    others' last inferences stand. Logs one line saying how many of each."""
    done = refresh(db_path, run_id=run_id)
    get_run_logger().info(
        f"roofline: {done.recomputed} models inverted ({done.rows} inferences stored), "
        f"{done.reused} unchanged models' last inferences reused"
    )
    return {"inferences": done.rows} | done.as_dict()


@task(task_run_name="alerts")
def alerts_task(
    db_path: str,
    theses: Theses,
    succeeded: list[str],
    failures: list[SourceFailure],
    on: date,
    run_id: str,
) -> dict[str, Any]:
    """Evaluate the checklist, record alerts, deliver one digest per channel."""
    report = alert(db_path, theses, succeeded=succeeded, failures=failures, on=on, run_id=run_id)
    for d in report.deliveries:
        if not d.ok:
            get_run_logger().warning(f"alert delivery to {d.channel} failed: {d.error}")
    return report.as_dict()
