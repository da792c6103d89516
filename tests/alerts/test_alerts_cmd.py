from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from alerts.delivery.outbox import record_alerts
from alerts.records import Alert
from tests.alerts.conftest import GPT4O_EVIDENCE
from thesis_cli.alerts_cmd import app
from warehouse.db import connect

HOOK = "/services/T1/B2/very-secret-token"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith(("THESIS_SLACK", "THESIS_SMTP", "THESIS_APPRISE")):
            monkeypatch.delenv(name)


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env)


def test_no_channels_is_explained_and_exits_2() -> None:
    result = invoke("test")
    assert result.exit_code == 2
    assert "no alert channels configured: set THESIS_SLACK_WEBHOOK_URL" in result.output


def test_each_channel_reports_its_result_and_any_failure_exits_1(
    httpserver: HTTPServer, start_smtp: Any, unused_port: int
) -> None:
    httpserver.expect_request(HOOK).respond_with_data("ok")
    server = start_smtp()
    env = {
        "THESIS_SLACK_WEBHOOK_URL": httpserver.url_for(HOOK),
        "THESIS_SMTP_HOST": "127.0.0.1",
        "THESIS_SMTP_PORT": str(server.port),
        "THESIS_SMTP_SECURITY": "none",
        "THESIS_SMTP_FROM": "thesis@example.com",
        "THESIS_SMTP_TO": "analyst@example.com",
        "THESIS_APPRISE_URLS": f"json://127.0.0.1:{unused_port}/down",
    }
    result = invoke("test", "--json", env=env)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [(c["channel"][:13], c["ok"]) for c in doc["channels"]] == [
        ("slack", True), ("email", True), ("apprise:json:", False)
    ]  # fmt: skip
    assert server.inbox.messages[0]["Subject"] == "thesis: test message"
    assert json.loads(httpserver.log[0][0].get_data())["text"] == "thesis: test message"
    assert "very-secret-token" not in result.output


def test_all_channels_ok_exits_0_with_text_report(httpserver: HTTPServer) -> None:
    httpserver.expect_request(HOOK).respond_with_data("ok")
    result = invoke("test", env={"THESIS_SLACK_WEBHOOK_URL": httpserver.url_for(HOOK)})
    assert (result.exit_code, result.output) == (0, "slack: ok\n")


def test_bad_port_is_a_config_error_naming_the_variable() -> None:
    env = {
        "THESIS_SMTP_HOST": "localhost",
        "THESIS_SMTP_PORT": "twenty-five",
        "THESIS_SMTP_TO": "a@b.c",
    }
    result = invoke("test", env=env)
    assert result.exit_code == 2
    assert "THESIS_SMTP_PORT='twenty-five' is not a port number" in result.output


def test_list_shows_recent_alerts(tmp_path: Path, gemini_tier: Alert, gpt4o_cut: Alert) -> None:
    db = tmp_path / "w.duckdb"
    con = connect(db, wait_s=0)
    now = dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC)
    # One alert due on two channels, one on Slack: 2 alerts, 3 deliveries.
    cut = replace(gpt4o_cut, evidence=GPT4O_EVIDENCE)
    record_alerts(con, [cut], ["slack", "email"], now=now)
    record_alerts(con, [gemini_tier], ["slack"], now=now + dt.timedelta(hours=1))
    con.close()
    listed = json.loads(invoke("list", "--db", str(db), "--json").stdout)["alerts"]
    assert [a["evidence"] for a in listed] == [None, GPT4O_EVIDENCE]

    result = invoke("list", "--db", str(db), "--limit", "1", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    (row,) = doc["alerts"]
    assert (row["trigger_id"], row["old_value"], row["new_value"]) == (
        "long-context-tier", "1.25", "2.5"
    )  # fmt: skip
    assert row["deliveries"] == [
        {"channel": "slack", "status": "pending", "attempts": 0, "last_error": None,
         "delivered_at": None},
    ]  # fmt: skip
    assert row["fired_at"].startswith("2026-11-24T07:00:00")
    assert doc["counts"] == {
        "alerts": 1, "source_failures": 0, "deliveries": 1, "delivered": 0, "pending": 1,
        "failed": 0,
    }  # fmt: skip

    text = invoke("list", "--db", str(db)).output.splitlines()
    assert text[1:] == [
        "2026-11-24 06:00  info     price-cut-or-rise          openai gpt-4o input: "
        "5 -> 2.5 USD/Mtok  [slack: pending, email: pending]",
        "2 alerts; 3 deliveries: 0 delivered, 3 pending, 0 failed",
    ]


def test_list_without_a_warehouse_says_so(tmp_path: Path) -> None:
    result = invoke("list", "--db", str(tmp_path / "absent.duckdb"))
    assert result.exit_code == 2
    assert "no warehouse at" in result.output


def test_theses_command_describes_each_trigger_from_its_kind() -> None:
    result = invoke("theses")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    at = lines.index(
        "  warning  frontier-spread-band (spread_change): the output/input price spread"
        " leaving its band or moving against its baseline"
    )
    assert lines[at + 1] == (
        "           band_low = 3 x; band_high = 8 x; change_fraction = 0.2; baseline_days = 90"
    )


def test_theses_json_carries_typed_params_and_every_kind_and_metric() -> None:
    result = invoke("theses", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    spread = next(t for t in doc["triggers"] if t["id"] == "frontier-spread-band")
    assert spread["params"]["band_low"] == "3"
    assert spread["params"]["confirm_snapshots"] == 2
    assert spread["params"]["providers"][0] == "openai"
    kinds = {k["kind"]: k for k in doc["kinds"]}
    assert list(kinds) == [
        "threshold", "step_change", "spread_change", "long_context_tier", "cache_pricing",
        "price_change", "context_step_up", "refresh_cadence", "fundamentals", "implied_margin",
        "speed_per_dollar", "speed_beyond_roofline", "expert_layout", "scale_up_domain",
        "aggregate_disclosure", "pipelined_decode",
    ]  # fmt: skip
    baseline = next(p for p in kinds["spread_change"]["params"] if p["name"] == "baseline_days")
    assert baseline == {
        "name": "baseline_days", "type": "int", "required": False, "default": 90,
        "unit": "days", "help": "length of the trailing baseline", "choices": [],
    }  # fmt: skip
    assert (kinds["cache_pricing"]["label"], kinds["cache_pricing"]["explained_by"]) == (
        "cache pricing",
        ["cache_hit_prefill_cost_avoided", "implied_kv_storage_usd_per_gb_hour"],
    )
    assert kinds["fundamentals"]["explained_by"] == []
    metric = next(p for p in kinds["threshold"]["params"] if p["name"] == "metric")
    assert metric["required"] and "output_input_ratio" in metric["choices"]
    assert {m["metric"] for m in doc["metrics"]} == set(metric["choices"])


def test_theses_command_validates_and_names_the_line(tmp_path: Path) -> None:
    assert invoke("theses").exit_code == 0
    bad = tmp_path / "t.toml"
    bad.write_text('[[trigger]]\nid = "x"\nkind = "nope"\n', encoding="utf-8")
    result = invoke("theses", "--theses", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:3: [[trigger]] kind 'nope' is not known" in result.output
