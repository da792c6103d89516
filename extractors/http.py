"""The HTTP edge every source shares: timeouts, bounded retries, conditional GET."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import requests
import urllib3

from core.errors import AccessDenied, FetchFailed, NotFound, RateLimited

USER_AGENT = (
    "thesis/0.1 (AI-inference price monitor; daily fetch of public price sheets; "
    "+https://github.com/thesis-monitor/thesis)"
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEFAULT_TIMEOUT_S = (5.0, 30.0)  # (connect, read)
DEFAULT_DEADLINE_S = 120.0  # the whole fetch, every attempt and wait included
MAX_BYTES = 64 * 2**20  # no price sheet is this large; a runaway body is a failure


class _Overrun(Exception):
    """The body outgrew MAX_BYTES or the fetch outlived its deadline."""


class _Unreachable(Exception):
    """The host could not be resolved or refused the connection: asking again at once
    will not change that, so it is not retried like a timeout."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The answer to one GET. `payload` is None when the server said 304 Not Modified."""

    url: str
    status: int
    payload: bytes | None
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.payload is None


def make_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session


def retry_after_s(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def fetch_url(
    source: str,
    url: str,
    *,
    session: requests.Session | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = "*/*",
    timeout_s: tuple[float, float] = DEFAULT_TIMEOUT_S,
    attempts: int = 4,
    backoff_s: float = 1.0,
    max_wait_s: float = 60.0,
    deadline_s: float = DEFAULT_DEADLINE_S,
    sleep: Callable[[float], None] = time.sleep,
    headers: Mapping[str, str] | None = None,
) -> FetchResult:
    """GET `url`, retrying 429/5xx and connection errors with exponential backoff.

    A Retry-After header overrides the backoff (capped at `max_wait_s`, beyond which we
    give up rather than hold the whole run). The body is streamed so that a server that
    drips bytes cannot hold the run past `deadline_s`. `headers` are sent as given (an
    Authorization header, say) and never appear in a reason. Raises FetchFailed with the
    last reason: AccessDenied for 401/403, NotFound for 404/410, RateLimited for a 429
    that outlasted the retries.
    """
    give_up_at = time.monotonic() + deadline_s
    session = session or make_session()
    headers = {**(headers or {}), "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    reason, status = "no attempt made", 0
    for attempt in range(attempts):
        wait, status = backoff_s * (2**attempt), 0
        try:
            resp = _get(session, url, headers, timeout_s, give_up_at)
            body = _read_body(resp, give_up_at, timeout_s[1]) if resp.status_code < 300 else b""
        except _Overrun as exc:
            reason = f"{exc} reading {url}"
            break
        except _Unreachable as exc:
            reason = f"unreachable: {exc} ({url})"
            break
        except requests.Timeout:
            if time.monotonic() >= give_up_at:
                reason = f"fetch exceeded its time budget of {deadline_s:g}s reading {url}"
                break
            reason = f"timed out after {timeout_s[1]:g}s reading {url}"
        except requests.RequestException as exc:
            reason = f"could not connect to {url}: {type(exc).__name__}"
        else:
            if resp.status_code == 304:
                return _result(url, resp, None)
            if resp.status_code < 300:
                return _result(url, resp, body)
            status = resp.status_code
            reason = f"HTTP {status} from {url}"
            if status not in RETRY_STATUSES:
                break
            advised = retry_after_s(resp.headers.get("Retry-After"))
            if advised is not None:
                if advised > max_wait_s:
                    reason += f" (Retry-After {advised:.0f}s exceeds {max_wait_s:.0f}s)"
                    break
                wait = advised
        if attempt + 1 < attempts:
            if time.monotonic() + wait > give_up_at:
                reason += f"; no time left for another attempt within {deadline_s:g}s"
                break
            sleep(wait)
    raise failure_for(status)(source, f"{reason} (after {attempt + 1} attempt(s))")


def failure_for(status: int) -> type[FetchFailed]:
    """The typed failure of a last HTTP status (0: no answer at all)."""
    if status in (401, 403):
        return AccessDenied
    if status in (404, 410):
        return NotFound
    if status == 429:
        return RateLimited
    return FetchFailed


def _get(
    session: requests.Session,
    url: str,
    headers: dict[str, str],
    timeout_s: tuple[float, float],
    give_up_at: float,
) -> requests.Response:
    """One GET whose connect and wait for headers both end by `give_up_at` (urllib3's
    `total` shortens the read timeout by the time connecting took)."""
    left = max(0.01, give_up_at - time.monotonic())
    timeout = urllib3.Timeout(
        connect=min(timeout_s[0], left), read=min(timeout_s[1], left), total=left
    )
    try:
        return session.get(url, headers=headers, timeout=timeout, stream=True)  # type: ignore[arg-type]
    except requests.ConnectionError as exc:
        why = unreachable_reason(exc)
        if why is not None:
            raise _Unreachable(why) from exc
        raise


def unreachable_reason(exc: BaseException) -> str | None:
    """'DNS lookup failed for <host>' or 'connection refused by <host>' when `exc` (or an
    exception it wraps) says so; None for anything that may pass if asked again."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        cur = todo.pop()
        if cur is None or id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(cur, urllib3.exceptions.NameResolutionError):
            return f"DNS lookup failed for {_host(cur)}"
        if isinstance(cur, ConnectionRefusedError):
            return "connection refused"
        todo += [cur.__cause__, cur.__context__, getattr(cur, "reason", None)]
        todo += [a for a in cur.args if isinstance(a, BaseException)]
    return None


def _host(exc: urllib3.exceptions.NameResolutionError) -> str:
    conn = exc.conn
    return str(getattr(conn, "host", "") or "the host")


def _read_body(resp: requests.Response, give_up_at: float, read_s: float) -> bytes:
    """Read the body as it arrives (read1 returns whatever bytes are there), checking the
    budget between reads; iter_content would block until a whole chunk had dripped in.
    Before each read the socket's timeout is cut to what is left of the budget, so a
    server that stalls mid-body (or never closes) cannot hold the fetch past it."""
    chunks, size = [], 0
    while chunk := _read_some(resp, give_up_at, read_s):
        size += len(chunk)
        if size > MAX_BYTES:
            raise _Overrun(f"body larger than {MAX_BYTES // 2**20} MiB")
        if time.monotonic() > give_up_at:
            raise _Overrun("fetch exceeded its time budget")
        chunks.append(chunk)
    return b"".join(chunks)


def _read_some(resp: requests.Response, give_up_at: float, read_s: float) -> bytes:
    left = give_up_at - time.monotonic()
    if left <= 0:
        raise _Overrun("fetch exceeded its time budget")
    sock = getattr(getattr(resp.raw, "connection", None), "sock", None)
    if sock is not None:
        sock.settimeout(min(read_s, left))
    try:
        return bytes(resp.raw.read1(256 * 1024, decode_content=True))
    except urllib3.exceptions.ReadTimeoutError:
        if time.monotonic() >= give_up_at:
            raise _Overrun("fetch exceeded its time budget") from None
        raise requests.Timeout("read timed out") from None
    except urllib3.exceptions.HTTPError as exc:  # e.g. the body cut short
        raise requests.ConnectionError(str(exc)) from exc


def _result(url: str, resp: requests.Response, payload: bytes | None) -> FetchResult:
    return FetchResult(
        url=url,
        status=resp.status_code,
        payload=payload,
        fetched_at=datetime.now(UTC),
        etag=resp.headers.get("ETag"),
        last_modified=resp.headers.get("Last-Modified"),
    )
