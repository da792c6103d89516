"""MoE dispatch/combine traffic: distinct remote chips per token, by fabric."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.catalog.load import Catalog, load_catalog
from model.catalog.specs import ModelSpec
from model.roofline.communication import moe_bytes_per_token, remote_chips_per_token, traffic
from model.roofline.decode import decode_step
from model.roofline.deployment import Deployment

CATALOG = load_catalog()
V3 = CATALOG.get_model("deepseek-v3")
GB200 = CATALOG.get_hardware("gb200")


def _racks(n: int) -> Deployment:
    return Deployment(V3, GB200, 72 * n, weights="fp8", compute="fp8")


def test_deepseek_v3_on_one_nvl72_rack_talks_over_nvlink_only() -> None:
    # 256 experts over 72 chips (3.556 each); node-limited routing picks 4 of 8 groups
    # (P = 1/2 that a chip's group is chosen), then 8 of the 128 experts in them:
    # P(chip holds none) = 0.5 + 0.5 x prod_{i<8} (124.444 - i)/(128 - i) = 0.5 + 0.5 x 0.79305
    # = 0.896525, so a token reaches 71 x 0.103475 = 7.3467 other chips, all in its rack.
    local, remote = remote_chips_per_token(V3, 72, 72)
    assert local == pytest.approx(7.3467, rel=1e-4)
    assert remote == 0
    # 58 MoE layers (61 - 3 dense) x 7.3467 chips x 7168 x (1 B fp8 dispatch + 2 B bf16 combine)
    up, out = moe_bytes_per_token(_racks(1))
    assert up == pytest.approx(58 * 7.3467 * 7168 * 3, rel=1e-4)  # 9.16 MB
    assert out == 0
    # batch 512: 4.69 GB over 72 chips x 900 GB/s of NVLink = 72.4 us
    assert traffic(_racks(1), 512).time_s == pytest.approx(72.4e-6, rel=1e-3)


def test_deepseek_v3_across_two_nvl72_racks_pays_the_scale_out_network() -> None:
    # 144 chips (1.778 experts each): P(none) = 0.5 + 0.5 x prod (126.222 - i)/(128 - i)
    # = 0.5 + 0.5 x 0.89127 = 0.94564; 0.054363 per chip: 71 -> 3.8598 chips in the token's
    # own rack, 72 -> 3.9141 in the other (7.77 in all, at most k = 8).
    local, remote = remote_chips_per_token(V3, 144, 72)
    assert (local, remote) == (pytest.approx(3.8598, rel=1e-4), pytest.approx(3.9141, rel=1e-4))
    assert local + remote <= V3.experts_active
    up, out = moe_bytes_per_token(_racks(2))
    assert out == pytest.approx(58 * 3.9141 * 7168 * 3, rel=1e-4)  # 4.88 MB per token
    assert up == pytest.approx(58 * 3.8598 * 7168 * 3, rel=1e-4)
    # The old estimate sent each token's activation across once per layer and direction:
    # 2 x 61 x 7168 x 2 B x (1 - 1/2) = 0.874 MB, 5.6x too little.
    assert out / (2 * 61 * 7168 * 2 * 0.5) == pytest.approx(5.58, rel=1e-3)
    # batch 512: 2.50 GB over 144 chips x 50 GB/s of scale-out = 347 us; NVLink's 19 us hides.
    t = traffic(_racks(2), 512)
    assert t.scale_out_time_s == pytest.approx(347.1e-6, rel=1e-3)
    assert t.scale_up_time_s == pytest.approx(19.0e-6, rel=1e-2)
    assert t.time_s == t.scale_out_time_s


def test_the_second_rack_costs_more_per_token_than_it_saves_in_weight_reads() -> None:
    # At batch 512 and 8k context, one rack: 1.68 ms reading 671 GB of weights + 295 GB of KV
    # at 72 x 8 TB/s, plus 72 us of NVLink: 0.249 ms of chip time per token. Two racks halve
    # the read (0.84 ms) but add 347 us of scale-out: 0.336 ms per token, 35% dearer.
    one, two = decode_step(_racks(1), 512, 8192), decode_step(_racks(2), 512, 8192)
    assert one.memory_time_s == pytest.approx(1.677e-3, rel=1e-3)
    assert two.memory_time_s == pytest.approx(0.838e-3, rel=1e-3)
    assert one.chip_seconds_per_token == pytest.approx(2.485e-4, rel=1e-3)
    assert two.chip_seconds_per_token == pytest.approx(3.360e-4, rel=1e-3)
    assert two.chip_seconds_per_token / one.chip_seconds_per_token == pytest.approx(1.35, rel=1e-2)


def test_dense_models_and_single_chips_send_nothing_between_chips(catalog: Catalog) -> None:
    assert remote_chips_per_token(catalog.get_model("llama-3.1-70b"), 8, 8) == (0.0, 0.0)
    assert remote_chips_per_token(V3, 1, 8) == (0.0, 0.0)


def _with_k(model: ModelSpec, k: int) -> ModelSpec:
    return dataclasses.replace(model, experts_active=k, expert_groups=0, expert_groups_per_token=0)


@given(
    k=st.integers(1, 64),
    more=st.integers(0, 64),
    chips=st.integers(2, 1024),
    domain=st.sampled_from([8, 64, 72, 256]),
)
def test_remote_chips_grow_with_k_and_never_exceed_k_or_the_chips(
    k: int, more: int, chips: int, domain: int
) -> None:
    few = sum(remote_chips_per_token(_with_k(V3, k), chips, domain))
    many = sum(remote_chips_per_token(_with_k(V3, min(k + more, 255)), chips, domain))
    assert 0 <= few <= many * (1 + 1e-12)
    assert few <= min(k, chips - 1) * (1 + 1e-12)


@given(chips=st.integers(8, 2048), domain=st.sampled_from([8, 72]))
def test_node_limited_routing_never_reaches_more_chips_than_unlimited(
    chips: int, domain: int
) -> None:
    limited = sum(remote_chips_per_token(V3, chips, domain))
    unlimited = sum(remote_chips_per_token(_with_k(V3, 8), chips, domain))
    assert limited <= unlimited * (1 + 1e-12)


@given(racks=st.integers(1, 8), tokens=st.floats(1, 1e5), more=st.floats(0, 1e5))
def test_traffic_grows_with_the_tokens_in_a_step(racks: int, tokens: float, more: float) -> None:
    dep = _racks(racks)
    assert traffic(dep, tokens + more).time_s >= traffic(dep, tokens).time_s
