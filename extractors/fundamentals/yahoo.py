"""The yfinance fetch edge: one ticker per child process, a hard deadline, bounded retries.

Why a process: yfinance can hang for minutes (slow reads that never trip a socket
timeout, its own sleeps between retries, cookie/crumb dances), and a Python thread
cannot be stopped — an abandoned thread keeps its socket and yfinance's shared session
singleton busy. A forked child can be killed at the deadline, and it starts with a
fresh copy of yfinance's process-wide state (session singleton, crumb, lru caches), so
one ticker's failure cannot leak into the next. Fork costs milliseconds (modules are
already imported); the session object (a test's local transport, or None for
yfinance's own curl_cffi session) is inherited, not pickled. Linux only, as is the app.

yfinance hides many failures (None, empty frames); in the child we switch its
`hide_exceptions` off so rate limits and HTTP errors surface as exceptions, and we
treat a missing quote or an empty annual income statement as a failure too.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any

from core.errors import FetchFailed
from extractors.fundamentals.rows import (
    STATEMENT_ITEMS,
    PeriodType,
    RawTicker,
    Statement,
)

if TYPE_CHECKING:  # pandas costs ~1 s to import: only the fetch child needs it
    import pandas as pd

# Keys of yfinance's info dict the conversion reads (the rest is not sent back).
INFO_KEYS = (
    "currency",
    "financialCurrency",
    "regularMarketPrice",
    "currentPrice",
    "regularMarketTime",
    "exchangeTimezoneName",
    "marketCap",
)
FRAMES: tuple[tuple[PeriodType, Statement], ...] = (
    ("annual", "income"),
    ("quarterly", "income"),
    ("annual", "cash_flow"),
    ("quarterly", "cash_flow"),
)
_FREQ = {"annual": "yearly", "quarterly": "quarterly"}
UNREACHABLE = "Yahoo unreachable"  # how a failure to resolve or connect reads
# libcurl's codes (yfinance's own session is curl_cffi) for a host not reached at all.
_CURL_UNREACHABLE = {5: "proxy lookup failed", 6: "DNS lookup failed", 7: "could not connect"}
EXIT_GRACE_S = 5.0  # after its answer, how long a child may take to exit before it is killed


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one ticker's fetch. `deadline_s` bounds one attempt, wall clock."""

    deadline_s: float = 45.0
    attempts: int = 3
    backoff_s: float = 5.0  # waits backoff, 2*backoff, ... between attempts
    cache_dir: str | None = None  # yfinance's cookie/tz cache; None: its default


DEFAULT_POLICY = FetchPolicy()


def fetch_ticker(
    ticker: str,
    *,
    session: object | None = None,
    policy: FetchPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
) -> RawTicker:
    """Fetch one ticker's quote and statements, retrying; raise FetchFailed with the reason."""
    reason, tried = "no attempt made", 0
    for attempt in range(policy.attempts):
        tried += 1
        try:
            raw = _attempt(ticker, session, policy)
            require_complete(raw)
            return raw
        except _Permanent as exc:
            reason = exc.reason
            break
        except FetchFailed as exc:
            reason = exc.reason
        if attempt + 1 < policy.attempts:
            sleep(policy.backoff_s * 2**attempt)
    raise FetchFailed(f"yfinance:{ticker}", f"{reason} (after {tried} attempt(s))")


class _Permanent(FetchFailed):
    """An answer that asking again will not change (e.g. 404 for an unknown ticker)."""


def require_complete(raw: RawTicker) -> None:
    """None/empty answers are failures, not zeros: the quote and annual income must be there."""
    source = f"yfinance:{raw.ticker}"
    if raw.info.get("regularMarketPrice") is None and raw.info.get("currentPrice") is None:
        raise FetchFailed(source, "empty answer: quote has no price")
    frame = raw.frames.get(("annual", "income"))
    if frame is None or frame.empty:
        raise FetchFailed(source, "empty answer: no annual income statement")


def _attempt(ticker: str, session: object | None, policy: FetchPolicy) -> RawTicker:
    """One attempt in a forked child, killed if it outlives the deadline."""
    source = f"yfinance:{ticker}"
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_child_main,
        args=(sender, ticker, session, policy.cache_dir),
        name=f"yfinance-{ticker}",
        daemon=True,
    )
    child.start()
    sender.close()  # the child holds the only writer: EOF means it died
    try:
        status, payload = _receive(receiver, child, source, policy.deadline_s)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if status == "permanent":
        raise _Permanent(source, str(payload))
    if status != "ok" or not isinstance(payload, RawTicker):
        raise FetchFailed(source, str(payload))
    return payload


