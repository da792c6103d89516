"""prefect.yaml: `prefect deploy` registers the daily deployment and a process worker runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer

from tests.paths import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
LITELLM = (FIXTURES / "litellm_history" / "2024-10-05T120000_litellm.json").read_bytes()
PREFECT = [sys.executable, "-m", "prefect"]


def _prefect(args: list[str], env: dict[str, str], timeout_s: float = 180) -> str:
    done = subprocess.run(
        [*PREFECT, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.usefixtures("prefect_harness")
def test_prefect_deploy_registers_the_schedule_and_a_process_worker_runs_the_flow(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import get_current_settings

    httpserver.expect_request("/litellm.json").respond_with_data(
        LITELLM, content_type="application/json"
    )
    env = {
        **os.environ,
        "PWD": str(ROOT),
        "PREFECT_API_URL": str(get_current_settings().api.url),
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "THESIS_URL_LITELLM": httpserver.url_for("/litellm.json"),
        "THESIS_TASK_RETRIES": "0",
    }
    env.pop("THESIS_TASK_RUNNER", None)
    _prefect(["work-pool", "create", "thesis-process", "--type", "process"], env)
    _prefect(["--no-prompt", "deploy", "--all"], env)
    db = tmp_path / "thesis.duckdb"
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("thesis-daily/daily")
        try:
            assert deployment.work_pool_name == "thesis-process"
            assert deployment.entrypoint == "flows/deployed.py:daily"
            assert deployment.parameters == {"fundamentals": True}
            assert deployment.global_concurrency_limit is not None
            assert deployment.global_concurrency_limit.limit == 1
            assert deployment.pull_steps == [
                {"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}
            ]
            schedule = deployment.schedules[0].schedule
            assert (schedule.cron, schedule.timezone) == ("0 6 * * *", "UTC")
            run = client.create_flow_run_from_deployment(
                deployment.id,
                parameters={"db_path": str(db), "sources": ["litellm"], "fundamentals": False},
            )
            _prefect(["worker", "start", "--pool", "thesis-process", "--run-once"], env)
            state = client.read_flow_run(run.id).state
            assert state is not None and state.is_completed(), state
        finally:
            client.delete_deployment(deployment.id)
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "select count(*) from latest_prices where source = 'litellm' and model = 'gpt-4o'"
        ).fetchone()
    finally:
        con.close()
    assert row is not None and row[0] >= 2
