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

from alerts.records import SourceFailure
from warehouse.tables import TRIGGER_STATE, TriggerStateRow
from warehouse.write import merge_rows

SOURCE_BROKEN = "source_broken"
EVALUATED = "_evaluated"  # trigger_state row per source: the last day triggers ran on it


class ConditionState(Protocol):
    def update(
        self, trigger_id: str, subject: str, active: bool, value: str | None, on: date
    ) -> bool:
        """Record whether the condition holds on `on`; True when it just became true.

        A date older than the latest one recorded for this key is ignored (False).
        """
        ...


@dataclass(frozen=True, slots=True)
class StateRow:
    active: bool
    since: date
    last_value: str | None
    evaluated_on: date


def next_row(
    prior: StateRow | None, active: bool, value: str | None, on: date
) -> tuple[StateRow | None, bool]:
    """(new row or None when `on` is older than what was seen, whether it fires)."""
    if prior is not None and on < prior.evaluated_on:
        return None, False
    was_active = prior.active if prior else False
    if prior is not None and on == prior.evaluated_on and active == was_active:
        return StateRow(active, prior.since, value, on), False
    since = on if prior is None or was_active != active else prior.since
    return StateRow(active, since, value, on), active and not was_active


@dataclass
class MemoryState:
    rows: dict[tuple[str, str], StateRow] = field(default_factory=dict)

    def update(
        self, trigger_id: str, subject: str, active: bool, value: str | None, on: date
    ) -> bool:
        row, fires = next_row(self.rows.get((trigger_id, subject)), active, value, on)
        if row is not None:
            self.rows[(trigger_id, subject)] = row
        return fires


@dataclass
class WarehouseState:
    """Trigger state in the warehouse table `trigger_state`.

    The table is read once, on first use, and changed rows are queued; `flush()` writes
    them in one statement (one query per trigger and subject cost seconds a run). Call
    `flush()` inside the caller's transaction, before anything else reads the table.
    """

    con: duckdb.DuckDBPyConnection
    now: datetime | None = None
    _rows: dict[tuple[str, str], StateRow] | None = field(default=None, repr=False)
    _pending: dict[tuple[str, str], StateRow] = field(default_factory=dict, repr=False)

    def _loaded(self) -> dict[tuple[str, str], StateRow]:
        if self._rows is None:
            self._rows = {
                (r.trigger_id, r.subject): StateRow(r.active, r.since, r.last_value, r.evaluated_on)
                for r in TRIGGER_STATE.rows(self.con.execute("select * from trigger_state"))
            }
        return self._rows

    def update(
        self, trigger_id: str, subject: str, active: bool, value: str | None, on: date
    ) -> bool:
        rows = self._loaded()
        prior = rows.get((trigger_id, subject))
        row, fires = next_row(prior, active, value, on)
        if row is not None and row != prior:  # a row that says the same is not rewritten
            rows[(trigger_id, subject)] = row
            self._pending[(trigger_id, subject)] = row
        return fires

    def row(self, trigger_id: str, subject: str) -> StateRow | None:
        """The row of (trigger, subject) as this state holds it (queued changes included)."""
        return self._loaded().get((trigger_id, subject))

    def flush(self) -> None:
        if not self._pending:
            return
        updated_at = self.now or datetime.now(UTC)
        rows = [
            TriggerStateRow(
                trigger_id=trigger_id,
                subject=subject,
                active=r.active,
                since=r.since,
                last_value=r.last_value,
                evaluated_on=r.evaluated_on,
                updated_at=updated_at,
            )
            for (trigger_id, subject), r in self._pending.items()
        ]
        merge_rows(self.con, TRIGGER_STATE, rows, replace=True)
        self._pending.clear()


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
    if isinstance(state, WarehouseState):
        state.flush()
    return fresh


def last_evaluated(con: duckdb.DuckDBPyConnection, source: str) -> date | None:
    """The last day the daily run evaluated triggers over `source`, if ever."""
    row = con.execute(
        "select evaluated_on from trigger_state where trigger_id = ? and subject = ?",
        [EVALUATED, source],
    ).fetchone()
    return row[0] if row else None
