"""The daily run's alert step: evaluate triggers on today's data, explain, deliver.

The flow calls `evaluate_and_alert` once, after load and inference, with the sources
that loaded and the ones that failed on this run.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import duckdb

from alerts.delivery.base import Channel
from alerts.delivery.outbox import deliver_pending
from alerts.explain import with_explanations
from alerts.page_news import THESIS_ID as PAGES_THESIS_ID
from alerts.page_news import THESIS_TITLE as PAGES_TITLE
from alerts.page_news import page_alerts
from alerts.records import Alert, SourceFailure
from alerts.run import AlertRunReport, record_run
from alerts.theses.load import Theses
from alerts.triggers.evaluate import evaluate_source, one_per_event
from alerts.triggers.evaluate_fundamentals import evaluate_fundamentals
from alerts.triggers.state import WarehouseState, last_evaluated, mark_evaluated
from warehouse.db import transaction

FUNDAMENTALS = "fundamentals"  # evaluation bookkeeping key beside the price sources


def evaluate_and_alert(
    con: duckdb.DuckDBPyConnection,
    theses: Theses,
    channels: Sequence[Channel],
    *,
    succeeded: Sequence[str],
    failures: Sequence[SourceFailure],
    on: date,
    run_id: str | None = None,
    now: datetime | None = None,
) -> AlertRunReport:
    """Evaluate every trigger over each loaded source, keep what is new since the last
    evaluation of that source (the first run: only today's, never the imported past),
    attach roofline explanations, record and deliver."""
    # Evaluation moves trigger state on; recording in the same transaction means a crash
    # before the alerts are recorded also forgets the state change, and the re-run
    # finds the same alerts again.
    with transaction(con):
        alerts = _evaluate(con, theses, succeeded, on, now)
        names = [c.name for c in channels]
        added, broken = record_run(con, names, alerts, failures, succeeded, on, run_id, now)
    titles = (*theses.titles(), (PAGES_THESIS_ID, PAGES_TITLE))
    results = deliver_pending(con, channels, titles, now=now)
    return AlertRunReport(added, broken, tuple(results))


def _evaluate(
    con: duckdb.DuckDBPyConnection,
    theses: Theses,
    sources: Sequence[str],
    on: date,
    now: datetime | None,
) -> list[Alert]:
    alerts: list[Alert] = []
    state = WarehouseState(con, now)
    yesterday = on - timedelta(days=1)
    for source in sources:
        # New since the last evaluation before today; a same-day re-run sees today's
        # alerts again and the outbox drops them as already recorded.
        since = min(last_evaluated(con, source) or yesterday, yesterday)
        alerts += evaluate_source(
            con, theses, source, state=state, since=since, source_url=_page_url(source)
        )
        alerts += page_alerts(con, source, state=state, since=since)
        state.flush()
        mark_evaluated(con, source, on, now)
    since = min(last_evaluated(con, FUNDAMENTALS) or yesterday, yesterday)
    alerts += evaluate_fundamentals(con, theses, since=since)
    mark_evaluated(con, FUNDAMENTALS, on, now)
    # The same change stated by two sources is one alert.
    found = one_per_event(sorted(alerts, key=lambda a: (a.date, a.trigger_id, a.subject)))
    return with_explanations(con, found)


def _page_url(source: str) -> str:
    from extractors.registry import SOURCES

    found = SOURCES.get(source)
    return found.page_url if found else ""
