"""The yfinance edge against a fake Yahoo on 127.0.0.1: the real library code runs.

How the fake transport works: yfinance accepts a plain `requests.Session`. Ours mounts
an adapter that rewrites every URL (fc.yahoo.com, query1/query2.finance.yahoo.com,
guce.yahoo.com) to the same path and query on a local pytest-httpserver, whose handler
answers like Yahoo's JSON endpoints from the fixtures in tests/fixtures/fundamentals,
or with 429, 500, `{}` or a request that never completes. The fetch runs in a forked
child, which inherits this session. Nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import yfinance
from pytest_httpserver import HTTPServer
from requests.adapters import HTTPAdapter
from typer.testing import CliRunner
from werkzeug import Request, Response

from core.errors import FetchFailed
from extractors.fundamentals.fetch import fetch_fundamentals
from extractors.fundamentals.yahoo import FetchPolicy, fetch_ticker
from pipeline.fundamentals import store_fundamentals
from tests.paths import FIXTURES as FIXTURES_ROOT
from thesis_cli.fundamentals_cmd import app
from warehouse.db import connect

FIXTURES = FIXTURES_ROOT / "fundamentals"
Handler = Callable[[Request], Response]


class LocalYahoo(HTTPAdapter):
    """Sends every request, whatever its host, to the same path on the local server."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        parts = urlsplit(request.url or "")
        local = request.copy()
        local.url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().send(local, *args, **kwargs)


