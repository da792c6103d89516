"""The serving-speed kinds (thesis #1) over the real OpenRouter endpoint sample, the
shipped roofline catalog, scale-up domains and serving-hosts file."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from alerts.theses.load import parse_theses
from alerts.triggers.inputs import HostSpeed, WatchedData
from alerts.triggers.reference import shipped_head
from alerts.triggers.registry import KINDS
from alerts.triggers.speed import SpeedBeyondRoofline, SpeedPerDollar, architecture_for
from extractors.watched.openrouter_endpoints import parse
from model.catalog.domains import load_domains
from model.catalog.load import load_catalog
from model.catalog.serving_hosts import load_serving_hosts
from tests.paths import SAMPLES

SAMPLE = SAMPLES / "openrouter_endpoints" / "openrouter_endpoints_14models_2026-08-15.json"
DAY = date(2026, 8, 15)
CATALOG = load_catalog()


def trigger(kind: str, params: str = "") -> object:
    text = KINDS[kind].example
    if params:
        text = text[: text.index("[trigger.params]")] + "[trigger.params]\n" + params
    (found,) = parse_theses(shipped_head() + "\n" + text, Path("example.toml")).triggers
    return found


def speeds() -> list[HostSpeed]:
    rows = parse(SAMPLE.read_bytes()).endpoints
    return [
        HostSpeed(DAY, r.source_model_key, r.endpoint_key, r.host, r.quantization,
                  r.throughput_p50_tokens_per_s)
        for r in rows if r.throughput_p50_tokens_per_s
    ]  # fmt: skip


def data(host_speeds: list[HostSpeed]) -> WatchedData:
    return WatchedData(
        architectures=[],
        domains=load_domains(),
        hbm_bytes_per_chip={},
        disclosures=[],
        speed_per_dollar={},
        today=DAY,
        host_speeds=host_speeds,
        models=CATALOG.models,
        hardware=CATALOG.hardware,
        serving_hosts=load_serving_hosts(),
    )


needs_sample = pytest.mark.skipif(not SAMPLE.is_file(), reason=f"{SAMPLE} absent")


@needs_sample
def test_no_real_host_beats_the_most_generous_gpu_bound_on_2026_08_15() -> None:
    found = trigger("speed_beyond_roofline")
    assert isinstance(found, SpeedBeyondRoofline)
    assert found.on_watched(data(speeds())) == []
    # The generous bound that day: Vera Rubin NVL72 (2026-H2), 72 x 22 TB/s of HBM.
    llama = CATALOG.get_model("llama-3.1-70b")
    limit, where = found.limit(data([]), llama, "bf16", DAY) or (None, "")
    assert limit is not None and where.startswith("NVIDIA Vera Rubin NVL72")
    assert round(limit.tokens_per_s) == 11205
    assert round(limit.bandwidth_bytes_per_s / 1e12) == 1584


@needs_sample
def test_each_real_model_id_maps_to_the_architecture_it_names_or_to_none() -> None:
    names = {
        s.model: getattr(architecture_for(s.model, CATALOG.models, []), "id", None)
        for s in speeds()
    }
    assert names["meta-llama/llama-3.3-70b-instruct"] == "llama-3.1-70b"
    assert names["nousresearch/hermes-3-llama-3.1-70b"] == "llama-3.1-70b"
    assert names["deepseek/deepseek-chat-v3-0324"] == "deepseek-v3"
    assert names["openai/gpt-5.6-terra"] is None  # closed: no architecture, no bound


@needs_sample
def test_a_host_above_a_stated_hgx_h100_board_fires_once_with_the_arithmetic() -> None:
    found = trigger("speed_beyond_roofline", 'models = ["meta-llama/*"]\ndomains = ["hgx-h100-8"]')
    assert isinstance(found, SpeedBeyondRoofline)
    real = [s for s in speeds() if s.model == "meta-llama/llama-3.3-70b-instruct"]
    assert found.on_watched(data(real)) == []  # Crusoe bf16 71, CoreWeave fp16 54: below 190
    crusoe = next(s for s in real if s.host == "Crusoe")
    # Cerebras's 445 tokens/s for Llama 3.1 70B at 16 bits (SambaNova's blog, 2024-09-10),
    # as if a GPU host served it:
    fast = [
        dataclasses.replace(crusoe, day=DAY + timedelta(days=i), throughput_p50_tokens_per_s=445.0)
        for i in (1, 2)
    ]
    (alert,) = found.on_watched(data([*real, *fast]))
    assert alert.date == DAY + timedelta(days=1)
    assert (alert.old_value, alert.new_value, alert.unit) == (
        Decimal("189.576"), Decimal(445), "tokens/s per user",
    )  # fmt: skip
    assert alert.subject == (
        "meta-llama/llama-3.3-70b-instruct on Crusoe (bf16): p50 445 tokens/s per user,"
        " above the memory-bound 190 tokens/s"
    )
    assert alert.explanation.split("; ") == [
        "bytes per token: 141 GB of weights (llama-3.1-70b active parameters at bf16)"
        " + 0.168 GB of KV (1024 tokens at fp8) = 141 GB",
        "bandwidth: NVIDIA HGX / DGX H100 (8 GPUs, NVSwitch), 8 x h100-sxm = 26.8 TB/s of HBM",
        "bound: 26.8 TB/s / 141 GB = 190 tokens/s per user",
        "observed p50 on crusoe/bf16: 445 tokens/s, more than one token per weight read"
        " (speculative decoding, or not this architecture)",
    ]
    assert (alert.provider, alert.model) == ("meta", "llama-3.3-70b-instruct")


@needs_sample
def test_hosts_whose_hardware_is_not_hbm_bound_are_left_out() -> None:
    found = trigger("speed_beyond_roofline", 'models = ["meta-llama/*"]\ndomains = ["hgx-h100-8"]')
    assert isinstance(found, SpeedBeyondRoofline)
    groq = next(s for s in speeds() if s.host == "Groq")
    assert (
        found.on_watched(data([dataclasses.replace(groq, throughput_p50_tokens_per_s=2000.0)]))
        == []
    )
    other = dataclasses.replace(groq, host="SomeGPUHost", throughput_p50_tokens_per_s=2000.0)
    (alert,) = found.on_watched(data([other]))
    assert "quantization not stated, read at fp4" in alert.subject  # the generous reading


def batch_series(values: list[tuple[int, str]]) -> list[tuple[date, Decimal | None]]:
    return [(DAY + timedelta(days=d), Decimal(v)) for d, v in values]


def test_speed_per_dollar_stays_quiet_when_the_implied_batch_grew_with_it() -> None:
    found = trigger("speed_per_dollar")
    assert isinstance(found, SpeedPerDollar)
    speed = batch_series([(0, "100"), (30, "130")])
    fuller = found.evaluate(
        "deepseek/deepseek-v3.2", speed, batch_series([(0, "100"), (30, "125")])
    )
    assert fuller == []
    (same,) = found.evaluate(
        "deepseek/deepseek-v3.2", speed, batch_series([(0, "100"), (29, "105")])
    )
    assert same.subject == (
        "deepseek/deepseek-v3.2: throughput per output dollar up 30% in 30 days;"
        " price-implied batch 100 -> 105 sequences"
    )
    strict = trigger("speed_per_dollar", "require_batch = true")
    assert isinstance(strict, SpeedPerDollar)
    assert strict.evaluate("deepseek/deepseek-v3.2", speed) == []
