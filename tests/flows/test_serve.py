"""`thesis serve`: the schedule and parameters from config, validated, and served for real."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
import typer
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from alerts.flow_failure import alert_flow_failure
from core.errors import ConfigError
from flows.serve import ScheduleConfig, build_deployment, flow_parameters, schedule_config
from tests.paths import FIXTURES
from thesis_cli.serve_cmd import serve

ROOT = Path(__file__).resolve().parents[2]
LITELLM = (FIXTURES / "litellm_history" / "2024-10-05T120000_litellm.json").read_bytes()


def test_the_default_schedule_is_six_in_the_morning_utc_every_day() -> None:
    assert schedule_config(env={}) == ScheduleConfig("0 6 * * *", "UTC")


def test_the_environment_sets_the_schedule_and_options_override_it() -> None:
    env = {"THESIS_SCHEDULE_CRON": " 30  5 * * 1-5 ", "THESIS_SCHEDULE_TZ": "Europe/London"}
    assert schedule_config(env=env) == ScheduleConfig("30 5 * * 1-5", "Europe/London")
    assert schedule_config("0 22 * * *", "Asia/Tokyo", env=env) == ScheduleConfig(
        "0 22 * * *", "Asia/Tokyo"
    )


@pytest.mark.parametrize(
    ("cron", "tz", "message"),
    [
        ("0 6 * *", "UTC", "is not a five-field cron expression"),
        ("0 6 * * * 0", "UTC", "is not a five-field cron expression"),
        ("0 25 * * *", "UTC", r"'0 25 \* \* \*' \(--cron or THESIS_SCHEDULE_CRON\): Invalid"),
        ("H 6 * * *", "UTC", "Invalid cron string"),
        ("daily", "UTC", "is not a five-field cron expression"),
        ("0 6 * * *", "Europe/Londn", r"'Europe/Londn' \(--timezone or THESIS_SCHEDULE_TZ\)"),
        ("0 6 * * *", "GMT+1", r"time zone 'GMT\+1' .* is not an IANA time zone"),
    ],
)
def test_a_bad_cron_or_time_zone_is_a_config_error(cron: str, tz: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        schedule_config(cron, tz, env={})


def test_flow_parameters_leave_unset_values_to_the_flow() -> None:
    assert flow_parameters() == {"fundamentals": True}
    assert flow_parameters("/srv/t.duckdb", ["litellm", "openrouter"], "my.toml", False) == {
        "db_path": "/srv/t.duckdb",
        "sources": ["litellm", "openrouter"],
        "theses_path": "my.toml",
        "fundamentals": False,
    }


def test_the_deployment_carries_the_cron_time_zone_name_and_parameters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("THESIS_TASK_RUNNER", raising=False)
    params = flow_parameters("/srv/t.duckdb", ["litellm"], None, False)
    deployment = build_deployment(ScheduleConfig("30 5 * * 1-5", "America/New_York"), params)
    assert (deployment.flow_name, deployment.name) == ("thesis-daily", "daily")
    assert len(deployment.schedules) == 1
    schedule = deployment.schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == ("30 5 * * 1-5", "America/New_York")
    assert deployment.parameters == {
        "db_path": "/srv/t.duckdb",
        "sources": ["litellm"],
        "fundamentals": False,
    }
    assert deployment.tags == ["thesis"]
    assert deployment.entrypoint == "flows/daily.py:daily_flow"


def test_the_served_flow_alerts_on_failure_and_uses_the_configured_runner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect.task_runners import ThreadPoolTaskRunner

    from flows.configured import configured_daily_flow

    monkeypatch.setenv("THESIS_TASK_WORKERS", "4")
    flow = configured_daily_flow()
    assert flow.name == "thesis-daily"
    assert flow.on_failure_hooks == [alert_flow_failure]
    assert flow.on_crashed_hooks == [alert_flow_failure]
    assert isinstance(flow.task_runner, ThreadPoolTaskRunner)
    assert flow.task_runner._max_workers == 4


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(serve)
    return app


def test_serve_dry_run_prints_the_deployment_with_an_absolute_db_path_as_json(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("THESIS_SCHEDULE_TZ", "Europe/Paris")
    monkeypatch.delenv("THESIS_SCHEDULE_CRON", raising=False)
    monkeypatch.delenv("THESIS_TASK_RUNNER", raising=False)
    monkeypatch.delenv("THESIS_TASK_WORKERS", raising=False)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "t.duckdb"
    result = CliRunner().invoke(
        _cli(), ["--db", "t.duckdb", "-s", "litellm", "--no-fundamentals", "--dry-run", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["deployment"] == "thesis-daily/daily"
    assert (doc["cron"], doc["timezone"]) == ("0 6 * * *", "Europe/Paris")
    assert doc["parameters"] == {"db_path": str(db), "sources": ["litellm"], "fundamentals": False}
    assert doc["task_runner"] == "thread pool (unbounded threads)"
    assert not db.exists()


def test_serve_rejects_a_bad_cron_before_anything_starts() -> None:
    result = CliRunner().invoke(_cli(), ["--cron", "0 6 * *", "--dry-run"])
    assert isinstance(result.exception, ConfigError)
    assert "is not a five-field cron expression" in str(result.exception)


def test_serve_without_a_prefect_server_says_how_to_start_one() -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with (
        temporary_settings(restore_defaults={PREFECT_API_URL}),
        pytest.raises(ConfigError, match="prefect server start"),
    ):
        serve(None, None, None, ["litellm"], None, True, False, False)


def _wait_for_deployment(client: Any, proc: subprocess.Popen[str], timeout_s: float) -> Any:
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"thesis serve exited: {proc.communicate()[1][-2000:]}"
        try:
            return client.read_deployment_by_name("thesis-daily/daily")
        except ObjectNotFound:
            time.sleep(0.5)
    raise AssertionError("thesis serve did not register its deployment")


@pytest.mark.usefixtures("prefect_harness")
def test_thesis_serve_registers_the_schedule_and_runs_the_flow_it_is_sent(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import get_current_settings

    httpserver.expect_request("/litellm.json").respond_with_data(
        LITELLM, content_type="application/json"
    )
    db = tmp_path / "thesis.duckdb"
    env = {
        **os.environ,
        "PREFECT_API_URL": str(get_current_settings().api.url),
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "THESIS_URL_LITELLM": httpserver.url_for("/litellm.json"),
        "THESIS_TASK_RETRIES": "0",
    }
    env.pop("THESIS_TASK_RUNNER", None)
    code = "import typer; from thesis_cli.serve_cmd import serve; typer.run(serve)"
    args = ["--cron", "30 5 * * 1-5", "--tz", "Europe/London", "--db", str(db)]
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args, "-s", "litellm", "--no-fundamentals"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with get_client(sync_client=True) as client:
            deployment = _wait_for_deployment(client, proc, 90)
            schedule = deployment.schedules[0].schedule
            assert (schedule.cron, schedule.timezone) == ("30 5 * * 1-5", "Europe/London")
            assert deployment.parameters == {
                "db_path": str(db),
                "sources": ["litellm"],
                "fundamentals": False,
            }
            run = run_deployment(deployment.id, timeout=180, poll_interval=1, as_subflow=False)
            assert run.state is not None and run.state.is_completed(), run.state
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("select count(*), max(status) from runs").fetchone()
    finally:
        con.close()
    assert row == (1, "ok")
