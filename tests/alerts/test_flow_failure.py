"""A daily run that fails or crashes alerts the configured channels (local webhook servers)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from alerts.delivery.render import plain_text
from alerts.delivery.slack import SlackWebhook
from alerts.delivery.slack_blocks import slack_posts
from alerts.flow_failure import FlowFailure, flow_failure_message, send_flow_failure
from core.errors import ConfigError

FAILURE = FlowFailure(
    flow_name="thesis-daily",
    run_name="sapphire-slug",
    state="Failed",
    reason="Flow run encountered an exception: WarehouseLocked: warehouse /srv/t.duckdb is "
    "locked by PID 4242 (python3); waited 30s.",
    at=datetime(2026, 11, 24, 6, 0, 41, tzinfo=UTC),
    ui_url="http://127.0.0.1:4200/runs/flow-run/0b6c8f0e-5d0e-4a43-9b55-6f3a1c0d2e11",
)


def test_the_message_says_which_run_failed_why_and_where_to_look() -> None:
    msg = flow_failure_message(FAILURE)
    assert msg.kind == "flow_failed"
    assert msg.title == "thesis: daily run failed: sapphire-slug"
    assert plain_text(msg) == (
        "thesis: daily run failed: sapphire-slug\n\n"
        "Flow run sapphire-slug of thesis-daily ended Failed at 2026-11-24 06:00 UTC.\n"
        "Reason: Flow run encountered an exception: WarehouseLocked: warehouse "
        "/srv/t.duckdb is locked by PID 4242 (python3); waited 30s.\n"
        "Run in the Prefect UI: "
        "http://127.0.0.1:4200/runs/flow-run/0b6c8f0e-5d0e-4a43-9b55-6f3a1c0d2e11\n"
        "Sources and rows loaded before the failure are kept; the next run catches up.\n"
    )


def test_a_long_multiline_reason_is_cut_to_one_line_and_slack_markup_is_escaped() -> None:
    reason = "Traceback <!channel>\n" + "x" * 2000
    failure = FlowFailure("thesis-daily", "r", "Crashed", reason, FAILURE.at)
    msg = flow_failure_message(failure)
    reason_line = next(line for line in msg.note.splitlines() if line.startswith("Reason: "))
    assert len(reason_line) == len("Reason: ") + 600 and reason_line.endswith("…")
    assert "Run in the Prefect UI" not in msg.note
    assert msg.title == "thesis: daily run crashed: r"
    text = json.dumps(slack_posts(msg))
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text


def test_every_channel_gets_the_alert_even_when_one_fails(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/broken", method="POST").respond_with_data("no_service", 404)
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    channels = [
        SlackWebhook(httpserver.url_for("/broken"), name="slack-old"),
        SlackWebhook(httpserver.url_for("/hook")),
    ]
    sent = send_flow_failure(FAILURE, channels)
    assert [(s.channel, s.ok, s.error) for s in sent] == [
        ("slack-old", False, "slack-old: HTTP 404 no_service"),
        ("slack", True, ""),
    ]
    payload = httpserver.log[-1][0].get_json()
    assert payload["text"] == "thesis: daily run failed: sapphire-slug"
    assert payload["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "thesis: daily run failed: sapphire-slug"},
    }


@pytest.mark.usefixtures("prefect_harness")
def test_a_daily_run_that_fails_posts_the_alert_to_the_slack_webhook(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from flows.configured import configured_daily_flow

    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    monkeypatch.setenv("THESIS_SLACK_WEBHOOK_URL", httpserver.url_for("/slack"))
    monkeypatch.delenv("THESIS_TASK_RUNNER", raising=False)
    flow = configured_daily_flow()
    with pytest.raises(ConfigError, match="unknown source 'no-such-source'"):
        flow(db_path=str(tmp_path / "t.duckdb"), sources=["no-such-source"], fundamentals=False)
    assert len(httpserver.log) == 1
    payload = httpserver.log[0][0].get_json()
    assert payload["text"].startswith("thesis: daily run failed: ")
    note = payload["blocks"][1]["text"]["text"]
    assert "of thesis-daily ended Failed at " in note
    assert "Run in the Prefect UI: http://127.0.0.1:" in note and "/runs/flow-run/" in note
    assert "Reason: Flow run encountered an exception: ConfigError: unknown source" in note


@pytest.mark.usefixtures("prefect_harness")
def test_a_run_that_ends_failed_with_a_broken_source_sends_no_run_failed_alert(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from flows.configured import configured_daily_flow
    from flows.daily import summary_of

    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    httpserver.expect_request("/genai.json").respond_with_data("upstream down", status=503)
    monkeypatch.setenv("THESIS_SLACK_WEBHOOK_URL", httpserver.url_for("/slack"))
    monkeypatch.setenv("THESIS_URL_GENAI_PRICES", httpserver.url_for("/genai.json"))
    monkeypatch.setenv("THESIS_FETCH_ATTEMPTS", "1")
    monkeypatch.setenv("THESIS_TASK_RETRIES", "0")
    monkeypatch.delenv("THESIS_TASK_RUNNER", raising=False)
    state = configured_daily_flow()(
        db_path=str(tmp_path / "t.duckdb"),
        sources=["genai-prices"],
        fundamentals=False,
        return_state=True,
    )
    assert state.is_failed() and summary_of(state)["status"] == "failed"
    posted = [
        request.get_json()["text"] for request, _ in httpserver.log if request.path == "/slack"
    ]
    assert posted and not [text for text in posted if "daily run failed" in text]
