"""The alerting step of a run: record what fired, then deliver everything still due.

The daily flow calls `alert_and_deliver` once per run after trigger evaluation, with the
alerts that fired and the sources that failed or loaded on this run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from alerts.delivery.base import Channel
from alerts.delivery.outbox import (
    DeliveryResult,
    deliver_pending,
    record_alerts,
    record_source_failures,
)
from alerts.records import Alert, SourceFailure
from alerts.triggers.state import WarehouseState, failures_to_alert


@dataclass(frozen=True, slots=True)
class AlertRunReport:
    alerts_recorded: int
    failures_recorded: int
    deliveries: tuple[DeliveryResult, ...]

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.deliveries)


def alert_and_deliver(
    con: duckdb.DuckDBPyConnection,
    channels: Sequence[Channel],
    *,
    alerts: Iterable[Alert],
    failures: Iterable[SourceFailure],
    succeeded_sources: Iterable[str],
    on: date,
    thesis_titles: Iterable[tuple[str, str]] = (),
    run_id: str | None = None,
    now: datetime | None = None,
) -> AlertRunReport:
    """Record this run's alerts and new source failures per channel, then deliver.

    A source failing on consecutive runs is alerted once (and again after it recovered);
    undelivered rows from earlier runs go out in this run's digest.
    """
    added, broken = record_run(
        con, [c.name for c in channels], alerts, failures, succeeded_sources, on, run_id, now
    )
    results = deliver_pending(con, channels, thesis_titles, now=now)
    return AlertRunReport(added, broken, tuple(results))


def record_run(
    con: duckdb.DuckDBPyConnection,
    channel_names: Sequence[str],
    alerts: Iterable[Alert],
    failures: Iterable[SourceFailure],
    succeeded_sources: Iterable[str],
    on: date,
    run_id: str | None = None,
    now: datetime | None = None,
) -> tuple[int, int]:
    """Record alerts and newly broken sources; (alerts added, failures added)."""
    fresh = failures_to_alert(WarehouseState(con, now), failures, succeeded_sources, on)
    added = record_alerts(con, alerts, channel_names, run_id=run_id, now=now)
    broken = record_source_failures(con, fresh, channel_names, run_id=run_id, now=now)
    return added, broken
