from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pytest_httpserver import HTTPServer

from alerts.delivery.email import SmtpConfig, SmtpEmail
from alerts.delivery.outbox import deliver_pending, recent, record_alerts, record_source_failures
from alerts.delivery.slack import SlackWebhook
from alerts.records import Alert, SourceFailure
from tests.alerts.conftest import GPT4O_EVIDENCE
from tests.warehouse_templates import WarehouseTemplates
from warehouse.db import connect

HOOK = "/services/T1/B2/secret"
NOW = dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC)

GEMINI_HEADLINE = (
    "thesis: google gemini-2.5-pro input above 200k tokens $1.25 → $2.5 (+100%) "
    "and 1 more alert (1 warning, 1 info)"
)


@pytest.fixture
def con(
    engine: str, tmp_path: Path, warehouse_templates: WarehouseTemplates
) -> duckdb.DuckDBPyConnection:
    return connect(warehouse_templates.copy(tmp_path, "w", engine), wait_s=0)


def rows(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return con.execute(
        "select subject, channel, status, attempts, last_error from alerts order by alert_id"
    ).fetchall()


def email_to(port: int) -> SmtpEmail:
    return SmtpEmail(
        SmtpConfig("127.0.0.1", port, "t@example.com", ("a@example.com",), security="none")
    )


def test_delivery_retried_after_smtp_outage_arrives_exactly_once(
    con: duckdb.DuckDBPyConnection, start_smtp: Any, unused_port: int, gemini_tier: Alert
) -> None:
    channel = email_to(unused_port)
    assert record_alerts(con, [gemini_tier], [channel.name], now=NOW) == 1

    # Run 1: the SMTP server is down -> recorded as failed, nothing lost.
    (result,) = deliver_pending(con, [channel], now=NOW)
    assert (result.ok, result.items) == (False, 1)
    assert rows(con) == [
        (gemini_tier.subject, "email", "failed", 1,
         f"email: cannot deliver via 127.0.0.1:{unused_port} (ConnectionRefusedError)"),
    ]  # fmt: skip

    # Run 2: the server is back -> the digest arrives once and is marked delivered.
    server = start_smtp(port=unused_port)
    (result,) = deliver_pending(con, [channel], now=NOW + dt.timedelta(days=1))
    assert result.ok and len(server.inbox.messages) == 1
    assert "gemini-2.5-pro input above 200k" in str(server.inbox.messages[0].get_body(("plain",)))
    assert rows(con) == [(gemini_tier.subject, "email", "delivered", 2, None)]

    # Run 3 (and a re-run recording the same alert): nothing is sent again.
    assert record_alerts(con, [gemini_tier], [channel.name], now=NOW) == 0
    assert deliver_pending(con, [channel], now=NOW + dt.timedelta(days=2)) == []
    assert len(server.inbox.messages) == 1


def test_failed_alerts_join_the_next_runs_digest(
    con: duckdb.DuckDBPyConnection, httpserver: HTTPServer, gemini_tier: Alert, gpt4o_cut: Alert
) -> None:
    slack = SlackWebhook(httpserver.url_for(HOOK))
    record_alerts(con, [gemini_tier], ["slack"], now=NOW)
    httpserver.expect_oneshot_request(HOOK).respond_with_data("", status=500)
    (failed,) = deliver_pending(con, [slack], now=NOW)
    assert failed.error == "slack: HTTP 500"

    record_alerts(con, [gpt4o_cut], ["slack"], now=NOW + dt.timedelta(days=1))
    httpserver.expect_oneshot_request(HOOK).respond_with_data("ok")
    (ok,) = deliver_pending(con, [slack], now=NOW + dt.timedelta(days=1))
    assert (ok.ok, ok.items) == (True, 2)
    second = json.loads(httpserver.log[1][0].get_data())
    assert second["blocks"][0]["text"]["text"] == GEMINI_HEADLINE
    assert [r[2:4] for r in rows(con)] == [("delivered", 2), ("delivered", 1)]


def test_each_channel_is_tracked_on_its_own(
    con: duckdb.DuckDBPyConnection,
    httpserver: HTTPServer,
    start_smtp: Any,
    unused_port: int,
    gemini_tier: Alert,
) -> None:
    httpserver.expect_request(HOOK).respond_with_data("ok")
    slack, email = SlackWebhook(httpserver.url_for(HOOK)), email_to(unused_port)
    # One event, due on two channels: it counts once.
    assert record_alerts(con, [gemini_tier], [slack.name, email.name], now=NOW) == 1
    results = deliver_pending(con, [slack, email], now=NOW)
    assert [(r.channel, r.ok) for r in results] == [("slack", True), ("email", False)]

    server = start_smtp(port=unused_port)
    results = deliver_pending(con, [slack, email], now=NOW)
    assert [(r.channel, r.ok) for r in results] == [("email", True)]
    assert len(httpserver.log) == 1 and len(server.inbox.messages) == 1


def test_source_failures_go_in_a_separate_message(
    con: duckdb.DuckDBPyConnection, httpserver: HTTPServer, gpt4o_cut: Alert
) -> None:
    httpserver.expect_request(HOOK).respond_with_data("ok")
    failure = SourceFailure(
        "litellm", "bad_payload", "litellm: truncated JSON at byte 1048576", dt.date(2026, 11, 24)
    )
    record_alerts(con, [gpt4o_cut], ["slack"], now=NOW)
    assert record_source_failures(con, [failure], ["slack"], now=NOW) == 1
    assert record_source_failures(con, [failure], ["slack"], now=NOW) == 0
    results = deliver_pending(con, [SlackWebhook(httpserver.url_for(HOOK))], now=NOW)
    assert [(r.message_type, r.items, r.ok) for r in results] == [
        ("alert", 1, True), ("source_broken", 1, True)
    ]  # fmt: skip
    headers = [json.loads(req.get_data())["blocks"][0]["text"]["text"] for req, _ in httpserver.log]
    assert headers == [
        "thesis: openai gpt-4o input $5 → $2.5 (−50%)",
        "thesis: source broken: litellm",
    ]


def test_alerts_are_recorded_even_without_channels(
    con: duckdb.DuckDBPyConnection, gpt4o_cut: Alert
) -> None:
    assert record_alerts(con, [gpt4o_cut], [], now=NOW) == 1
    assert rows(con) == [("openai gpt-4o input", "none", "no_channel", 0, None)]
    assert deliver_pending(con, [], now=NOW) == []


def test_values_are_stored_exactly_and_listed_newest_first(
    con: duckdb.DuckDBPyConnection, gemini_tier: Alert, gpt4o_cut: Alert
) -> None:
    record_alerts(con, [gpt4o_cut], ["slack"], now=NOW)
    later = replace(gemini_tier, new_value=2_000_000, old_value=None, unit="tokens")
    record_alerts(con, [later], ["slack"], now=NOW + dt.timedelta(days=1))
    listed = recent(con, limit=5)
    assert [(r["subject"], r["old_value"], r["new_value"]) for r in listed] == [
        (gemini_tier.subject, None, "2000000"),
        ("openai gpt-4o input", "5", "2.5"),
    ]
    assert listed[0]["event_date"] == dt.date(2025, 6, 17)


def test_recent_lists_events_with_a_delivery_per_channel_and_counts_outages_once(
    con: duckdb.DuckDBPyConnection, gemini_tier: Alert, gpt4o_cut: Alert
) -> None:
    channels = ["slack", "email", "apprise:json:1a2b"]
    assert record_alerts(con, [gemini_tier, gpt4o_cut], channels, now=NOW) == 2
    dns = "Yahoo unreachable: DNS lookup failed"
    outage = [
        SourceFailure(f"yfinance:{t}", "fetch_failed", dns, dt.date(2026, 11, 24))
        for t in ("NVDA", "AMD", "TSM")
    ]
    later = NOW + dt.timedelta(hours=1)
    assert record_source_failures(con, outage, channels, now=later) == 1
    assert con.execute("select count(*) from alerts").fetchone() == (15,)

    listed = recent(con, limit=4)
    assert [(e["subject"], len(e["deliveries"])) for e in listed] == [
        ("yfinance:TSM", 3), ("yfinance:AMD", 3), ("yfinance:NVDA", 3),
        ("openai gpt-4o input", 3),
    ]  # fmt: skip
    assert [d["channel"] for d in listed[-1]["deliveries"]] == channels
    assert {d["status"] for e in listed for d in e["deliveries"]} == {"pending"}


def test_evidence_is_stored_and_shown_under_its_alert_in_slack_and_email(
    con: duckdb.DuckDBPyConnection, httpserver: HTTPServer, start_smtp: Any, gpt4o_cut: Alert
) -> None:
    server = start_smtp()
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    slack, mail = SlackWebhook(httpserver.url_for(HOOK)), email_to(server.port)
    record_alerts(con, [replace(gpt4o_cut, evidence=GPT4O_EVIDENCE)], ["slack", "email"], now=NOW)
    assert con.execute("select distinct evidence from alerts").fetchall() == [(GPT4O_EVIDENCE,)]

    assert all(r.ok for r in deliver_pending(con, [slack, mail], now=NOW))
    posted = json.loads(httpserver.log[0][0].get_data())
    section = next(b["text"]["text"] for b in posted["blocks"] if "INFO" in str(b))
    assert section.splitlines()[2] == f"seen in: {GPT4O_EVIDENCE}"
    text = str(server.inbox.messages[0].get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert f"\n  seen in: {GPT4O_EVIDENCE}\n" in text.replace("\r\n", "\n")


def test_an_upgraded_warehouses_old_alert_has_no_evidence_and_renders_without_the_line(
    tmp_path: Path, httpserver: HTTPServer, start_smtp: Any, gpt4o_cut: Alert
) -> None:
    path = tmp_path / "w.duckdb"
    old = connect(path, wait_s=0)
    # The warehouse as it was before migration 013, holding an alert not yet delivered.
    old.execute("alter table alerts drop column evidence")
    old.execute("delete from schema_migrations where version = 13")
    old.execute(
        "insert into alerts (alert_key, message_type, trigger_id, kind, severity, provider,"
        " model, source_model_key, subject, old_value, new_value, unit, event_date, fired_at,"
        " channel) values ('k', 'alert', 'price-cut-or-rise', 'price_change', 'info',"
        " 'openai', 'gpt-4o', 'gpt-4o', 'openai gpt-4o input', '5', '2.5', 'USD/Mtok',"
        " date '2024-08-06', now(), 'slack'), ('k', 'alert', 'price-cut-or-rise',"
        " 'price_change', 'info', 'openai', 'gpt-4o', 'gpt-4o', 'openai gpt-4o input', '5',"
        " '2.5', 'USD/Mtok', date '2024-08-06', now(), 'email')"
    )
    old.close()
    con = connect(path, wait_s=0)  # applies 013
    assert con.execute("select evidence from alerts").fetchall() == [(None,), (None,)]

    server = start_smtp()
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    slack, mail = SlackWebhook(httpserver.url_for(HOOK)), email_to(server.port)
    assert all(r.ok for r in deliver_pending(con, [slack, mail], now=NOW))
    posted = json.loads(httpserver.log[0][0].get_data())
    section = next(b["text"]["text"] for b in posted["blocks"] if "INFO" in str(b))
    assert "5 -&gt; 2.5 USD/Mtok" in section and "seen in" not in section
    body = server.inbox.messages[0]
    for part in ("plain", "html"):
        content = str(body.get_body((part,)).get_content())  # type: ignore[union-attr]
        assert "openai gpt-4o input" in content and "seen in" not in content
