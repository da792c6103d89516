"""The task runner follows THESIS_TASK_RUNNER; the daily flow runs on a real local Dask cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from pytest_httpserver import HTTPServer

from core.errors import ConfigError
from flows.runners import RunnerConfig, build_task_runner, runner_config_from_env
from tests.paths import FIXTURES

LITELLM = (FIXTURES / "litellm_history" / "2024-10-05T120000_litellm.json").read_bytes()


def test_the_default_is_an_unbounded_thread_pool() -> None:
    from prefect.task_runners import ThreadPoolTaskRunner

    cfg = runner_config_from_env({})
    assert cfg == RunnerConfig("thread", "", None)
    runner = build_task_runner(cfg)
    assert isinstance(runner, ThreadPoolTaskRunner)


def test_thread_workers_bound_the_pool() -> None:
    cfg = runner_config_from_env({"THESIS_TASK_RUNNER": "Thread", "THESIS_TASK_WORKERS": "3"})
    assert cfg == RunnerConfig("thread", "", 3)
    assert build_task_runner(cfg)._max_workers == 3
    assert cfg.describe() == "thread pool (3 threads)"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"THESIS_TASK_RUNNER": "celery"}, "THESIS_TASK_RUNNER='celery' is not known"),
        ({"THESIS_TASK_WORKERS": "0"}, "THESIS_TASK_WORKERS='0' is not a positive whole"),
        ({"THESIS_TASK_WORKERS": "four"}, "THESIS_TASK_WORKERS='four'"),
        (
            {"THESIS_TASK_RUNNER": "dask", "THESIS_DASK_ADDRESS": "10.0.0.5:8786"},
            "write it with its protocol, e.g. tcp://",
        ),
        (
            {
                "THESIS_TASK_RUNNER": "dask",
                "THESIS_DASK_ADDRESS": "tcp://10.0.0.5:8786",
                "THESIS_TASK_WORKERS": "2",
            },
            "unset one of them",
        ),
    ],
)
def test_bad_runner_settings_name_the_variable_and_the_fix(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        runner_config_from_env(env)


def test_the_address_of_the_other_runner_is_ignored() -> None:
    env = {"THESIS_TASK_RUNNER": "thread", "THESIS_DASK_ADDRESS": "tcp://10.0.0.5:8786"}
    assert runner_config_from_env(env).address == ""


def test_dask_runner_connects_to_the_configured_scheduler_or_sizes_a_local_cluster() -> None:
    prefect_dask = pytest.importorskip("prefect_dask", reason="needs `uv sync --extra dask`")
    env = {"THESIS_TASK_RUNNER": "dask", "THESIS_DASK_ADDRESS": "tcp://10.0.0.5:8786"}
    remote = build_task_runner(runner_config_from_env(env))
    assert isinstance(remote, prefect_dask.DaskTaskRunner)
    assert remote.address == "tcp://10.0.0.5:8786"
    local = build_task_runner(
        runner_config_from_env({"THESIS_TASK_RUNNER": "dask", "THESIS_TASK_WORKERS": "2"})
    )
    assert local.address is None and local.cluster_kwargs["n_workers"] == 2


def _import_prefect_ray(monkeypatch: pytest.MonkeyPatch) -> Any:
    """prefect_ray, or skip; Ray set up to stay on this machine and in this environment."""
    # Ray reports usage to its own site unless told not to; tests stay on this machine.
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    # Read when ray is first imported: under `uv run pytest` Ray would otherwise start its
    # workers with `uv run`, in an environment without the ray extra.
    monkeypatch.setenv("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
    return pytest.importorskip("prefect_ray", reason="needs `uv sync --extra ray`")


def test_ray_runner_takes_the_configured_address(monkeypatch: pytest.MonkeyPatch) -> None:
    prefect_ray = _import_prefect_ray(monkeypatch)
    env = {"THESIS_TASK_RUNNER": "ray", "THESIS_RAY_ADDRESS": "ray://10.0.0.5:10001"}
    runner = build_task_runner(runner_config_from_env(env))
    assert isinstance(runner, prefect_ray.RayTaskRunner)
    assert runner.address == "ray://10.0.0.5:10001"
    local = build_task_runner(
        runner_config_from_env({"THESIS_TASK_RUNNER": "ray", "THESIS_TASK_WORKERS": "2"})
    )
    assert local.address is None and local.init_kwargs["num_cpus"] == 2


@pytest.mark.usefixtures("prefect_harness")
@pytest.mark.parametrize(
    "processes",
    [
        pytest.param(False, id="threads"),
        # Worker processes send each result back pickled, a failed fetch's SourceError too.
        pytest.param(True, id="worker-process"),
    ],
)
def test_the_daily_flow_runs_its_source_tasks_on_a_local_dask_cluster(
    processes: bool, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("prefect_dask", reason="needs `uv sync --extra dask`")
    from distributed import LocalCluster

    from flows.configured import configured_daily_flow
    from flows.daily import summary_of

    httpserver.expect_request("/litellm.json").respond_with_data(
        LITELLM, content_type="application/json"
    )
    httpserver.expect_request("/genai.json").respond_with_data("upstream down", status=503)
    monkeypatch.setenv("THESIS_URL_LITELLM", httpserver.url_for("/litellm.json"))
    monkeypatch.setenv("THESIS_URL_GENAI_PRICES", httpserver.url_for("/genai.json"))
    monkeypatch.setenv("THESIS_FETCH_ATTEMPTS", "1")
    monkeypatch.setenv("THESIS_TASK_RETRIES", "0")
    db = tmp_path / "thesis.duckdb"
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=processes, dashboard_address=None
    ) as cluster:
        monkeypatch.setenv("THESIS_TASK_RUNNER", "dask")
        monkeypatch.setenv("THESIS_DASK_ADDRESS", cluster.scheduler_address)
        before = _transitions(cluster)
        summary = summary_of(
            configured_daily_flow()(
                db_path=str(db),
                sources=["litellm", "genai-prices"],
                fundamentals=False,
                return_state=True,
            )
        )
        transitions = _transitions(cluster) - before
    assert transitions > 0  # the fetch went through the Dask scheduler
    by_source = {s["source"]: s for s in summary["sources"]}
    assert by_source["litellm"]["status"] == "loaded"
    # A failed fetch comes back from the worker as its typed error, not as a crash.
    assert by_source["genai-prices"]["status"] == "failed"
    assert "HTTP 503" in by_source["genai-prices"]["error"]
    assert summary["rows_added"] > 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "select count(*) from latest_prices where source = 'litellm' and model = 'gpt-4o'"
        ).fetchone()
    finally:
        con.close()
    assert row is not None and row[0] >= 2


def _transitions(cluster: object) -> int:
    """Task state transitions the cluster's (in-process) scheduler has made so far."""
    return int(cluster.scheduler.transition_counter)  # type: ignore[attr-defined]


