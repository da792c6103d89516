"""`thesis fundamentals` and the daily run's fundamentals step: the tickers' quotes and
statements, fetched with the warehouse closed (extractors/fundamentals), then stored and
recorded per ticker in the run's source_runs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from alerts.theses.load import Theses, load_theses
from core.settings import FetchSettings
from extractors.fundamentals.fetch import (
    DEFAULT_TICKERS,
    TickerFetch,
    fetch_fundamentals,
    normalize_tickers,
)
from extractors.fundamentals.yahoo import DEFAULT_POLICY, FetchPolicy
from warehouse import runs
from warehouse.db import connection
from warehouse.fundamentals_load import insert_fundamentals, insert_quotes


@dataclass(frozen=True)
class TickerOutcome:
    ticker: str
    ok: bool
    reason: str = ""  # one line, for a failure
    error_kind: str = ""
    quotes_added: int = 0
    fundamentals_added: int = 0
    notes: tuple[str, ...] = ()  # e.g. a statement Yahoo had nothing for

    @property
    def source(self) -> str:
        return f"yfinance:{self.ticker}"


@dataclass
class FundamentalsResult:
    outcomes: list[TickerOutcome] = field(default_factory=list)

    @property
    def ok(self) -> list[str]:
        return [o.ticker for o in self.outcomes if o.ok]

    @property
    def failed(self) -> dict[str, str]:
        return {o.ticker: o.reason for o in self.outcomes if not o.ok}

    @property
    def status(self) -> str:
        """The run's status when the fundamentals are the whole run."""
        return "ok" if not self.failed else ("partial" if self.ok else "failed")

    def summary(self) -> dict[str, Any]:
        """What the daily run's summary keeps of it."""
        return {"ok": self.ok, "failed": self.failed}

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "failed": self.failed,
            "tickers": [asdict(o) | {"notes": list(o.notes)} for o in self.outcomes],
        }


def tickers_for(theses: Theses | None) -> list[str]:
    """The tickers the theses name; the built-in list when no theses file loaded."""
    return list(theses.ticker_symbols()) if theses else list(DEFAULT_TICKERS)


def fetch(
    tickers: Iterable[str], *, session: object | None = None, policy: FetchPolicy = DEFAULT_POLICY
) -> list[TickerFetch]:
    """Every ticker within THESIS_FUNDAMENTALS_BUDGET_S (tickers left when it is spent are
    skipped). The daily flow and `thesis fundamentals` both fetch through here."""
    budget_s = FetchSettings.load().fundamentals_budget_s
    return fetch_fundamentals(tickers, session=session, policy=policy, budget_s=budget_s)


def fetch_and_store(
    db: Path | str | None,
    tickers: Iterable[str] | None = None,
    *,
    theses_path: Path | None = None,
    session: object | None = None,
    policy: FetchPolicy = DEFAULT_POLICY,
) -> FundamentalsResult:
    """A fundamentals run of its own (`thesis fundamentals`): fetch the tickers (by
    default the theses file's, as the daily run does), then open the warehouse to store
    them under a new run."""
    wanted = normalize_tickers(tickers) if tickers else tickers_for(load_theses(theses_path))
    started_at = runs.now()
    fetched = fetch(wanted, session=session, policy=policy)
    with connection(db) as con:
        run_id = runs.start_run(con, "fundamentals", started_at)
        with runs.closed_if_stopped(con, run_id):
            result = store_fundamentals(con, fetched, run_id=run_id)
        runs.finish_run(con, run_id, result.status, result.to_json())
    return result


def store(db: Path | str | None, fetched: Iterable[TickerFetch], run_id: str) -> FundamentalsResult:
    """The daily run's step: store what its fetch task returned under the run's id."""
    with connection(db) as con:
        return store_fundamentals(con, fetched, run_id=run_id)


def store_fundamentals(
    con: duckdb.DuckDBPyConnection, fetched: Iterable[TickerFetch], *, run_id: str | None = None
) -> FundamentalsResult:
    """Load what was fetched; record each ticker in the run's source_runs if run_id."""
    result = FundamentalsResult()
    for item in fetched:
        if item.error or item.quote is None:
            reason = item.error or "no quote"
            outcome = TickerOutcome(item.ticker, False, reason, item.error_kind or "bad_payload")
        else:
            outcome = TickerOutcome(
                item.ticker,
                True,
                quotes_added=insert_quotes(con, [item.quote]),
                fundamentals_added=insert_fundamentals(con, item.rows),
                notes=item.notes,
            )
        result.outcomes.append(outcome)
        if run_id is not None:
            _record(con, run_id, outcome, item.started_at)
    return result


def _record(
    con: duckdb.DuckDBPyConnection, run_id: str, outcome: TickerOutcome, began_at: datetime
) -> None:
    added = outcome.quotes_added + outcome.fundamentals_added
    status = "failed" if not outcome.ok else ("loaded" if added else "unchanged")
    runs.record_source(
        con,
        run_id,
        outcome.source,
        status,
        started_at=began_at,
        error_kind=outcome.error_kind or None,
        error=outcome.reason or None,
        rows_added=added,
    )
