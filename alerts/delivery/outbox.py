"""Delivery bookkeeping in the `alerts` table (warehouse/migrations/004_alerts.sql).

record_alerts / record_source_failures write one row per alert per configured channel
(once: the event's key makes a re-run of the same day a no-op) and return how many
events were new: one change sent to three channels is one event and three deliveries.
deliver_pending then sends each channel one digest of everything not yet delivered to
it (new alerts and earlier failures alike) plus one "source broken" message, and marks
rows delivered only after the channel accepted the message. A failure is recorded
(attempts, last_error) and retried on the next run; delivered rows are never sent again.

The one gap no outbox can close: if the process dies after the channel accepted a message
but before its rows are marked, the next run sends it again (at-least-once in a crash).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from itertools import product
from typing import Any, cast

import duckdb

from alerts.delivery.base import Channel, DeliveryFailed
from alerts.delivery.outages import outages
from alerts.delivery.render import digest, source_broken
from alerts.records import Alert, Message, Severity, SourceFailure, value_text
from warehouse.tables import ALERTS, AlertRow
from warehouse.write import merge_rows

NO_CHANNEL = "none"


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """The outcome of one message to one channel."""

    channel: str
    message_type: str  # alert | source_broken
    items: int  # events in the message: alerts, or source outages (outages.py)
    ok: bool
    error: str = ""


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _targets(channel_names: Sequence[str]) -> list[tuple[str, str]]:
    if not channel_names:
        return [(NO_CHANNEL, "no_channel")]
    return [(name, "pending") for name in channel_names]


def record_alerts(
    con: duckdb.DuckDBPyConnection,
    alerts: Iterable[Alert],
    channel_names: Sequence[str],
    *,
    run_id: str | None = None,
    now: datetime | None = None,
) -> int:
    """Record fired alerts for each channel; an alert already recorded is skipped.
    Returns how many alerts (events, not rows) were new."""
    events = [
        partial(
            AlertRow,
            alert_key=a.key,
            message_type="alert",
            trigger_id=a.trigger_id,
            kind=a.kind,
            thesis_id=a.thesis_id,
            severity=a.severity,
            provider=a.provider,
            model=a.model,
            source_model_key=a.source_model_key,
            subject=a.subject,
            old_value=None if a.old_value is None else value_text(a.old_value),
            new_value=None if a.new_value is None else value_text(a.new_value),
            unit=a.unit,
            explanation=a.explanation,
            source_url=a.source_url,
            event_date=a.date,
            evidence=a.evidence,
        )
        for a in alerts
    ]
    return len(_record(con, events, channel_names, run_id, _now(now)))


def record_source_failures(
    con: duckdb.DuckDBPyConnection,
    failures: Iterable[SourceFailure],
    channel_names: Sequence[str],
    *,
    run_id: str | None = None,
    now: datetime | None = None,
) -> int:
    """Record newly failed sources for each channel; returns how many outages were new
    (eleven tickers failing at once are one outage of yfinance)."""
    items = list(failures)
    events = [
        partial(
            AlertRow,
            alert_key=f.key,
            message_type="source_broken",
            kind=f.kind,
            severity="warning",
            subject=f.source,
            explanation=f.reason,
            source_url=f.source_url,
            event_date=f.date,
        )
        for f in items
    ]
    new = _record(con, events, channel_names, run_id, _now(now))
    return len(outages(f for f in items if f.key in new))


def _record(
    con: duckdb.DuckDBPyConnection,
    events: Sequence[partial[AlertRow]],
    channel_names: Sequence[str],
    run_id: str | None,
    fired_at: datetime,
) -> set[str]:
    """Insert a row per event and channel unless its (alert_key, channel) is recorded;
    return the keys of the events that had no row before."""
    if not events:
        return set()
    keys = {str(e.keywords["alert_key"]) for e in events}
    known = _known_keys(con, keys)
    # alert_id numbers rows in the order they were recorded (no sequence: DuckLake has none).
    first_id = _next_alert_id(con)
    rows = [
        event(alert_id=first_id + i, fired_at=fired_at, run_id=run_id, channel=name, status=status)
        for i, (event, (name, status)) in enumerate(product(events, _targets(channel_names)))
    ]
    merge_rows(con, ALERTS, rows, replace=False)
    return keys - known


def _known_keys(con: duckdb.DuckDBPyConnection, keys: set[str]) -> set[str]:
    found = con.execute(
        "select distinct alert_key from alerts where list_contains(?, alert_key)", [sorted(keys)]
    ).fetchall()
    return {str(k) for (k,) in found}


def _next_alert_id(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("select coalesce(max(alert_id), 0) + 1 from alerts").fetchone()
    return int(row[0]) if row else 1


def deliver_pending(
    con: duckdb.DuckDBPyConnection,
    channels: Sequence[Channel],
    thesis_titles: Iterable[tuple[str, str]] = (),
    *,
    now: datetime | None = None,
) -> list[DeliveryResult]:
    """Send every undelivered row to its channel: one digest + one source-broken message."""
    titles = tuple(thesis_titles)
    results = []
    for channel in channels:
        for message_type in ("alert", "source_broken"):
            ids, msg = _pending_message(con, channel.name, message_type, titles)
            if ids:
                results.append(_send(con, channel, message_type, ids, msg, _now(now)))
    return results


def _pending_message(
    con: duckdb.DuckDBPyConnection,
    channel: str,
    message_type: str,
    titles: tuple[tuple[str, str], ...],
) -> tuple[list[int], Message]:
    rows = ALERTS.rows(
        con.execute(
            "select * from alerts where channel = ? and message_type = ?"
            " and status in ('pending', 'failed') order by alert_id",
            [channel, message_type],
        )
    )
    ids = [r.alert_id for r in rows]
    if message_type == "alert":
        return ids, digest([alert_from_row(r) for r in rows], titles)
    return ids, source_broken([failure_from_row(r) for r in rows])


def _events(msg: Message) -> int:
    return len(msg.alerts) + len(outages(msg.failures))


def _send(
    con: duckdb.DuckDBPyConnection,
    channel: Channel,
    message_type: str,
    ids: list[int],
    msg: Message,
    now: datetime,
) -> DeliveryResult:
    marks = ", ".join(["?"] * len(ids))
    try:
        channel.send(msg)
    except DeliveryFailed as exc:
        con.execute(
            "update alerts set status = 'failed', attempts = attempts + 1, last_error = ?,"
            f" last_attempt_at = ? where alert_id in ({marks})",
            [str(exc), now, *ids],
        )
        return DeliveryResult(channel.name, message_type, _events(msg), False, str(exc))
    con.execute(
        "update alerts set status = 'delivered', attempts = attempts + 1, last_error = null,"
        f" last_attempt_at = ?, delivered_at = ? where alert_id in ({marks})",
        [now, now, *ids],
    )
    return DeliveryResult(channel.name, message_type, _events(msg), True)


def alert_from_row(row: AlertRow) -> Alert:
    return Alert(
        trigger_id=row.trigger_id or "",
        kind=row.kind,
        thesis_id=row.thesis_id or "",
        severity=cast(Severity, row.severity),  # recorded from an Alert's Severity
        provider=row.provider or "",
        model=row.model or "",
        source_model_key=row.source_model_key or "",
        subject=row.subject,
        old_value=row.old_value,
        new_value=row.new_value,
        unit=row.unit or "",
        explanation=row.explanation or "",
        source_url=row.source_url or "",
        date=_as_date(row.event_date),
        evidence=row.evidence,
    )


def failure_from_row(row: AlertRow) -> SourceFailure:
    return SourceFailure(
        source=row.subject,
        kind=row.kind,
        reason=row.explanation or "",
        date=_as_date(row.event_date),
        source_url=row.source_url or "",
    )


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    assert isinstance(value, date)
    return value


EVENT_COLUMNS = (
    "alert_id", "fired_at", "event_date", "message_type", "severity", "trigger_id", "kind",
    "thesis_id", "provider", "model", "subject", "old_value", "new_value", "unit", "evidence",
)  # fmt: skip
DELIVERY_COLUMNS = ("channel", "status", "attempts", "last_error", "delivered_at")


def recent(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[dict[str, Any]]:
    """The `limit` most recent events (an alert or a source failure), newest first, each
    with its `deliveries`: one entry per channel with that channel's status."""
    columns = ", ".join(f"a.{c}" for c in (*EVENT_COLUMNS, *DELIVERY_COLUMNS))
    found = con.execute(
        f"""
        with events as (
            select alert_key, max(fired_at) as last_fired, min(alert_id) as first_id
            from alerts group by alert_key
            order by last_fired desc, first_id desc limit ?
        )
        select {columns}, e.alert_key from alerts a join events e using (alert_key)
        order by e.last_fired desc, e.first_id desc, a.alert_id
        """,
        [limit],
    ).fetchall()
    events: dict[str, dict[str, Any]] = {}
    n = len(EVENT_COLUMNS)
    for row in found:
        event = events.setdefault(
            row[-1], dict(zip(EVENT_COLUMNS, row[:n], strict=True)) | {"deliveries": []}
        )
        event["deliveries"].append(dict(zip(DELIVERY_COLUMNS, row[n:-1], strict=True)))
    return list(events.values())
