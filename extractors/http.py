"""The HTTP edge every source shares: timeouts, bounded retries, conditional GET."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import requests

from core.errors import FetchFailed

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
) -> FetchResult:
    """GET `url`, retrying 429/5xx and connection errors with exponential backoff.

    A Retry-After header overrides the backoff (capped at `max_wait_s`, beyond which we
    give up rather than hold the whole run). The body is streamed so that a server that
    drips bytes cannot hold the run past `deadline_s`. Raises FetchFailed with the last
    reason.
    """
    give_up_at = time.monotonic() + deadline_s
    session = session or make_session()
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    reason = "no attempt made"
    for attempt in range(attempts):
        wait = backoff_s * (2**attempt)
        try:
            resp = session.get(url, headers=headers, timeout=timeout_s, stream=True)
            body = _read_body(resp, give_up_at) if resp.status_code < 300 else b""
        except _Overrun as exc:
            reason = f"{exc} reading {url}"
            break
        except requests.Timeout:
            reason = f"timed out after {timeout_s[1]:g}s reading {url}"
        except requests.RequestException as exc:
            reason = f"could not connect to {url}: {type(exc).__name__}"
        else:
            if resp.status_code == 304:
                return _result(url, resp, None)
            if resp.status_code < 300:
                return _result(url, resp, body)
            reason = f"HTTP {resp.status_code} from {url}"
            if resp.status_code not in RETRY_STATUSES:
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
    raise FetchFailed(source, f"{reason} (after {attempt + 1} attempt(s))")


def _read_body(resp: requests.Response, give_up_at: float) -> bytes:
    """Read the body as it arrives (read1 returns whatever bytes are there), checking the
    budget between reads; iter_content would block until a whole chunk had dripped in."""
    chunks, size = [], 0
    while chunk := resp.raw.read1(256 * 1024, decode_content=True):
        size += len(chunk)
        if size > MAX_BYTES:
            raise _Overrun(f"body larger than {MAX_BYTES // 2**20} MiB")
        if time.monotonic() > give_up_at:
            raise _Overrun("fetch exceeded its time budget")
        chunks.append(chunk)
    return b"".join(chunks)


def _result(url: str, resp: requests.Response, payload: bytes | None) -> FetchResult:
    return FetchResult(
        url=url,
        status=resp.status_code,
        payload=payload,
        fetched_at=datetime.now(UTC),
        etag=resp.headers.get("ETag"),
        last_modified=resp.headers.get("Last-Modified"),
    )
