"""Fire once, re-arm when clear: condition state per (trigger, subject).

A standing condition (a spread outside its band, a source that keeps failing) fires on
the day it becomes true and stays quiet while it holds; once it clears it re-arms, so
the next time it becomes true it fires again. WarehouseState keeps this in the
`trigger_state` table; MemoryState keeps it in a dict (backtests, pure tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol

import duckdb

from alerts.model import SourceFailure

SOURCE_BROKEN = "source_broken"


class ConditionState(Protocol):
    def update(
        self, trigger_id: str, subject: str, active: bool, value: str | None, on: date
    ) -> bool:
        """Record whether the condition holds on `on`; True when it just became true."""
        ...


@dataclass
class MemoryState:
    # (trigger_id, subject) -> (active, since, last_value)
    rows: dict[tuple[str, str], tuple[bool, date, str | None]] = field(default_factory=dict)

    def update(
        self, trigger_id: str, subject: str, active: bool, value: str | None, on: date
    ) -> bool:
        prior = self.rows.get((trigger_id, subject))
        was_active = prior[0] if prior else False
        since = on if prior is None or was_active != active else prior[1]
        self.rows[(trigger_id, subject)] = (active, since, value)
        return active and not was_active


@dataclass
class WarehouseState:
    con: duckdb.DuckDBPyConnection
    now: datetime | None = None

    def update(
        self, trigger_id: str, subject: str, active: bool, value: str | None, on: date
    ) -> bool:
        row = self.con.execute(
            "select active, since from trigger_state where trigger_id = ? and subject = ?",
            [trigger_id, subject],
        ).fetchone()
        was_active = bool(row[0]) if row else False
        since = on if row is None or was_active != active else row[1]
        self.con.execute(
            "insert or replace into trigger_state"
            " (trigger_id, subject, active, since, last_value, updated_at)"
            " values (?, ?, ?, ?, ?, ?)",
            [trigger_id, subject, active, since, value, self.now or datetime.now(UTC)],
        )
        return active and not was_active


def failures_to_alert(
    state: ConditionState,
    failures: Iterable[SourceFailure],
    succeeded: Iterable[str],
    on: date,
) -> list[SourceFailure]:
    """The failures that are new: a source broken on consecutive runs is alerted once,
    and again only after a run in which it succeeded."""
    fresh = [f for f in failures if state.update(SOURCE_BROKEN, f.source, True, f.kind, on)]
    for source in succeeded:
        state.update(SOURCE_BROKEN, source, False, None, on)
    return fresh