def _receive(
    receiver: Connection, child: BaseProcess, source: str, deadline_s: float
) -> tuple[str, object]:
    if not receiver.poll(deadline_s):
        raise FetchFailed(source, f"timed out after {deadline_s:g}s")
    try:
        status, payload = receiver.recv()
    except EOFError:
        child.join(EXIT_GRACE_S)
        raise FetchFailed(source, f"worker died (exit code {child.exitcode})") from None
    child.join(EXIT_GRACE_S)  # let it finish on its own; killed only if it lingers
    return str(status), payload


def _child_main(
    sender: Connection, ticker: str, session: object | None, cache_dir: str | None
) -> None:
    try:
        sender.send(("ok", _fetch_in_child(ticker, session, cache_dir)))
    except Exception as exc:  # reported to the parent as the one-line reason
        sender.send(("permanent" if is_permanent(exc) else "error", describe_error(exc)))
    finally:
        sender.close()


def _fetch_in_child(ticker: str, session: object | None, cache_dir: str | None) -> RawTicker:
    import yfinance as yf
    from yfinance.config import YfConfig
    from yfinance.data import YfData

    YfConfig.debug.hide_exceptions = False  # raise instead of returning None/empty
    # A fresh session singleton: nothing of a previous user of yfinance carries over.
    getattr(type(YfData), "_instances", {}).pop(YfData, None)
    if cache_dir is not None:
        yf.set_tz_cache_location(cache_dir)  # also where cookies are cached
    fetched_at = datetime.now(UTC)
    t = yf.Ticker(ticker, session=session)
    info = t.info or {}
    frames: dict[tuple[PeriodType, Statement], pd.DataFrame] = {}
    for period_type, statement in FRAMES:
        freq = _FREQ[period_type]
        if statement == "income":
            frame = t.get_income_stmt(freq=freq)
        else:
            frame = t.get_cash_flow(freq=freq)
        frames[(period_type, statement)] = _trim(frame, statement)
    kept = {k: info[k] for k in INFO_KEYS if k in info}
    return RawTicker(ticker=ticker, info=kept, frames=frames, fetched_at=fetched_at)


def _trim(frame: Any, statement: Statement) -> pd.DataFrame:
    """Only the rows we convert (keeps the pickle to the parent small)."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame) or frame.empty:
        return pd.DataFrame()
    wanted = [name for name in STATEMENT_ITEMS[statement] if name in frame.index]
    return frame.loc[wanted]


def is_permanent(exc: BaseException) -> bool:
    """A client error other than 408/429, or a host not reached at all: asking again at
    once will get the same answer (an unreachable Yahoo is not waited out like a timeout)."""
    if _unreachable(exc) is not None:
        return True
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return isinstance(status, int) and 400 <= status < 500 and status not in (408, 429)


def describe_error(exc: BaseException) -> str:
    """One line naming what went wrong, e.g. 'rate-limited by Yahoo (HTTP 429)'."""
    name = type(exc).__name__
    why = _unreachable(exc)
    if why is not None:
        return f"{UNREACHABLE}: {why}"
    if name == "YFRateLimitError":
        return "rate-limited by Yahoo (HTTP 429)"
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if isinstance(status, int):
        return f"HTTP {status} from Yahoo"
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    if name == "JSONDecodeError":
        return "unreadable answer from Yahoo (not JSON)"
    if name.startswith("YF"):  # yfinance's own exceptions carry a readable message
        return f"Yahoo: {text}" if text else name
    return f"{name}: {text}" if text else name


def _unreachable(exc: BaseException) -> str | None:
    """Why Yahoo was not reached at all ('DNS lookup failed'), or None."""
    from extractors.http import unreachable_reason  # requests: only once a fetch failed

    code = getattr(exc, "code", None)
    if type(exc).__module__.startswith("curl_cffi") and code in _CURL_UNREACHABLE:
        return _CURL_UNREACHABLE[code]
    return unreachable_reason(exc)
