"""The daily flow's steps after prices: fundamentals, the roofline inversion, alerts.

Each task opens the warehouse for its own step only and returns a small summary dict for
the run record. The work is in extractors/, warehouse/, model/ and alerts/.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import get_run_logger, task

from alerts.daily import evaluate_and_alert
from alerts.delivery.channels import channels_from_env
from alerts.records import SourceFailure
from alerts.theses.load import Theses
from extractors.fundamentals.fetch import TickerFetch, fetch_fundamentals
from pipeline import fundamentals
from pipeline.inference import infer
from warehouse import db


@task(task_run_name="fetch-fundamentals")
def fetch_fundamentals_task(tickers: list[str], budget_s: float) -> list[TickerFetch]:
    """yfinance for every ticker, each in a child process with a hard deadline."""
    fetched = fetch_fundamentals(tickers, budget_s=budget_s)
    for item in fetched:
        if item.error:
            get_run_logger().warning(f"yfinance:{item.ticker}: {item.error}")
    return fetched


@task(task_run_name="load-fundamentals")
def store_fundamentals_task(
    db_path: str, fetched: list[TickerFetch], run_id: str
) -> dict[str, Any]:
    return fundamentals.store(db_path, fetched, run_id).summary()


@task(task_run_name="infer")
def infer_task(db_path: str, run_id: str) -> int:
    """Invert today's prices through the roofline model and store the inferences."""
    return len(infer(db_path, run_id=run_id))


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
    channels = channels_from_env()
    with db.connection(db_path) as con:
        report = evaluate_and_alert(
            con, theses, channels, succeeded=succeeded, failures=failures, on=on, run_id=run_id
        )
    for d in report.deliveries:
        if not d.ok:
            get_run_logger().warning(f"alert delivery to {d.channel} failed: {d.error}")
    return {
        "alerts_recorded": report.alerts_recorded,
        "source_failures_recorded": report.failures_recorded,
        "channels": [c.name for c in channels] or ["none configured"],
        "deliveries": [
            {
                "channel": d.channel,
                "type": d.message_type,
                "items": d.items,
                "ok": d.ok,
                "error": d.error,
            }
            for d in report.deliveries
        ],
    }
