from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.catalog.load import Catalog, load_catalog
from model.roofline.decode import decode_step
from model.roofline.deployment import Deployment, default_chips
from model.roofline.efficiency import Efficiency

CATALOG = load_catalog()


def _llama70b_on_8_h100(**kw: object) -> Deployment:
    return Deployment(CATALOG.get_model("llama-3.1-70b"), CATALOG.get_hardware("h100-sxm"), 8, **kw)  # type: ignore[arg-type]


def test_batch_one_decode_is_memory_bound_reading_all_weights_and_the_kv() -> None:
    step = decode_step(_llama70b_on_8_h100(), 1, 4096)
    expected_bytes = 70.6e9 * 2 + 327_680 * 4096
    assert step.bound == "memory"
    assert step.memory_time_s == pytest.approx(expected_bytes / (8 * 3.35e12))
    # every operation is memory-bound at batch 1, so per-op and overlapped agree
    assert step.step_time_s == pytest.approx(step.memory_time_s)
    assert step.step_time_overlapped_s == pytest.approx(step.memory_time_s)
    assert step.communication_time_s == 0


def test_short_context_large_batch_decode_turns_compute_bound() -> None:
    step = decode_step(_llama70b_on_8_h100(), 4096, 16)
    assert step.bound == "compute"
    assert step.compute_time_s > step.memory_time_s


def test_cost_per_million_tokens_is_decimal_from_the_rental_price() -> None:
    step = decode_step(_llama70b_on_8_h100(), 64, 4096)
    assert isinstance(step.usd_per_mtok, Decimal)
    expected = step.chip_seconds_per_token * 1e6 / 3600 * 2.50
    assert float(step.usd_per_mtok) == pytest.approx(expected, abs=1e-6)
    assert step.tokens_per_s == pytest.approx(64 / step.step_time_s)


def test_chip_without_a_rental_price_reports_no_cost(catalog: Catalog) -> None:
    dep = Deployment(
        catalog.get_model("deepseek-v3"), catalog.get_hardware("rubin"), 72, compute="fp4"
    )
    assert decode_step(dep, 128, 8192).usd_per_mtok is None


def test_a_chip_priced_by_fallback_costs_at_the_named_chips_price(catalog: Catalog) -> None:
    tpu = catalog.get_hardware("tpu7x")
    assert tpu.rental_usd_per_chip_hour == catalog.get_hardware("b200").rental_usd_per_chip_hour
    assert "no public price: b200's 5.00 USD/chip-hour" in tpu.rental_note


def test_halving_achieved_flops_doubles_compute_time() -> None:
    full = decode_step(_llama70b_on_8_h100(), 256, 1024)
    half = decode_step(_llama70b_on_8_h100(efficiency=Efficiency(flops_fraction=0.5)), 256, 1024)
    assert half.compute_time_s == pytest.approx(2 * full.compute_time_s)
    assert half.memory_time_s == full.memory_time_s


def test_dense_replica_spanning_scale_up_domains_pays_scale_out_communication(
    catalog: Catalog,
) -> None:
    model, h100 = catalog.get_model("llama-3.1-405b"), catalog.get_hardware("h100-sxm")
    one_domain = decode_step(Deployment(model, h100, 8, weights="fp8", compute="fp8"), 256, 4096)
    three = decode_step(Deployment(model, h100, 24, weights="fp8", compute="fp8"), 256, 4096)
    assert one_domain.communication_time_s == 0
    # 256 tokens x 2 x 126 layers x 16384 x 2 bytes x (2/3 crossing) over 24 x 50 GB/s
    expected = 256 * 2 * 126 * 16384 * 2 * (2 / 3) / (24 * 50e9)
    assert three.communication_time_s == pytest.approx(expected)
    assert three.scale_out_bytes == pytest.approx(expected * 24 * 50e9)


def test_per_op_bound_adds_what_overlap_would_hide(catalog: Catalog) -> None:
    # Llama 70B bf16 on 8 H100 at batch 512 and 4096 tokens: the weight matmuls are
    # compute-bound (512 > 295) while attention is KV-bound, so the per-op sum exceeds
    # max(Σ compute, Σ memory).
    step = decode_step(_llama70b_on_8_h100(), 512, 4096)
    weights_c = 2 * 512 * 70.6e9 / (8 * 989.4e12)
    weights_m = 70.6e9 * 2 / (8 * 3.35e12)
    attention_c = 512 * 4 * 80 * 64 * 128 * 4096 / (8 * 989.4e12)
    kv_m = 512 * 327_680 * 4096 / (8 * 3.35e12)
    assert step.step_time_per_op_s == pytest.approx(
        max(weights_c, weights_m) + max(attention_c, kv_m)
    )
    assert step.step_time_overlapped_s == pytest.approx(
        max(weights_c + attention_c, weights_m + kv_m)
    )
    assert step.step_time_s == step.step_time_per_op_s > step.step_time_overlapped_s
    overlapped = Deployment(
        CATALOG.get_model("llama-3.1-70b"),
        CATALOG.get_hardware("h100-sxm"),
        8,
        overlap="overlapped",
    )
    assert decode_step(overlapped, 512, 4096).step_time_s == step.step_time_overlapped_s


