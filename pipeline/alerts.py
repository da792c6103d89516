"""The daily run's alert step and `thesis alerts test|list`: evaluate the checklist's
triggers on today's data, explain, record in the outbox, deliver.

The flow calls `alert` once per run, after load and inference, with the sources that
loaded and the ones that failed on this run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from alerts.delivery.base import Channel, DeliveryFailed
from alerts.delivery.channels import channels_from_env
from alerts.delivery.outbox import (
    DeliveryResult,
    deliver_pending,
    recent,
    record_alerts,
    record_source_failures,
)
from alerts.delivery.render import probe_message
from alerts.explain import with_explanations
from alerts.page_news import THESIS_ID as PAGES_THESIS_ID
from alerts.page_news import THESIS_TITLE as PAGES_TITLE
from alerts.page_news import page_alerts
from alerts.records import Alert, SourceFailure, value_text
from alerts.theses.load import Theses
from alerts.triggers.digest import (
    FUNDAMENTALS_TABLES,
    MARGIN_TABLES,
    PRICE_TABLES,
    WATCHED_TABLES,
    inputs_digest,
)
from alerts.triggers.evaluate import evaluate_series, one_per_event
from alerts.triggers.evaluate_fundamentals import evaluate_fundamentals
from alerts.triggers.evaluate_margins import evaluate_margins
from alerts.triggers.evaluate_watched import evaluate_watched
from alerts.triggers.series_history import SERIES
from alerts.triggers.state import (
    EVALUATED,
    WarehouseState,
    failures_to_alert,
    last_evaluated,
)
from extractors.registry import SOURCES
from warehouse.db import connection, transaction

# Evaluation bookkeeping keys beside the price sources.
FUNDAMENTALS = "fundamentals"
MARGINS = "implied_margin"
WATCHED = "watched-models"


@dataclass(frozen=True, slots=True)
class AlertRunReport:
    """The alert step's counts: events (an alert, a source outage) are counted once however
    many channels they go to; a delivery is one event accepted by one channel."""

    alerts_recorded: int
    failures_recorded: int
    deliveries: tuple[DeliveryResult, ...]
    channels: tuple[str, ...] = ()
    evaluated: tuple[str, ...] = ()  # the groups of triggers whose inputs had changed

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.deliveries)

    def as_dict(self) -> dict[str, Any]:
        """The alert step's part of the run summary."""
        return {
            "alerts_recorded": self.alerts_recorded,
            "source_failures_recorded": self.failures_recorded,
            "channels": list(self.channels) or ["none configured"],
            "deliveries_made": sum(d.items for d in self.deliveries if d.ok),
            "messages_sent": sum(d.ok for d in self.deliveries),
            "deliveries": [
                {
                    "channel": d.channel,
                    "type": d.message_type,
                    "items": d.items,
                    "ok": d.ok,
                    "error": d.error,
                }
                for d in self.deliveries
            ],
        }


def alert(
    db: Path | str | None,
    theses: Theses,
    *,
    succeeded: Sequence[str],
    failures: Sequence[SourceFailure],
    on: date,
    run_id: str | None = None,
) -> AlertRunReport:
    """The daily run's step: the configured channels, the warehouse open for the step."""
    channels = channels_from_env()
    with connection(db) as con:
        return evaluate_and_alert(
            con, theses, channels, succeeded=succeeded, failures=failures, on=on, run_id=run_id
        )


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
    incremental: bool = True,
) -> AlertRunReport:
    """Evaluate the triggers over each loaded source, keep what is new since the last
    evaluation of that source (the first run: only today's, never the imported past),
    attach roofline explanations, record and deliver. A group of triggers whose inputs
    did not change since its last evaluation is not evaluated again (it would find
    nothing new) unless `incremental` is False."""
    # Evaluation moves trigger state on; recording in the same transaction means a crash
    # before the alerts are recorded also forgets the state change, and the re-run
    # finds the same alerts again.
    names = [c.name for c in channels]
    with transaction(con):
        alerts, evaluated = _evaluate(con, theses, succeeded, on, now, incremental)
        added, broken = record_run(con, names, alerts, failures, succeeded, on, run_id, now)
    titles = (*theses.titles(), (PAGES_THESIS_ID, PAGES_TITLE))
    results = deliver_pending(con, channels, titles, now=now)
    return AlertRunReport(added, broken, tuple(results), tuple(names), tuple(evaluated))


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
    """Record alerts and newly broken sources; (new alerts, new source outages)."""
    fresh = failures_to_alert(WarehouseState(con, now), failures, succeeded_sources, on)
    added = record_alerts(con, alerts, channel_names, run_id=run_id, now=now)
    broken = record_source_failures(con, fresh, channel_names, run_id=run_id, now=now)
    return added, broken


def _evaluate(
    con: duckdb.DuckDBPyConnection,
    theses: Theses,
    sources: Sequence[str],
    on: date,
    now: datetime | None,
    incremental: bool = True,
) -> tuple[list[Alert], list[str]]:
    """Each group of triggers over its inputs: only a group whose inputs changed since its
    last evaluation (alerts.triggers.digest) unless not `incremental`; the alerts and the
    groups evaluated."""
    state = WarehouseState(con, now)
    marks = _Marks(con, theses, state, on, incremental)
    alerts: list[Alert] = []
    priced = [s for s in sources if ":" not in s]  # source:model = a watched model's stream
    if priced:
        alerts += _price_alerts(con, theses, marks, priced)
    for key, evaluate, tables in (
        (FUNDAMENTALS, evaluate_fundamentals, FUNDAMENTALS_TABLES),
        (MARGINS, evaluate_margins, MARGIN_TABLES),
    ):
        if marks.changed(key, tables):
            alerts += evaluate(con, theses, since=marks.since(key))
        marks.mark(key)
    # The watched triggers compare with today: the day is one of their inputs.
    if marks.changed(WATCHED, WATCHED_TABLES, on.isoformat()):
        alerts += evaluate_watched(con, theses, today=on, since=marks.since(WATCHED))
    marks.mark(WATCHED)
    state.flush()
    # The same change stated by two sources is one alert.
    found = one_per_event(sorted(alerts, key=lambda a: (a.date, a.trigger_id, a.subject)))
    return with_explanations(con, found), marks.evaluated


