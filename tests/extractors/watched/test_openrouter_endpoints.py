"""OpenRouter endpoint answers, read from the real captures in ../shared/samples."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from core.errors import BadPayload, InvalidPrice, LayoutChanged
from core.rows import EndpointRow, Observed
from extractors.watched import openrouter_endpoints as ore
from tests.paths import SAMPLES

FOLDER = SAMPLES / "openrouter_endpoints"
pytestmark = pytest.mark.skipif(not FOLDER.is_dir(), reason=f"{FOLDER} (shared samples) absent")


def sample(name: str) -> Observed:
    return ore.parse((FOLDER / f"openrouter_endpoints_{name}.json").read_bytes())


def by_key(observed: Observed, model: str) -> dict[str, EndpointRow]:
    return {e.endpoint_key: e for e in observed.endpoints if e.source_model_key == model}


def answer(*endpoints: dict[str, Any], model: str = "a/b") -> bytes:
    return json.dumps({"data": {"id": model, "endpoints": list(endpoints)}}).encode()


def endpoint(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "Host | a/b",
        "provider_name": "Host",
        "tag": "host/fp8",
        "quantization": "fp8",
        "pricing": {"prompt": "0.000001", "completion": "0.000002", "discount": 0},
    }
    return base | fields


def test_a_keyed_capture_of_fourteen_models_gives_every_host_with_its_percentiles() -> None:
    got = sample("14models_2026-08-15")
    assert (len(got.endpoints), len(got.model_keys)) == (58, 14)
    measured = [e for e in got.endpoints if e.throughput_p50_tokens_per_s is not None]
    assert len(measured) == 53
    turbo = by_key(got, "meta-llama/llama-3.1-70b-instruct")["deepinfra/turbo"]
    assert (turbo.host, turbo.quantization) == ("DeepInfra", "fp8")
    assert (turbo.input_usd_per_mtok, turbo.output_usd_per_mtok) == (Decimal("0.4"),) * 2
    assert (turbo.latency_p50_ms, turbo.latency_p99_ms) == (316.0, 1810.1200000000026)
    assert (turbo.throughput_p50_tokens_per_s, turbo.throughput_p90_tokens_per_s) == (26.0, 48.0)
    assert (turbo.context_tokens, turbo.max_output_tokens, turbo.status) == (131072, 16384, 0)


def test_an_unkeyed_answer_leaves_latency_and_throughput_null_never_zero() -> None:
    hosts = by_key(sample("deepseek-v3.2_2026-10-05"), "deepseek/deepseek-v3.2")
    assert len(hosts) == 13
    assert all(
        e.latency_p50_ms is None and e.throughput_p99_tokens_per_s is None for e in hosts.values()
    )
    assert sorted(k for k, e in hosts.items() if e.status == -2) == [
        "alibaba/fp8",
        "digitalocean",
        "gmicloud/fp8",
    ]
    vertex = hosts["google-vertex"]
    assert vertex.cache_read_usd_per_mtok is None and vertex.cache_write_usd_per_mtok is None
    assert hosts["alibaba/fp8"].cache_write_usd_per_mtok == Decimal("0.46345")
    assert hosts["venice"].quantization is None  # OpenRouter says "unknown"


def test_stated_prices_already_include_the_discount() -> None:
    hosts = by_key(sample("deepseek-v3.2_2026-10-05"), "deepseek/deepseek-v3.2")
    gmi = hosts["gmicloud/fp8"]
    assert gmi.discount_fraction == Decimal("0.28")
    assert gmi.input_usd_per_mtok == Decimal("0.2088")  # 0.29 list x (1 - 0.28)
    terra = by_key(sample("14models_2026-08-15"), "openai/gpt-5.6-terra")
    assert (terra["openai"].discount_fraction, terra["azure"].discount_fraction) == (
        Decimal("0.5"),
        Decimal("0"),
    )
    assert terra["openai"].input_usd_per_mtok * 2 == terra["azure"].input_usd_per_mtok


def test_long_context_overrides_become_tiers_in_usd_per_mtok() -> None:
    flex = by_key(sample("14models_2026-08-15"), "openai/gpt-5.6-terra")["openai/flex"]
    (tier,) = flex.long_context_tiers
    assert tier.min_prompt_tokens == 272000
    assert dict(tier.prices) == {
        "input_usd_per_mtok": Decimal("1"),
        "output_usd_per_mtok": Decimal("4.5"),
        "cache_read_usd_per_mtok": Decimal("0.1"),
        "cache_write_usd_per_mtok": Decimal("1.25"),
    }
    assert flex.web_search_usd_per_search == Decimal("0.01")


def test_two_endpoints_with_one_tag_are_both_kept() -> None:
    hosts = by_key(sample("qwen3-235b-a22b-2507_2026-10-05"), "qwen/qwen3-235b-a22b-2507")
    assert len(hosts) == 10
    assert hosts["google-vertex/us-south1"].input_usd_per_mtok == Decimal("0.22")
    assert hosts["google-vertex/us-south1#2"].input_usd_per_mtok == Decimal("0.25")


def test_null_uptimes_of_a_down_host_stay_null() -> None:
    down = by_key(sample("deepseek-chat-v3.1_2026-10-05"), "deepseek/deepseek-chat-v3.1")[
        "google-vertex/us-west2"
    ]
    assert (down.status, down.uptime_last_30m_pct, down.uptime_last_1d_pct) == (-5, None, 0.0)
    quiet = by_key(sample("llama-4-maverick_2026-10-05"), "meta-llama/llama-4-maverick")
    east = quiet["google-vertex/us-east5"]
    assert (east.uptime_last_5m_pct, east.uptime_last_30m_pct, east.uptime_last_1d_pct) == (
        None,
        None,
        None,
    )


def test_an_answer_about_another_model_is_refused() -> None:
    payload = (FOLDER / "openrouter_endpoints_kimi-k2_2026-10-05.json").read_bytes()
    assert len(ore.parse(payload, "moonshotai/kimi-k2").endpoints) == 1
    with pytest.raises(LayoutChanged, match=r"asked for moonshotai/kimi-k2\.5"):
        ore.parse(payload, "moonshotai/kimi-k2.5")


def test_unknown_fields_are_reported_not_failed() -> None:
    got = ore.parse(answer(endpoint(new_knob=1, pricing={"prompt": "0.000001", "video": "0.1"})))
    assert got.unmapped_fields == {"endpoint.new_knob", "pricing.video"}
    assert got.endpoints[0].output_usd_per_mtok is None


def test_variable_price_marker_is_not_a_price() -> None:
    got = ore.parse(answer(endpoint(pricing={"prompt": "-1", "completion": "0.000002"})))
    assert got.endpoints[0].input_usd_per_mtok is None
    assert got.endpoints[0].output_usd_per_mtok == Decimal("2")


@pytest.mark.parametrize(
    ("payload", "error", "message"),
    [
        (b"<html>Just a moment</html>", BadPayload, "HTML page instead of JSON"),
        (b'{"data": {"id": "a/b"}}', LayoutChanged, "data.endpoints` is not a list"),
        (b'{"error": {"code": 404}}', LayoutChanged, "no `data` object"),
        (answer(endpoint(pricing={"prompt": "free"})), InvalidPrice, "pricing.prompt"),
        (answer(endpoint(pricing={"prompt": "0.1", "discount": 2})), InvalidPrice, "discount"),
        (answer(endpoint(latency_last_30m=120)), LayoutChanged, "not percentiles"),
        (answer(endpoint(tag=None, name=None)), LayoutChanged, "neither tag nor name"),
    ],
)
def test_a_payload_it_cannot_read_is_a_typed_failure(
    payload: bytes, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        ore.parse(payload)