def test_a_runner_whose_extra_is_not_installed_says_how_to_install_it() -> None:
    from flows.runners import _optional

    with pytest.raises(ConfigError, match=r"needs prefect-nope: install it with `uv sync --extra"):
        _optional("prefect_nope.task_runners", "NopeTaskRunner", "nope")


@pytest.mark.usefixtures("prefect_harness")
def test_the_daily_flow_runs_its_source_tasks_on_a_local_ray_instance(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _import_prefect_ray(monkeypatch)
    from flows.configured import configured_daily_flow
    from flows.daily import summary_of

    httpserver.expect_request("/litellm.json").respond_with_data(
        LITELLM, content_type="application/json"
    )
    httpserver.expect_request("/genai.json").respond_with_data("upstream down", status=503)
    monkeypatch.setenv("THESIS_URL_LITELLM", httpserver.url_for("/litellm.json"))
    monkeypatch.setenv("THESIS_URL_GENAI_PRICES", httpserver.url_for("/genai.json"))
    monkeypatch.setenv("THESIS_FETCH_ATTEMPTS", "1")
    monkeypatch.setenv("THESIS_TASK_RETRIES", "0")
    monkeypatch.setenv("THESIS_TASK_RUNNER", "ray")
    monkeypatch.setenv("THESIS_TASK_WORKERS", "2")
    summary = summary_of(
        configured_daily_flow()(
            db_path=str(tmp_path / "thesis.duckdb"),
            sources=["litellm", "genai-prices"],
            fundamentals=False,
            return_state=True,
        )
    )
    by_source = {s["source"]: s for s in summary["sources"]}
    assert by_source["litellm"]["status"] == "loaded" and summary["rows_added"] > 0
    assert by_source["genai-prices"]["status"] == "failed"
    assert "HTTP 503" in by_source["genai-prices"]["error"]
