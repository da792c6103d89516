"""`thesis extract` on the watched-model sources: the real samples, text and --json."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.paths import SAMPLES
from thesis_cli.main import app

runner = CliRunner()
CONFIGS = SAMPLES / "model_configs"
ENDPOINTS = SAMPLES / "openrouter_endpoints"
pytestmark = pytest.mark.skipif(not CONFIGS.is_dir(), reason=f"{SAMPLES} (shared samples) absent")


def test_endpoints_print_one_row_per_host_with_nulls_left_empty() -> None:
    file = ENDPOINTS / "openrouter_endpoints_deepseek-v3.2_2026-10-05.json"
    doc = json.loads(
        runner.invoke(app, ["extract", "openrouter-endpoints", "-f", str(file), "--json"]).stdout
    )
    assert (doc["models"], len(doc["endpoints"])) == (1, 13)
    gmi = next(e for e in doc["endpoints"] if e["endpoint_key"] == "gmicloud/fp8")
    assert (gmi["input_usd_per_mtok"], gmi["discount_fraction"], gmi["latency_p50_ms"]) == (
        "0.2088",
        "0.28",
        None,
    )
    text = runner.invoke(app, ["extract", "openrouter-endpoints", "-f", str(file)]).stdout
    assert "openrouter-endpoints: 1 models, 13 endpoints, 0 architectures" in text


def test_a_config_prints_its_architecture_under_the_repo_its_name_carries(tmp_path: Path) -> None:
    file = CONFIGS / "hf_config_deepseek-ai__DeepSeek-V3.json"
    text = runner.invoke(app, ["extract", "model-configs", "--file", str(file)]).stdout
    assert text.splitlines()[0] == (
        "deepseek-ai/DeepSeek-V3: deepseek_v3, 61 layers, d_model 7168, 128 heads (128 KV), "
        "MLA latent 512 + rope 64, 256 experts (8 per token, 1 shared), weights fp8"
    )
    packed = tmp_path / "config.json.gz"
    packed.write_bytes(gzip.compress(file.read_bytes()))
    args = ["extract", "model-configs", "-f", str(packed), "--model", "org/v3", "--json"]
    (arch,) = json.loads(runner.invoke(app, args).stdout)["architectures"]
    assert (arch["source_model_key"], arch["experts_routed"], arch["unmapped_fields"]) == (
        "org/v3",
        256,
        [],
    )


def test_a_hub_api_record_is_refused_in_one_line() -> None:
    file = CONFIGS / "hf_api_model_google__gemma-3-27b-it_2026-10-05.json"
    result = runner.invoke(app, ["extract", "model-configs", "-f", str(file)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Hub API model record" in result.stderr
