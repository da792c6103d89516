"""Ticker fundamentals: fetch and convert each ticker; a failed ticker never stops the rest.

`fetch_fundamentals(tickers)` touches only the network, so the warehouse stays closed
during the slow part; pipeline/fundamentals.py stores what it returns.
Tickers are fetched one after another (gentler on Yahoo's rate limit), each in its own
killable child process (extractors/fundamentals/yahoo.py), within an overall time budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from core.errors import ConfigError, FetchFailed, SourceError
from extractors.fundamentals.rows import FundamentalRow, QuoteRow, fundamental_rows, quote_row
from extractors.fundamentals.yahoo import DEFAULT_POLICY, UNREACHABLE, FetchPolicy, fetch_ticker

# The companies the theses name: the tickers fetched when no theses file is loaded.
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
    budget_s: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[TickerFetch]:
    """Fetch and convert each ticker in turn, within `budget_s` for them all (the tickers
    left when it is spent are skipped); the warehouse stays closed meanwhile. Once Yahoo
    proves unreachable (no DNS, no connection), the tickers left are not tried: they fail
    at once with the same reason, so an offline run is not held by them."""
    fetched: list[TickerFetch] = []
    started = clock()
    for ticker in normalize_tickers(tickers):
        offline = next((f for f in fetched if f.error.startswith(UNREACHABLE)), None)
        if offline is not None:
            reason = offline.error.split(" (after")[0] + f" (not tried after {offline.ticker})"
        elif clock() - started > budget_s:
            reason = f"skipped: run budget of {budget_s:g}s spent"
        else:
            fetched.append(fetch_one(ticker, session=session, policy=policy, sleep=sleep))
            continue
        skipped = FetchFailed(f"yfinance:{ticker}", reason)
        fetched.append(TickerFetch.failed(ticker, datetime.now(UTC), skipped))
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
