"""Backtesting the watched-model sources: the real OpenRouter endpoint answers and
dated copies of real configs, replayed into a scratch warehouse through the loader and
the kinds they feed; and the implied batch the speed kinds read from `inferences`."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alerts.theses.load import load_theses
from alerts.triggers.evaluate_watched import load_watched_data
from extractors.registry import get_watched
from extractors.watched.openrouter_endpoints import responses
from model.inversion.inference import Inference
from pipeline.backtest_watched import date_of, per_kind, run_watched_backtest
from tests.paths import SAMPLES
from thesis_cli.main import app
from warehouse.db import connect
from warehouse.inferences import store_inferences
from warehouse.watched_load import WatchedPayload, load_watched

ENDPOINTS = SAMPLES / "openrouter_endpoints"
CONFIGS = SAMPLES / "model_configs"


def test_a_file_is_dated_by_a_leading_or_a_trailing_iso_date() -> None:
    assert date_of("openrouter_endpoints_kimi-k2_2026-10-05.json") == datetime(
        2026, 10, 5, tzinfo=UTC
    )
    assert date_of("2024-12-26_hf_config_deepseek-ai__DeepSeek-V3.json") == datetime(
        2024, 12, 26, tzinfo=UTC
    )
    assert date_of("hf_config_deepseek-ai__DeepSeek-V3.json") is None


@pytest.mark.skipif(not ENDPOINTS.is_dir(), reason=f"{ENDPOINTS} absent")
def test_the_real_endpoint_answers_replay_with_no_speed_alert() -> None:
    result = run_watched_backtest("openrouter-endpoints", ENDPOINTS, load_theses())
    # 14 models of 2026-08-15 and six of 2026-10-05; the website's stats answer (another
    # format, 2025-06-27) is one recorded failure.
    assert result.days == 3 and len(result.loaded) == 20
    assert len(result.failed) == 1 and "2025-06-27" in result.failed[0]
    assert "openrouter-endpoints:meta-llama/llama-3.3-70b-instruct" in result.loaded
    assert result.alerts == () and per_kind(result.alerts) == {}


@pytest.mark.skipif(not CONFIGS.is_dir(), reason=f"{CONFIGS} absent")
def test_dated_real_configs_replay_into_expert_layout_alerts_after_the_baseline(
    tmp_path: Path,
) -> None:
    for day, name in [
        ("2024-04-17", "mistralai__Mixtral-8x22B-v0.1"),
        ("2024-12-26", "deepseek-ai__DeepSeek-V3"),
    ]:
        shutil.copy(CONFIGS / f"hf_config_{name}.json", tmp_path / f"{day}_hf_config_{name}.json")
    kimi = "moonshotai__Kimi-K2-Instruct"
    shutil.copy(CONFIGS / f"hf_config_{kimi}.json", tmp_path / f"hf_config_{kimi}_2025-07-11.json")
    (tmp_path / "hf_config_undated__x.json").write_text("{}")
    result = CliRunner().invoke(
        app, ["backtest", "--snapshots", str(tmp_path), "--source", "model-configs", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["alerts_per_kind"] == {"expert_layout": 2}
    assert [(a["date"], a["source_model_key"]) for a in doc["alerts"]] == [
        ("2024-12-26", "deepseek-ai/DeepSeek-V3"),
        ("2025-07-11", "moonshotai/Kimi-K2-Instruct"),
    ]
    assert doc["skipped_files"] == ["hf_config_undated__x.json"]


@pytest.mark.skipif(not ENDPOINTS.is_dir(), reason=f"{ENDPOINTS} absent")
def test_the_implied_batch_of_an_openrouter_model_is_the_median_over_stand_ins(
    tmp_path: Path,
) -> None:
    con = connect(tmp_path / "wh.duckdb")
    try:
        payload = (ENDPOINTS / "openrouter_endpoints_14models_2026-08-15.json").read_bytes()
        at = datetime(2026, 8, 15, tzinfo=UTC)
        for model, doc in responses(payload).items():
            item = WatchedPayload(
                get_watched("openrouter-endpoints"), model, json.dumps(doc).encode(), at
            )
            load_watched(con, item)
        found = [
            Inference("meta", "llama-3.3-70b-instruct", "effective_decode_batch", value,
                      "sequences", "", {"model": ref, "hardware": "h100-sxm"}, "solved")
            for ref, value in [("a", 100.0), ("b", 140.0), ("c", 300.0)]
        ]  # fmt: skip
        store_inferences(con, found, computed_at=at)
        data = load_watched_data(con, date(2026, 8, 15))
    finally:
        con.close()
    assert dict(data.implied_batch) == {
        "meta-llama/llama-3.3-70b-instruct": [(date(2026, 8, 15), 140)]
    }
    groq = [s for s in data.host_speeds if s.host == "Groq"]
    assert [(s.model, s.quantization, s.throughput_p50_tokens_per_s) for s in groq] == [
        ("meta-llama/llama-3.3-70b-instruct", None, 178.0)
    ]