def test_calibrated_decode_fraction_stretches_time_not_the_bound() -> None:
    full = decode_step(_llama70b_on_8_h100(), 64, 4096)
    slow = decode_step(_llama70b_on_8_h100(efficiency=Efficiency(decode_fraction=0.5)), 64, 4096)
    assert slow.step_time_s == pytest.approx(2 * full.step_time_s)
    assert slow.bound == full.bound
    assert slow.chip_seconds_per_token == pytest.approx(2 * full.chip_seconds_per_token)


def test_weights_that_do_not_fit_are_flagged(catalog: Catalog) -> None:
    dep = Deployment(catalog.get_model("llama-3.1-405b"), catalog.get_hardware("h100-sxm"), 8)
    assert not decode_step(dep, 1, 1024).fits_in_hbm


def test_default_chips_fill_whole_nvlink_domains_with_room_for_kv(catalog: Catalog) -> None:
    model = catalog.get_model("deepseek-v3")
    assert default_chips(model, catalog.get_hardware("gb200"), "fp8") == 72
    # 671 GB of fp8 weights x 2 headroom over 80 GB chips = 17 chips -> 3 HGX domains
    assert default_chips(model, catalog.get_hardware("h100-sxm"), "fp8") == 24
    assert default_chips(model, catalog.get_hardware("tpu7x"), "fp8") == 8


DEPLOYMENTS = [
    Deployment(CATALOG.get_model(m), CATALOG.get_hardware(h), n, weights=w, compute=w)
    for m, h, n, w in [
        ("llama-3.1-70b", "h100-sxm", 8, "bf16"),
        ("deepseek-v3", "gb200", 72, "fp8"),
        ("gpt-oss-120b", "h200", 8, "fp8"),
        ("gemma-3-27b", "tpu-v6e", 8, "bf16"),
        ("deepseek-v3", "h100-sxm", 24, "fp8"),
        ("deepseek-v3.2", "gb200", 144, "fp8"),
        ("gemma-4-31b", "h200", 8, "bf16"),
    ]
]
OVERLAPPED = [dataclasses.replace(d, overlap="overlapped") for d in DEPLOYMENTS]


@given(
    dep=st.sampled_from(DEPLOYMENTS + OVERLAPPED),
    batch=st.floats(1, 1e4),
    more=st.floats(0, 1e4),
    context=st.floats(1, 1e6),
)
def test_step_time_grows_and_cost_per_token_falls_with_batch(
    dep: Deployment, batch: float, more: float, context: float
) -> None:
    small, large = decode_step(dep, batch, context), decode_step(dep, batch + more, context)
    assert large.step_time_s >= small.step_time_s * (1 - 1e-12)
    assert large.chip_seconds_per_token <= small.chip_seconds_per_token * (1 + 1e-12)


@given(
    dep=st.sampled_from(DEPLOYMENTS + OVERLAPPED),
    batch=st.floats(1, 1e4),
    context=st.floats(1, 1e6),
    more=st.floats(0, 1e6),
)
def test_step_time_grows_with_context(
    dep: Deployment, batch: float, context: float, more: float
) -> None:
    short, long = decode_step(dep, batch, context), decode_step(dep, batch, context + more)
    assert long.step_time_s >= short.step_time_s * (1 - 1e-12)


@given(dep=st.sampled_from(DEPLOYMENTS), batch=st.floats(1, 1e5), context=st.floats(1, 1e6))
def test_per_op_bound_is_never_shorter_than_the_overlapped_one(
    dep: Deployment, batch: float, context: float
) -> None:
    step = decode_step(dep, batch, context)
    assert step.step_time_per_op_s >= step.step_time_overlapped_s * (1 - 1e-12)
    assert step.step_time_overlapped_s >= max(
        step.compute_time_s, step.memory_time_s, step.communication_time_s
    ) * (1 - 1e-12)