@dataclass
class _Marks:
    """The `_evaluated` row of each evaluation key (a price source, the series, a group
    of triggers): the last day it was evaluated and the digest of its inputs then."""

    con: duckdb.DuckDBPyConnection
    theses: Theses
    state: WarehouseState
    on: date
    incremental: bool
    digests: dict[str, str | None] = field(default_factory=dict)
    evaluated: list[str] = field(default_factory=list)

    def changed(self, key: str, tables: Sequence[str], *extra: str) -> bool:
        """Whether `key`'s inputs differ from those of its last evaluation."""
        digest = inputs_digest(self.con, tables, self.theses, *extra)
        self.digests[key] = digest
        row = self.state.row(EVALUATED, key)
        if self.incremental and row is not None and row.last_value == digest:
            return False
        self.evaluated.append(key)
        return True

    def since(self, key: str) -> date:
        """New since the last evaluation before today; a same-day re-run sees today's
        alerts again and the outbox drops them as already recorded."""
        yesterday = self.on - timedelta(days=1)
        row = self.state.row(EVALUATED, key)
        return min(row.evaluated_on if row else yesterday, yesterday)

    def mark(self, key: str) -> None:
        self.state.update(EVALUATED, key, False, self.digests.get(key), self.on)


def _price_alerts(
    con: duckdb.DuckDBPyConnection,
    theses: Theses,
    marks: _Marks,
    priced: Sequence[str],
) -> list[Alert]:
    """The official pages' news of each loaded source and the triggers over the series:
    one group (its digest kept under the series' key), evaluated when the prices or the
    sources loaded changed."""
    alerts: list[Alert] = []
    changed = marks.changed(SERIES, PRICE_TABLES, *sorted(priced))
    for source in priced:
        if changed:
            alerts += page_alerts(con, source, state=marks.state, since=marks.since(source))
        marks.mark(source)
    marks.state.flush()  # the series' first evaluation reads the sources' marks
    if changed:
        alerts += _series_alerts(con, theses, marks.state, marks.on)
    marks.mark(SERIES)
    return alerts


def _series_alerts(
    con: duckdb.DuckDBPyConnection,
    theses: Theses,
    state: WarehouseState,
    on: date,
) -> list[Alert]:
    """The price and context triggers over the reconciled series, new since its last
    evaluation. A warehouse evaluated per source before (older code) has no mark for the
    series yet: it counts from the latest of those sources' marks, and alerts already
    recorded for the same change (under a source key) are not recorded again."""
    yesterday = on - timedelta(days=1)
    before = last_evaluated(con, SERIES) or _latest_source_mark(con)
    since = min(before or yesterday, yesterday)
    urls = {s.id: s.page_url for s in SOURCES.values()}
    found = evaluate_series(con, theses, state=state, since=since, source_urls=urls)
    return not_yet_sent(con, found)


def _latest_source_mark(con: duckdb.DuckDBPyConnection) -> date | None:
    row = con.execute(
        "select max(evaluated_on) from trigger_state where trigger_id = ? and subject in"
        " (select distinct source from snapshots)",
        [EVALUATED],
    ).fetchone()
    return row[0] if row else None


def not_yet_sent(con: duckdb.DuckDBPyConnection, alerts: Sequence[Alert]) -> list[Alert]:
    """The alerts whose change is not in the outbox yet under another key: same trigger,
    day, values and canonical model (a recorded alert's key read through model identity)."""
    if not alerts:
        return []
    days = sorted({a.date for a in alerts})
    recorded = con.execute(
        "select distinct a.trigger_id, a.event_date, a.old_value, a.new_value,"
        " coalesce(i.canonical_provider, a.provider), coalesce(i.canonical_model, a.model)"
        " from alerts a left join model_identity i"
        " on i.source_model_key = a.source_model_key and i.provider = a.provider"
        " where a.message_type = 'alert' and list_contains(?, a.event_date)",
        [days],
    ).fetchall()
    sent = {(t, d, o or "", n or "", p, m) for t, d, o, n, p, m in recorded}
    return [a for a in alerts if _change(a) not in sent]


def _change(a: Alert) -> tuple[object, ...]:
    old = "" if a.old_value is None else value_text(a.old_value)
    new = "" if a.new_value is None else value_text(a.new_value)
    return (a.trigger_id, a.date, old, new, a.provider, a.model)


@dataclass(frozen=True, slots=True)
class ProbeResult:
    channel: str
    ok: bool
    error: str = ""


def send_probe(channels: Sequence[Channel]) -> list[ProbeResult]:
    """`thesis alerts test`: a test message to each channel, and what each answered."""
    results = []
    for channel in channels:
        try:
            channel.send(probe_message())
        except DeliveryFailed as exc:
            results.append(ProbeResult(channel.name, False, str(exc)))
        else:
            results.append(ProbeResult(channel.name, True))
    return results


def recent_alerts(db: Path | str | None, limit: int) -> list[dict[str, Any]]:
    """`thesis alerts list`: the newest events, each with its delivery per channel."""
    with connection(db, read_only=True) as con:
        return recent(con, limit)
