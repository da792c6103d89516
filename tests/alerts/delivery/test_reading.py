"""What a reader sees: an outage is one line per source, a model's roofline reading is
written once, through the real renderers to a local Slack stand-in and a local SMTP server."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

from pytest_httpserver import HTTPServer

from alerts.delivery.email import SmtpConfig, SmtpEmail
from alerts.delivery.render import digest, source_broken
from alerts.delivery.slack import SlackWebhook
from alerts.records import Alert, SourceFailure
from alerts.theses.load import load_theses
from tests.alerts.delivery.test_email import parts

HOOK = "/services/T1/B2/secret"
DAY = dt.date(2026, 11, 24)
TICKERS = [t.symbol for t in load_theses().tickers]
DNS = "Yahoo unreachable: DNS lookup failed"


def email_to(port: int) -> SmtpEmail:
    return SmtpEmail(SmtpConfig("127.0.0.1", port, "t@example.com", ("a@x.example",), "none"))


def dns_outage() -> list[SourceFailure]:
    """What the daily run records when Yahoo does not resolve: a failure per ticker."""
    tickers = [SourceFailure(f"yfinance:{t}", "fetch_failed", DNS, DAY) for t in TICKERS]
    page = SourceFailure("openrouter", "layout_changed", "no 'data' array", DAY, "https://o.ai/")
    return [*tickers, page]


def test_one_dns_outage_is_one_slack_line_naming_the_tickers(httpserver: HTTPServer) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    SlackWebhook(httpserver.url_for(HOOK)).send(source_broken(dns_outage()))
    ((request, _),) = httpserver.log
    header, *sections = json.loads(request.get_data())["blocks"]
    n = len(TICKERS)
    assert n == 11
    assert header["text"]["text"] == f"thesis: source broken: openrouter, yfinance ({n} tickers)"
    assert [s["text"]["text"] for s in sections] == [
        ":x: *openrouter* (layout\u200b_\u200bchanged) on 2026-11-24\nno 'data' array\n"
        "<https://o.ai/|source>",
        f":x: *yfinance ({n} tickers)* (fetch\u200b_\u200bfailed) on 2026-11-24\n"
        f"{', '.join(sorted(TICKERS))}: {DNS}",
    ]


def test_tickers_failing_for_different_reasons_share_one_line_per_reason(
    start_smtp: Any,
) -> None:
    failures = dns_outage()[:-1]
    failures[0] = replace(failures[0], reason="HTTP 404 from Yahoo")
    server = start_smtp()
    email_to(server.port).send(source_broken(failures))
    text, html = parts(server.inbox.messages[0])
    first, rest = TICKERS[0], sorted(TICKERS[1:])
    assert text.splitlines()[2:] == [
        "[SOURCE BROKEN] yfinance (11 tickers) (fetch_failed) on 2026-11-24",
        f"  {first}: HTTP 404 from Yahoo; {', '.join(rest)}: {DNS}",
    ]
    assert html.count("<li>") == 1


def test_a_models_roofline_reading_is_written_once_in_text_html_and_slack(
    start_smtp: Any, httpserver: HTTPServer, real_day: list[Alert]
) -> None:
    msg = digest(real_day, load_theses().titles())
    server = start_smtp()
    email_to(server.port).send(msg)
    text, html = parts(server.inbox.messages[0])
    readings = {a.explanation for a in real_day}
    # 13 models; a few carry two readings (trigger kinds pick different inferences).
    pairs = {(a.provider, a.model, a.explanation) for a in real_day}
    assert (len(real_day), len({p[:2] for p in pairs}), len(pairs), len(readings)) == (
        48, 13, 20, 6,
    )  # fmt: skip
    for reading in readings:
        assert text.count(reading) == 1
        assert html.count(reading.replace("'", "&#x27;")) == 1
    # Each model carries each of its readings once: the paragraph, or a pointer to it.
    roofline_lines = [line for line in text.splitlines() if line.startswith("  Roofline: ")]
    assert len(roofline_lines) == len(pairs) == html.count("<i>Roofline:</i>")
    assert sum(line.startswith("  Roofline: as for ") for line in roofline_lines) == 20 - 6
