"""The daily flow against real local HTTP servers: loads, records failures, never loses data."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.paths import FIXTURES
from warehouse import spool

LITELLM = (FIXTURES / "litellm_history" / "2024-10-05T120000_litellm.json").read_bytes()
OPENROUTER = (FIXTURES / "feeds" / "openrouter_2026-08-01.json").read_bytes()
SOURCES = ["litellm", "openrouter", "genai-prices"]


def _with_etag(body: bytes):  # type: ignore[no-untyped-def]
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, headers={"ETag": etag, "Content-Type": "application/json"})

    return handler


@pytest.fixture
def feeds(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    httpserver.expect_request("/litellm.json").respond_with_handler(_with_etag(LITELLM))
    httpserver.expect_request("/openrouter").respond_with_handler(_with_etag(OPENROUTER))
    httpserver.expect_request("/genai.json").respond_with_data("upstream down", status=503)
    monkeypatch.setenv("THESIS_URL_LITELLM", httpserver.url_for("/litellm.json"))
    monkeypatch.setenv("THESIS_URL_OPENROUTER", httpserver.url_for("/openrouter"))
    monkeypatch.setenv("THESIS_URL_GENAI_PRICES", httpserver.url_for("/genai.json"))
    monkeypatch.setenv("THESIS_FETCH_ATTEMPTS", "2")
    monkeypatch.setenv("THESIS_FETCH_BACKOFF_S", "0")
    monkeypatch.setenv("THESIS_TASK_RETRIES", "0")
    monkeypatch.setenv("THESIS_LOCK_WAIT_S", "0.5")
    return httpserver


def _run(db: Path, sources: list[str], **options: Any) -> dict[str, Any]:
    """The flow's summary, whichever state the run ended in."""
    from flows.daily import daily_flow, summary_of

    state = daily_flow(db_path=str(db), sources=sources, **options, return_state=True)
    return summary_of(state)


def _count(path: Path, sql: str) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute(sql).fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0])


@pytest.mark.usefixtures("prefect_harness")
def test_a_failing_source_is_recorded_and_the_others_load_and_a_rerun_adds_nothing(
    feeds: HTTPServer, tmp_path: Path
) -> None:

    db = tmp_path / "thesis.duckdb"
    first = _run(db, SOURCES, fundamentals=False)
    by_source = {s["source"]: s for s in first["sources"]}
    assert first["status"] == "partial"
    assert by_source["litellm"]["status"] == "loaded"
    assert by_source["openrouter"]["status"] == "loaded"
    assert by_source["genai-prices"]["status"] == "failed"
    assert by_source["genai-prices"]["error_kind"] == "fetch_failed"
    assert "HTTP 503" in by_source["genai-prices"]["error"]
    observations = _count(db, "select count(*) from price_observations")
    assert observations == first["rows_added"] - _count(db, "select count(*) from model_limits")
    assert _count(db, "select count(*) from latest_prices where model = 'gpt-4o'") >= 2

    second = _run(db, SOURCES, fundamentals=False)
    assert {s["source"]: s["status"] for s in second["sources"]}["litellm"] == "not_modified"
    assert second["rows_added"] == 0
    assert _count(db, "select count(*) from price_observations") == observations
    assert _count(db, "select count(*) from runs where status = 'partial'") == 2
    assert _count(db, "select count(*) from source_runs where source = 'genai-prices'") == 2


@pytest.mark.usefixtures("prefect_harness")
def test_a_locked_warehouse_keeps_the_fetched_payloads_for_the_next_run(
    feeds: HTTPServer, tmp_path: Path
) -> None:
    db = tmp_path / "thesis.duckdb"
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time,duckdb; c=duckdb.connect(sys.argv[1]); print('ok',flush=True);"
            " time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
    try:
        stopped = _run(db, ["litellm"], fundamentals=False)
    finally:
        holder.kill()
        holder.wait()
    assert stopped["status"] == "failed" and stopped["stopped"]["kind"] == "warehouse_locked"
    assert f"PID {holder.pid}" in stopped["stopped"]["reason"]
    assert stopped["sources"][0]["status"] == "failed"
    kept = spool.pending(spool.spool_dir(db), "litellm")
    assert len(kept) == 1 and kept[0].payload() == LITELLM
    caught_up = _run(db, ["litellm"], fundamentals=False)
    assert caught_up["sources"][0]["status"] == "loaded"
    assert caught_up["rows_added"] > 0
    assert spool.pending(spool.spool_dir(db), "litellm") == []
    assert _count(db, "select count(*) from snapshots where source = 'litellm'") == 1


@pytest.mark.usefixtures("prefect_harness")
def test_a_bad_theses_file_is_reported_and_prices_still_load(
    feeds: HTTPServer, tmp_path: Path
) -> None:

    theses = tmp_path / "theses.toml"
    theses.write_text('[[thesis]]\nid = "x"\n\n[[trigger]]\nid = "t"\nkind = "teleport"\n')
    db = tmp_path / "thesis.duckdb"
    summary = _run(db, ["litellm"], theses_path=str(theses), fundamentals=False)
    assert summary["sources"][0]["status"] == "loaded"
    assert summary["status"] == "partial"
    [problem] = summary["problems"]
    assert problem.startswith("alerts not evaluated: ") and "theses.toml:" in problem
    assert _count(db, "select count(*) from price_observations") > 0
    assert _count(db, "select count(*) from runs where status = 'partial'") == 1


@pytest.mark.usefixtures("prefect_harness")
def test_a_bad_channel_setting_is_reported_and_prices_still_load(
    feeds: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setenv("THESIS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("THESIS_SMTP_PORT", "twenty-five")
    db = tmp_path / "thesis.duckdb"
    summary = _run(db, ["litellm"], fundamentals=False)
    assert summary["sources"][0]["status"] == "loaded"
    [problem] = summary["problems"]
    assert "THESIS_SMTP_PORT" in problem and "\n" not in problem


@pytest.mark.usefixtures("prefect_harness")
def test_a_run_with_a_failed_source_ends_failed_on_the_server_named_by_its_run_id(
    feeds: HTTPServer, tmp_path: Path
) -> None:
    from prefect import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.logging.handlers import APILogWorker

    from flows.daily import daily_flow, summary_of

    db = tmp_path / "thesis.duckdb"
    state = daily_flow(db_path=str(db), sources=SOURCES, fundamentals=False, return_state=True)
    APILogWorker.drain_all()  # the logs are sent in the background
    summary = summary_of(state)
    assert state.is_failed()
    assert state.message == "1 of 3 sources failed: genai-prices (fetch_failed)"
    # What loaded stays loaded.
    assert _count(db, "select count(*) from price_observations") > 0
    assert _count(db, f"select count(*) from runs where run_id = '{summary['run_id']}'") == 1
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(state.state_details.flow_run_id)
        [artifact] = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id]))
        )
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
    assert run.name == summary["run_id"] and run.name.startswith("daily-")
    assert run.state is not None and run.state.is_failed()
    assert artifact.key == "thesis-daily-run" and artifact.type == "markdown"
    assert f"# Daily run {run.name}: partial" in str(artifact.data)
    assert "| genai-prices | failed | 0 | fetch_failed: HTTP 503" in str(artifact.data)
    per_source = {
        s: [log.message for log in logs if log.message.startswith(f"{s}: ")] for s in SOURCES
    }
    assert {s: len(lines) for s, lines in per_source.items()} == dict.fromkeys(SOURCES, 1)
    assert per_source["litellm"][0].startswith("litellm: loaded ")
    assert per_source["genai-prices"][0].startswith("genai-prices: failed (fetch_failed): HTTP 503")
