from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pytest_httpserver import HTTPServer

from alerts.delivery.slack import SlackWebhook
from alerts.records import Alert, SourceFailure
from alerts.run import alert_and_deliver
from warehouse.db import connect

HOOK = "/services/T1/B2/secret"


def test_runs_send_each_alert_and_each_breakage_once(
    tmp_path: Path, httpserver: HTTPServer, gpt4o_cut: Alert
) -> None:
    httpserver.expect_request(HOOK).respond_with_data("ok")
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    slack = [SlackWebhook(httpserver.url_for(HOOK))]
    days = [dt.date(2026, 11, d) for d in (1, 2, 3, 4)]

    def broken(day: dt.date) -> SourceFailure:
        return SourceFailure("openrouter", "fetch_failed", "openrouter: HTTP 503", day)

    def run(day: dt.date, alerts: list[Alert], failures: list[SourceFailure]) -> list[str]:
        before = len(httpserver.log)
        ok = ["litellm"] if failures else ["litellm", "openrouter"]
        report = alert_and_deliver(
            con, slack, alerts=alerts, failures=failures, succeeded_sources=ok, on=day
        )
        assert report.ok
        return [
            json.loads(req.get_data())["blocks"][0]["text"]["text"]
            for req, _ in httpserver.log[before:]
        ]

    assert run(days[0], [gpt4o_cut], [broken(days[0])]) == [
        "thesis: 1 alert (1 info)",
        "thesis: source broken: openrouter",
    ]
    # Same alert evaluated again (a re-run) and the source still broken: nothing new.
    assert run(days[1], [gpt4o_cut], [broken(days[1])]) == []
    assert run(days[2], [], []) == []
    assert run(days[3], [], [broken(days[3])]) == ["thesis: source broken: openrouter"]
