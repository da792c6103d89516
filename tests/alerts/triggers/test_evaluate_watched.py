"""The watched-model kinds evaluated over a real warehouse: configs and hosts loaded by
the watched-model sources, the shipped checklist, only what is dated after `since`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alerts.theses.load import load_theses
from alerts.triggers.evaluate_watched import evaluate_watched
from extractors.watched import model_configs, openrouter_endpoints
from tests.paths import SAMPLES
from warehouse.db import connect
from warehouse.watched_load import WatchedPayload, load_watched

CAPTURE = SAMPLES / "openrouter_endpoints" / "openrouter_endpoints_14models_2026-08-15.json"
CONFIG = SAMPLES / "model_configs" / "hf_config_deepseek-ai__DeepSeek-V3.json"
QWEN = SAMPLES / "model_configs" / "hf_config_Qwen__Qwen3-235B-A22B.json"  # the baseline
pytestmark = pytest.mark.skipif(not CAPTURE.is_file(), reason=f"{SAMPLES} absent")
LLAMA = "meta-llama/llama-3.1-70b-instruct"
DAY1 = datetime(2026, 8, 15, 6, tzinfo=UTC)
LATER = DAY1 + timedelta(days=31)


def llama(speedup: int) -> bytes:
    answer = json.loads(CAPTURE.read_bytes())[LLAMA]
    for endpoint in answer["data"]["endpoints"]:
        endpoint["throughput_last_30m"]["p50"] *= speedup
    return json.dumps(answer).encode()


def test_a_new_moe_config_and_hosts_twice_as_fast_per_dollar_fire_on_their_day(
    tmp_path: Path,
) -> None:
    con = connect(tmp_path / "wh.duckdb")
    try:
        hosts = openrouter_endpoints.SOURCE
        load_watched(con, WatchedPayload(hosts, LLAMA, llama(1), DAY1))
        load_watched(con, WatchedPayload(hosts, LLAMA, llama(2), LATER))
        configs, repo = model_configs.SOURCE, "deepseek-ai/DeepSeek-V3"
        load_watched(con, WatchedPayload(configs, "Qwen/Qwen3-235B-A22B", QWEN.read_bytes(), DAY1))
        load_watched(con, WatchedPayload(configs, repo, CONFIG.read_bytes(), LATER))
        alerts = evaluate_watched(
            con, load_theses(), today=LATER.date(), since=LATER.date() - timedelta(days=1)
        )
    finally:
        con.close()
    # Every disclosure and domain date is older than `since`: history, not news.
    assert [(a.trigger_id, a.subject, a.old_value, a.new_value) for a in alerts] == [
        (
            "speed-per-dollar-improves",
            f"{LLAMA}: throughput per output dollar up 100% in 30 days;"
            " price-implied batch not known",
            37.5,
            75,
        ),
        (
            "expert-layout-vs-domain",
            "deepseek-ai/DeepSeek-V3: 256 routed experts on NVIDIA GB200 NVL72 (72 chips):"
            " experts do not divide evenly",
            72,
            256,
        ),
    ]
