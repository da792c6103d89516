"""The daily flow runs the watched-model sources beside the price sources: each model is
its own outcome, a gated repo is one failure, and the report's endpoint view fills."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.paths import FIXTURES, SAMPLES

CONFIG = SAMPLES / "model_configs" / "hf_config_deepseek-ai__DeepSeek-V3.json"
ENDPOINTS = SAMPLES / "openrouter_endpoints" / "openrouter_endpoints_kimi-k2_2026-10-05.json"
LITELLM = FIXTURES / "litellm_history" / "2024-10-05T120000_litellm.json"
pytestmark = [
    pytest.mark.skipif(not CONFIG.is_file(), reason=f"{SAMPLES} (shared samples) absent"),
    pytest.mark.usefixtures("prefect_harness"),
]
SERVED = {
    "/hf/deepseek-ai/DeepSeek-V3/resolve/main/config.json": CONFIG,
    "/or/moonshotai/kimi-k2/endpoints": ENDPOINTS,
    "/litellm.json": LITELLM,
}


def _serve(request: Request) -> Response:
    if request.path not in SERVED:
        return Response("gated", status=401)
    body = SERVED[request.path].read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    if request.headers.get("If-None-Match") == etag:
        return Response(status=304, headers={"ETag": etag})
    return Response(body, headers={"ETag": etag, "Content-Type": "application/json"})


@pytest.fixture
def outside(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    httpserver.expect_request("").respond_with_handler(_serve)  # every path
    base = httpserver.url_for("/")
    for name, value in {
        "THESIS_URL_LITELLM": base + "litellm.json",
        "THESIS_URL_MODEL_CONFIGS": base + "hf/{model}/resolve/main/config.json",
        "THESIS_URL_OPENROUTER_ENDPOINTS": base + "or/{model}/endpoints",
        "THESIS_MODEL_CONFIGS_MODELS": "deepseek-ai/DeepSeek-V3 meta-llama/Llama-3.1-70B",
        "THESIS_OPENROUTER_ENDPOINTS_MODELS": "moonshotai/kimi-k2",
        "THESIS_FETCH_ATTEMPTS": "1",
        "THESIS_TASK_RETRIES": "0",
    }.items():
        monkeypatch.setenv(name, value)
    return httpserver


def test_the_daily_flow_loads_each_watched_model_as_its_own_stream(
    outside: HTTPServer, tmp_path: Path
) -> None:
    from flows.daily import daily_flow, summary_of

    db = tmp_path / "thesis.duckdb"
    sources = ["litellm", "openrouter-endpoints", "model-configs"]
    state = daily_flow(db_path=str(db), sources=sources, fundamentals=False, return_state=True)
    assert state.is_failed() and state.message == (
        "1 of 4 sources failed: model-configs:meta-llama/Llama-3.1-70B (access_denied)"
    )
    first = summary_of(state)
    statuses = {s["source"]: (s["status"], s["error_kind"]) for s in first["sources"]}
    assert statuses == {
        "litellm": ("loaded", None),
        "openrouter-endpoints:moonshotai/kimi-k2": ("loaded", None),
        "model-configs:deepseek-ai/DeepSeek-V3": ("loaded", None),
        "model-configs:meta-llama/Llama-3.1-70B": ("failed", "access_denied"),
    }
    assert first["status"] == "partial"
    con = duckdb.connect(str(db), read_only=True)
    try:
        hosts = con.execute(
            "select model, host, cast(output_usd_per_mtok as varchar)"
            " from openrouter_endpoints_daily"
        ).fetchall()
        experts = con.execute(
            "select source_model_key, experts_routed from latest_architectures"
        ).fetchall()
    finally:
        con.close()
    assert [(m, h) for m, h, _ in hosts] == [("moonshotai/kimi-k2", "Novita")]
    assert experts == [("deepseek-ai/DeepSeek-V3", 256)]
    again = summary_of(
        daily_flow(db_path=str(db), sources=sources, fundamentals=False, return_state=True)
    )
    assert {s["source"]: s["status"] for s in again["sources"]} == {
        "litellm": "not_modified",
        "openrouter-endpoints:moonshotai/kimi-k2": "not_modified",
        "model-configs:deepseek-ai/DeepSeek-V3": "not_modified",
        "model-configs:meta-llama/Llama-3.1-70B": "failed",
    }
    assert again["rows_added"] == 0
