"""The shared fetch edge against a real local server: retries, Retry-After, 304, budgets."""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from core.errors import FetchFailed
from extractors.http import USER_AGENT, fetch_url, retry_after_s


def test_retries_429_and_5xx_honouring_retry_after(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/p").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "3"}
    )
    httpserver.expect_ordered_request("/p").respond_with_data("oops", status=503)
    httpserver.expect_ordered_request("/p").respond_with_data('{"ok": 1}', headers={"ETag": '"v1"'})
    waits: list[float] = []
    got = fetch_url("t", httpserver.url_for("/p"), backoff_s=0.5, sleep=waits.append)
    assert got.payload == b'{"ok": 1}' and got.etag == '"v1"'
    assert waits == [3.0, 1.0]  # Retry-After, then the doubled backoff of attempt two


def test_a_client_error_is_not_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    waits: list[float] = []
    with pytest.raises(FetchFailed, match=r"HTTP 404 .* \(after 1 attempt\(s\)\)"):
        fetch_url("t", httpserver.url_for("/gone"), sleep=waits.append)
    assert waits == []


def test_gives_up_after_bounded_attempts_with_a_one_line_reason(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/down").respond_with_data("x", status=502)
    with pytest.raises(FetchFailed) as err:
        fetch_url("litellm", httpserver.url_for("/down"), attempts=3, sleep=lambda _: None)
    assert str(err.value).startswith("litellm: HTTP 502 from http://localhost")
    assert "(after 3 attempt(s))" in str(err.value) and "\n" not in str(err.value)


def test_a_retry_after_beyond_the_cap_fails_now(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/p").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    with pytest.raises(FetchFailed, match="Retry-After 3600s exceeds 60s"):
        fetch_url("t", httpserver.url_for("/p"), sleep=lambda _: None)


def test_conditional_get_sends_validators_and_understands_304(httpserver: HTTPServer) -> None:
    seen: dict[str, str | None] = {}

    def handler(request: Request) -> Response:
        seen["etag"] = request.headers.get("If-None-Match")
        seen["since"] = request.headers.get("If-Modified-Since")
        seen["ua"] = request.headers.get("User-Agent")
        return Response(status=304)

    httpserver.expect_request("/p").respond_with_handler(handler)
    got = fetch_url("t", httpserver.url_for("/p"), etag='"abc"', last_modified="Mon, 02 Nov 2026")
    assert got.not_modified and got.payload is None
    assert seen == {"etag": '"abc"', "since": "Mon, 02 Nov 2026", "ua": USER_AGENT}


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    assert retry_after_s("120") == 120.0
    assert retry_after_s(format_datetime(now + timedelta(seconds=90)), now=now) == 90.0
    assert retry_after_s("soon") is None and retry_after_s(None) is None


def _raw_server(script: bytes, drip: bool = False) -> tuple[socket.socket, threading.Event]:
    """A socket server that reads the request, sends `script`, then holds the connection
    open (until the test ends) without a word, or dripping a byte every 0.2 s."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    stop = threading.Event()

    def serve() -> None:
        conn, _ = server.accept()
        conn.recv(4096)
        if script:
            conn.sendall(script)
        while not stop.wait(0.2 if drip else 60) and drip:
            try:
                conn.sendall(b"x")
            except OSError:
                break
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return server, stop


@pytest.mark.parametrize(
    ("script", "drip"),
    [
        (b"", False),  # accepts, never answers
        (b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial", False),
        (b"HTTP/1.1 200 OK\r\n\r\nall of it, but the connection never closes", False),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", True),
    ],
    ids=["accepts-and-stalls", "stalls-mid-body", "never-closes", "trickles"],
)
def test_the_deadline_is_a_wall_clock_however_the_server_stalls(script: bytes, drip: bool) -> None:
    # The read timeout (60 s) is far beyond the deadline (1 s): the failure must name the
    # deadline, which only a hard wall clock reaches first.
    server, stop = _raw_server(script, drip)
    port = server.getsockname()[1]
    try:
        with pytest.raises(FetchFailed, match="exceeded its time budget"):
            fetch_url("stall", f"http://127.0.0.1:{port}/", deadline_s=1.0, timeout_s=(1, 60))
    finally:
        stop.set()
        server.close()


def test_a_refused_connection_is_unreachable_and_not_retried() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    waits: list[float] = []
    with pytest.raises(FetchFailed, match=r"unreachable: connection refused .*after 1 attempt"):
        fetch_url("gone", f"http://127.0.0.1:{port}/", attempts=4, sleep=waits.append)
    assert waits == []


def test_a_failed_dns_lookup_is_unreachable_and_not_retried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # offline, as a resolver says it
    waits: list[float] = []
    with pytest.raises(
        FetchFailed, match=r"unreachable: DNS lookup failed for prices\.invalid .*after 1 attempt"
    ):
        fetch_url("gone", "http://prices.invalid/", attempts=4, sleep=waits.append)
    assert waits == []
