"""Ticker fundamentals: fetch each ticker, convert, load; a failed ticker never stops the rest.

`load_fundamentals(con, tickers)` is what the daily flow and `thesis fundamentals` call.
Tickers are fetched one after another (gentler on Yahoo's rate limit), each in its own
killable child process (extractors/yfinance_fetch.py), within an overall time budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import duckdb

from core.errors import ConfigError, SourceError
from extractors.fundamentals_rows import fundamental_rows, quote_row
from extractors.yfinance_fetch import DEFAULT_POLICY, FetchPolicy, fetch_ticker
from warehouse.fundamentals_load import insert_fundamentals, insert_quotes
from warehouse.runs import record_source

# The companies the theses name; alerts/theses.toml will supply its own lists.
DEFAULT_TICKERS: tuple[str, ...] = (
    "GOOGL",
    "AMZN",
    "MSFT",
    "META",
    "NVDA",
    "AMD",
    "AVGO",
    "TSM",
    "MU",
    "000660.KS",  # SK Hynix
    "005930.KS",  # Samsung Electronics
)
DEFAULT_BUDGET_S = 900.0  # the whole run; tickers left when it is spent are skipped


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

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "failed": self.failed,
            "tickers": [asdict(o) | {"notes": list(o.notes)} for o in self.outcomes],
        }


def normalize_tickers(tickers: Iterable[str]) -> list[str]:
    """Upper-cased, comma lists split, duplicates dropped (first order kept)."""
    out: list[str] = []
    for entry in tickers:
        for part in entry.split(","):
            ticker = part.strip().upper()
            if ticker and ticker not in out:
                out.append(ticker)
    if not out:
        raise ConfigError("no tickers given")
    return out


def load_fundamentals(
    con: duckdb.DuckDBPyConnection,
    tickers: Iterable[str] = DEFAULT_TICKERS,
    *,
    session: object | None = None,
    policy: FetchPolicy = DEFAULT_POLICY,
    budget_s: float = DEFAULT_BUDGET_S,
    run_id: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> FundamentalsResult:
    """Fetch, convert and load each ticker; record each outcome in source_runs if run_id."""
    result = FundamentalsResult()
    started = clock()
    for ticker in normalize_tickers(tickers):
        began_at = datetime.now(UTC)
        if clock() - started > budget_s:
            outcome = TickerOutcome(
                ticker, False, f"skipped: run budget of {budget_s:g}s spent", "skipped"
            )
        else:
            outcome = load_ticker(con, ticker, session=session, policy=policy, sleep=sleep)
        result.outcomes.append(outcome)
        if run_id is not None:
            _record(con, run_id, outcome, began_at)
    return result


def load_ticker(
    con: duckdb.DuckDBPyConnection,
    ticker: str,
    *,
    session: object | None = None,
    policy: FetchPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
) -> TickerOutcome:
    """One ticker: nothing is written unless its quote and statements both convert."""
    try:
        raw = fetch_ticker(ticker, session=session, policy=policy, sleep=sleep)
        quote = quote_row(ticker, raw.info, raw.fetched_at)
        rows = fundamental_rows(raw)
    except SourceError as exc:
        return TickerOutcome(ticker, False, exc.reason, exc.kind)
    notes = tuple(
        f"{period} {statement.replace('_', '-')} statement empty"
        for (period, statement), frame in sorted(raw.frames.items())
        if frame.empty
    )
    return TickerOutcome(
        ticker,
        True,
        quotes_added=insert_quotes(con, [quote]),
        fundamentals_added=insert_fundamentals(con, rows),
        notes=notes,
    )


def _record(
    con: duckdb.DuckDBPyConnection, run_id: str, outcome: TickerOutcome, began_at: datetime
) -> None:
    added = outcome.quotes_added + outcome.fundamentals_added
    status = "failed" if not outcome.ok else ("loaded" if added else "unchanged")
    record_source(
        con,
        run_id,
        outcome.source,
        status,
        started_at=began_at,
        error_kind=outcome.error_kind or None,
        error=outcome.reason or None,
        rows_added=added,
    )
