"""Ticker fundamentals: fetch each ticker, convert, load; a failed ticker never stops the rest.

`fetch_fundamentals(tickers)` touches only the network, `store_fundamentals(con, fetched)`
only the warehouse, so a flow can keep the warehouse closed during the slow part;
`load_fundamentals(con, tickers)` does both.
Tickers are fetched one after another (gentler on Yahoo's rate limit), each in its own
killable child process (extractors/fundamentals/yahoo.py), within an overall time budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import duckdb

from core.errors import ConfigError, FetchFailed, SourceError
from extractors.fundamentals.rows import FundamentalRow, QuoteRow, fundamental_rows, quote_row
from extractors.fundamentals.yahoo import DEFAULT_POLICY, FetchPolicy, fetch_ticker
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


@dataclass(frozen=True)
class TickerFetch:
    """One ticker's converted rows, or its failure; no warehouse involved yet.

    A failure is kept as plain strings (the typed error's kind and one-line reason) so
    the object pickles, e.g. as a Prefect task result.
    """

    ticker: str
    started_at: datetime
    quote: QuoteRow | None = None
    rows: tuple[FundamentalRow, ...] = ()
    error_kind: str = ""
    error: str = ""
    notes: tuple[str, ...] = ()

    @classmethod
    def failed(cls, ticker: str, started_at: datetime, err: SourceError) -> TickerFetch:
        return cls(ticker, started_at, error_kind=err.kind, error=err.reason)


def fetch_fundamentals(
    tickers: Iterable[str] = DEFAULT_TICKERS,
    *,
    session: object | None = None,
    policy: FetchPolicy = DEFAULT_POLICY,
    budget_s: float = DEFAULT_BUDGET_S,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[TickerFetch]:
    """Fetch and convert each ticker in turn; the warehouse stays closed meanwhile."""
    fetched = []
    started = clock()
    for ticker in normalize_tickers(tickers):
        if clock() - started > budget_s:
            reason = f"skipped: run budget of {budget_s:g}s spent"
            skipped = FetchFailed(f"yfinance:{ticker}", reason)
            fetched.append(TickerFetch.failed(ticker, datetime.now(UTC), skipped))
        else:
            fetched.append(fetch_one(ticker, session=session, policy=policy, sleep=sleep))
    return fetched


def fetch_one(
    ticker: str,
    *,
    session: object | None = None,
    policy: FetchPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
) -> TickerFetch:
    """One ticker: its quote and statements both convert, or it is a failure."""
    started_at = datetime.now(UTC)
    try:
        raw = fetch_ticker(ticker, session=session, policy=policy, sleep=sleep)
        quote = quote_row(ticker, raw.info, raw.fetched_at)
        rows = fundamental_rows(raw)
    except SourceError as exc:
        return TickerFetch.failed(ticker, started_at, exc)
    notes = tuple(
        f"{period} {statement.replace('_', '-')} statement empty"
        for (period, statement), frame in sorted(raw.frames.items())
        if frame.empty
    )
    return TickerFetch(ticker, started_at, quote, tuple(rows), notes=notes)


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
    """Fetch every ticker, then load them. The caller holds `con` open throughout; a flow
    that must not hold the warehouse lock while fetching calls the two halves itself."""
    fetched = fetch_fundamentals(
        tickers, session=session, policy=policy, budget_s=budget_s, sleep=sleep, clock=clock
    )
    return store_fundamentals(con, fetched, run_id=run_id)


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
