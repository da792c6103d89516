"""Watched-model sources end to end against a local server: one fetch per model, each
model its own recorded outcome; gated, renamed and rate-limited models are one failure
each and lose nothing; the token goes into a header and nowhere else."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline.watched import fetch_models, load_fetches, planned_models, read_plan
from tests.paths import SAMPLES
from tests.warehouse_templates import WarehouseTemplates
from warehouse.db import connect

CONFIGS = SAMPLES / "model_configs"
ENDPOINTS = SAMPLES / "openrouter_endpoints"
pytestmark = pytest.mark.skipif(not CONFIGS.is_dir(), reason=f"{SAMPLES} absent")
TOKEN = "hf_never-store-me-0123456789"
FAST = {"attempts": 2, "backoff_s": 0.0, "sleep": lambda _: None}


class Hub:
    """Serves configs by repo path with ETags; some repos answer an error status."""

    def __init__(self, server: HTTPServer) -> None:
        self.files = {
            "deepseek-ai/DeepSeek-V3": CONFIGS / "hf_config_deepseek-ai__DeepSeek-V3.json",
            "Qwen/Qwen3-235B-A22B": CONFIGS / "hf_config_Qwen__Qwen3-235B-A22B.json",
        }
        self.status = {"meta-llama/Llama-3.1-70B": 401, "old/renamed": 404, "busy/model": 429}
        self.auth: list[str | None] = []
        server.expect_request("").respond_with_handler(self.handle)  # every path
        self.template = server.url_for("/") + "{model}/resolve/main/config.json"

    def handle(self, request: Request) -> Response:
        self.auth.append(request.headers.get("Authorization"))
        repo = request.path.strip("/").removesuffix("/resolve/main/config.json")
        if repo in self.status:
            return Response("no", status=self.status[repo])
        body = self.files[repo].read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:12] + '"'
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, headers={"ETag": etag, "Content-Type": "application/json"})


@pytest.fixture
def hub(httpserver: HTTPServer) -> Hub:
    return Hub(httpserver)


@pytest.fixture
def con(
    tmp_path: Path, warehouse_templates: WarehouseTemplates
) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(warehouse_templates.copy(tmp_path, "wh", "file"))
    yield connection
    connection.close()


def env(hub: Hub, models: str) -> dict[str, str]:
    return {
        "THESIS_URL_MODEL_CONFIGS": hub.template,
        "THESIS_MODEL_CONFIGS_MODELS": models,
        "HF_TOKEN": TOKEN,
    }


def run(
    con: duckdb.DuckDBPyConnection, hub: Hub, tmp_path: Path, models: list[str], e: dict[str, str]
) -> dict[str, tuple[str, str | None]]:
    headers = read_plan(con, "model-configs")[1]
    fetched = fetch_models("model-configs", tmp_path / "spool", models, headers, e, **FAST)
    outcomes = load_fetches(con, "model-configs", "run-1", fetched, tmp_path / "spool")
    return {o.model: (o.status, o.error_kind) for o in outcomes}


def test_each_model_is_its_own_outcome_and_failures_are_typed(
    con: duckdb.DuckDBPyConnection, hub: Hub, tmp_path: Path
) -> None:
    models = (
        "deepseek-ai/DeepSeek-V3 Qwen/Qwen3-235B-A22B meta-llama/Llama-3.1-70B old/renamed"
        " busy/model"
    )
    e = env(hub, models)
    planned = planned_models("model-configs", [], e)
    assert planned == models.split()
    got = run(con, hub, tmp_path, planned, e)
    assert got == {
        "deepseek-ai/DeepSeek-V3": ("loaded", None),
        "Qwen/Qwen3-235B-A22B": ("loaded", None),
        "meta-llama/Llama-3.1-70B": ("failed", "access_denied"),
        "old/renamed": ("failed", "not_found"),
        "busy/model": ("failed", "rate_limited"),
    }
    recorded = con.execute(
        "select source, status, error_kind from source_runs order by source"
    ).fetchall()
    assert recorded[0] == ("model-configs:Qwen/Qwen3-235B-A22B", "loaded", None)
    assert ("model-configs:busy/model", "failed", "rate_limited") in recorded
    assert con.execute("select count(*) from architecture_observations").fetchone() == (2,)
    assert set(hub.auth) == {f"Bearer {TOKEN}"}


def test_a_second_run_is_not_modified_and_a_failure_loses_nothing(
    con: duckdb.DuckDBPyConnection, hub: Hub, tmp_path: Path
) -> None:
    e = env(hub, "deepseek-ai/DeepSeek-V3")
    run(con, hub, tmp_path, ["deepseek-ai/DeepSeek-V3"], e)
    assert run(con, hub, tmp_path, ["deepseek-ai/DeepSeek-V3"], e) == {
        "deepseek-ai/DeepSeek-V3": ("not_modified", None)
    }
    hub.status["deepseek-ai/DeepSeek-V3"] = 404  # renamed on the Hub
    assert run(con, hub, tmp_path, ["deepseek-ai/DeepSeek-V3"], e) == {
        "deepseek-ai/DeepSeek-V3": ("failed", "not_found")
    }
    assert con.execute("select layers from latest_architectures").fetchone() == (61,)


def test_the_token_is_stored_nowhere(
    con: duckdb.DuckDBPyConnection, hub: Hub, tmp_path: Path
) -> None:
    hub.status["deepseek-ai/DeepSeek-V3"] = 403
    e = env(hub, "deepseek-ai/DeepSeek-V3")
    run(con, hub, tmp_path, ["deepseek-ai/DeepSeek-V3", "Qwen/Qwen3-235B-A22B"], e)
    columns = con.execute(
        "select table_name, column_name from information_schema.columns"
        " where data_type = 'VARCHAR' and table_schema = current_schema()"
    ).fetchall()
    for table, column in columns:
        hits = con.execute(
            f'select count(*) from "{table}" where "{column}" like ?', [f"%{TOKEN}%"]
        )
        assert hits.fetchone() == (0,), f"{table}.{column}"
    spooled = b"".join(p.read_bytes() for p in (tmp_path / "spool").rglob("*") if p.is_file())
    assert TOKEN.encode() not in spooled


def test_patterns_match_the_openrouter_model_list(con: duckdb.DuckDBPyConnection) -> None:
    for key in ("qwen/qwen3-32b", "qwen/qwen3-8b"):
        con.execute(
            "insert into price_observations values ('openrouter', ?, 'qwen', ?, 'input',"
            " 'standard', 0, '', null, null, 0.1, 'new', 's1', ?)",
            [key, key, date(2026, 10, 5)],
        )
    e = {"THESIS_OPENROUTER_ENDPOINTS_MODELS": "qwen/*, deepseek/deepseek-v3.2"}
    models, headers = read_plan(con, "openrouter-endpoints", e)
    assert models == ["qwen/qwen3-32b", "qwen/qwen3-8b", "deepseek/deepseek-v3.2"]
    assert headers == {}