def fixture(ticker: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{ticker}.json").read_text(encoding="utf-8"))


def epoch(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


def timeseries(fx: dict[str, Any], types: list[str]) -> dict[str, Any]:
    """Yahoo's fundamentals-timeseries answer: one entry per requested type."""
    result = []
    for typ in types:
        entry: dict[str, Any] = {"meta": {"symbol": [fx["ticker"]], "type": [typ]}}
        prefix = next((p for p in ("annual", "quarterly") if typ.startswith(p)), None)
        name = typ.removeprefix(prefix or "")
        points = [(d, v[name]) for d, v in fx[prefix].items() if name in v] if prefix else []
        if points:
            entry["timestamp"] = [epoch(d) for d, _ in points]
            entry[typ] = [
                {
                    "asOfDate": d,
                    "periodType": "12M" if prefix == "annual" else "3M",
                    "currencyCode": fx["info"]["financialCurrency"],
                    "reportedValue": {"raw": float(v * fx["scale"]), "fmt": ""},
                }
                for d, v in points
            ]
        result.append(entry)
    return {"timeseries": {"result": result, "error": None}}


def as_json(body: object) -> Response:
    return Response(json.dumps(body), 200, content_type="application/json")


def fake_yahoo(tickers: list[str], quotes: bool = True) -> Handler:
    """Answers Yahoo's cookie, crumb, quote and timeseries endpoints; 404 for unknown tickers."""
    known = {t: fixture(t) for t in tickers}

    def handle(request: Request) -> Response:
        path = request.path
        if path in ("/", "/v1/test/getcrumb"):
            return Response("crumb" if path != "/" else "", 200)
        if match := re.fullmatch(r"/v10/finance/quoteSummary/(.+)", path):
            fx = known.get(match.group(1))
            if fx is None:
                return Response('{"quoteSummary":{"result":null,"error":{}}}', 404)
            data = {"financialData": {"financialCurrency": fx["info"]["financialCurrency"]}}
            return as_json({"quoteSummary": {"result": [data] if quotes else [], "error": None}})
        if path == "/v7/finance/quote":
            fx = known.get(request.args.get("symbols", ""))
            info = [dict(fx["info"], symbol=fx["ticker"])] if fx and quotes else []
            return as_json({"quoteResponse": {"result": info, "error": None}})
        if match := re.fullmatch(r"/ws/fundamentals-timeseries/v1/finance/timeseries/(.+)", path):
            fx = known.get(match.group(1))
            if fx is None:
                return Response("{}", 404)
            return as_json(timeseries(fx, request.args.get("type", "").split(",")))
        return Response("not found", 404)

    return handle


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    # Threaded, so a request left hanging does not hold up the next test's requests.
    srv = HTTPServer(host="127.0.0.1", threaded=True)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def yahoo(server: HTTPServer) -> Callable[[Handler], requests.Session]:
    """Install a handler for every path; return a session that reaches only this server."""

    def install(handler: Handler) -> requests.Session:
        server.clear()
        server.expect_request(re.compile(".*")).respond_with_handler(handler)
        session = requests.Session()
        adapter = LocalYahoo(server.url_for("/"))
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    return install


@pytest.fixture
def policy(tmp_path: Path) -> FetchPolicy:
    # yfinance's cookie cache goes to tmp_path, never the user's cache directory.
    return FetchPolicy(deadline_s=10.0, attempts=3, backoff_s=0.5, cache_dir=str(tmp_path))


class Sleeps(list[float]):
    """Records the backoff waits instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_fetch_brings_back_quote_and_statements(yahoo: Any, policy: FetchPolicy) -> None:
    raw = fetch_ticker("NVDA", session=yahoo(fake_yahoo(["NVDA"])), policy=policy)
    assert raw.info["regularMarketPrice"] == 143.96
    assert raw.info["financialCurrency"] == "USD"
    annual = raw.frames[("annual", "income")]
    assert annual.loc["TotalRevenue"].tolist() == [130_497e6, 60_922e6]
    assert raw.frames[("annual", "cash_flow")].loc["CapitalExpenditure"].tolist() == [
        -3_236e6,
        -1_069e6,
    ]
    assert raw.frames[("quarterly", "cash_flow")].empty


def test_rate_limit_is_retried_with_backoff_then_reported(yahoo: Any, policy: FetchPolicy) -> None:
    session = yahoo(lambda request: Response("Too Many Requests", 429))
    sleeps = Sleeps()
    with pytest.raises(FetchFailed) as failed:
        fetch_ticker("NVDA", session=session, policy=policy, sleep=sleeps)
    assert failed.value.source == "yfinance:NVDA"
    assert failed.value.reason == "rate-limited by Yahoo (HTTP 429) (after 3 attempt(s))"
    assert sleeps == [0.5, 1.0]


def test_a_rate_limit_that_lifts_loads_on_the_next_attempt(yahoo: Any, policy: FetchPolicy) -> None:
    normal = fake_yahoo(["005930.KS"])
    limited = {"on": True}

    def handler(request: Request) -> Response:
        return Response("Too Many Requests", 429) if limited["on"] else normal(request)

    def wait(seconds: float) -> None:
        limited["on"] = False  # the limit lifts while we back off

    raw = fetch_ticker("005930.KS", session=yahoo(handler), policy=policy, sleep=wait)
    quarterly = raw.frames[("quarterly", "income")]
    assert quarterly.loc["GrossProfit"].tolist() == [26_029_269e6, 17_738_278e6]


def test_server_error_fails_the_ticker(yahoo: Any, policy: FetchPolicy) -> None:
    session = yahoo(lambda request: Response("<html>Internal error</html>", 500))
    with pytest.raises(FetchFailed, match=r"HTTP 500 from Yahoo \(after 3 attempt"):
        fetch_ticker("NVDA", session=session, policy=policy, sleep=Sleeps())


def test_empty_json_answers_fail_the_ticker(yahoo: Any, policy: FetchPolicy) -> None:
    session = yahoo(lambda request: as_json({}))
    with pytest.raises(FetchFailed, match="Empty fundamentals-timeseries result"):
        fetch_ticker("NVDA", session=session, policy=policy, sleep=Sleeps())


def test_a_quote_yahoo_leaves_empty_is_a_failure_not_a_zero(
    yahoo: Any, policy: FetchPolicy
) -> None:
    session = yahoo(fake_yahoo(["NVDA"], quotes=False))
    with pytest.raises(FetchFailed, match="empty answer: quote has no price"):
        fetch_ticker("NVDA", session=session, policy=policy, sleep=Sleeps())


def test_statements_yahoo_has_nothing_for_are_a_failure(yahoo: Any, policy: FetchPolicy) -> None:
    fx = fixture("NVDA")
    normal = fake_yahoo(["NVDA"])

    def handler(request: Request) -> Response:
        if "timeseries" in request.path:  # every type answered, none with data
            return as_json(timeseries(dict(fx, annual={}, quarterly={}), ["annualX"]))
        return normal(request)

    with pytest.raises(FetchFailed, match="empty answer: no annual income statement"):
        fetch_ticker("NVDA", session=yahoo(handler), policy=policy, sleep=Sleeps())


def test_a_hanging_yahoo_is_cut_at_the_deadline(yahoo: Any, tmp_path: Path) -> None:
    release = threading.Event()

    def hang(request: Request) -> Response:
        release.wait(30)  # never answers while the test runs
        return as_json({})

    session = yahoo(hang)
    policy = FetchPolicy(deadline_s=1.0, attempts=1, cache_dir=str(tmp_path))
    try:
        with pytest.raises(FetchFailed) as failed:
            fetch_ticker("NVDA", session=session, policy=policy)
        assert failed.value.reason == "timed out after 1s (after 1 attempt(s))"
    finally:
        release.set()


def test_load_records_failed_tickers_and_loads_the_others(
    yahoo: Any, policy: FetchPolicy, tmp_path: Path
) -> None:
    session = yahoo(fake_yahoo(["NVDA", "005930.KS"]))  # AMD: Yahoo answers 404
    con = connect(tmp_path / "w.duckdb")
    fetched = fetch_fundamentals(
        ["NVDA", "AMD", "005930.KS"], session=session, policy=policy, budget_s=60, sleep=Sleeps()
    )
    result = store_fundamentals(con, fetched, run_id="run-1")
    assert result.ok == ["NVDA", "005930.KS"]
    assert list(result.failed) == ["AMD"]
    assert result.failed["AMD"] == "HTTP 404 from Yahoo (after 1 attempt(s))"  # not retried
    revenue = con.execute(
        "select value, currency from fundamentals_latest where ticker = '005930.KS'"
        " and period_type = 'quarterly' and period_end = date '2024-03-31'"
        " and item = 'total_revenue'"
    ).fetchone()
    assert revenue is not None and (int(revenue[0]), revenue[1]) == (71_915_601 * 10**6, "KRW")
    runs = con.execute(
        "select source, status, error_kind from source_runs where run_id = 'run-1' order by 1"
    ).fetchall()
    assert runs == [
        ("yfinance:005930.KS", "loaded", None),
        ("yfinance:AMD", "failed", "fetch_failed"),
        ("yfinance:NVDA", "loaded", None),
    ]


def test_loading_the_same_day_twice_adds_nothing(
    yahoo: Any, policy: FetchPolicy, tmp_path: Path
) -> None:
    session = yahoo(fake_yahoo(["NVDA"]))
    con = connect(tmp_path / "w.duckdb")
    first = store_fundamentals(
        con, fetch_fundamentals(["NVDA"], session=session, policy=policy, budget_s=60)
    )
    again = store_fundamentals(
        con, fetch_fundamentals(["NVDA"], session=session, policy=policy, budget_s=60)
    )
    # 2 annual periods x 8 items, 3 quarters x 6 income items (no quarterly cash flow)
    assert (first.outcomes[0].quotes_added, first.outcomes[0].fundamentals_added) == (1, 34)
    assert (again.outcomes[0].quotes_added, again.outcomes[0].fundamentals_added) == (0, 0)
    assert again.outcomes[0].notes == ("quarterly cash-flow statement empty",)
    count = con.execute("select count(*) from fundamentals").fetchone()
    assert count == (34,)


def test_cli_prints_each_ticker_and_exits_zero_when_some_load(yahoo: Any, tmp_path: Path) -> None:
    session = yahoo(fake_yahoo(["NVDA"]))
    yfinance.set_tz_cache_location(str(tmp_path))  # its cookie cache too; the child inherits
    result = CliRunner().invoke(
        app,
        ["--tickers", "nvda,AMD", "--attempts", "1", "--db", str(tmp_path / "w.duckdb"), "--json"],
        obj={"yfinance_session": session},
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["ok"] == ["NVDA"]
    assert doc["failed"]["AMD"].startswith("HTTP 404 from Yahoo")
    assert doc["tickers"][0]["quotes_added"] == 1


class Crash(HTTPAdapter):
    """A transport that takes the whole worker down, as a crash in native code would."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        os._exit(3)


def test_a_worker_that_dies_is_a_failure_with_its_exit_code(policy: FetchPolicy) -> None:
    session = requests.Session()
    session.mount("https://", Crash())
    with pytest.raises(FetchFailed, match=r"worker died \(exit code 3\) \(after 3 attempt"):
        fetch_ticker("NVDA", session=session, policy=policy, sleep=Sleeps())


def test_an_unreachable_yahoo_fails_at_once_and_the_other_tickers_are_not_tried(
    policy: FetchPolicy,
) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/"
    session = requests.Session()
    session.mount("https://", LocalYahoo(closed))
    session.mount("http://", LocalYahoo(closed))
    sleeps = Sleeps()
    got = fetch_fundamentals(
        ["NVDA", "AMD", "MU"], session=session, policy=policy, budget_s=90, sleep=sleeps
    )
    assert [f.error for f in got] == [
        "Yahoo unreachable: connection refused (after 1 attempt(s))",
        "Yahoo unreachable: connection refused (not tried after NVDA)",
        "Yahoo unreachable: connection refused (not tried after NVDA)",
    ]
    assert sleeps == []


def test_a_failed_dns_lookup_reads_as_yahoo_unreachable(
    policy: FetchPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # offline; the child inherits it
    with pytest.raises(FetchFailed) as failed:
        fetch_ticker("NVDA", session=requests.Session(), policy=policy, sleep=Sleeps())
    assert re.fullmatch(
        r"Yahoo unreachable: DNS lookup failed for \S+\.yahoo\.com \(after 1 attempt\(s\)\)",
        failed.value.reason,
    ), failed.value.reason
