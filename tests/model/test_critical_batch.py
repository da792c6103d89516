"""Balance points against the JAX scaling book (https://jax-ml.github.io/scaling-book/)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.catalog.load import Catalog
from model.catalog.specs import Hardware
from model.roofline.critical_batch import critical_batch, critical_batch_tokens


def test_h100_bf16_critical_batch_is_about_295(catalog: Catalog) -> None:
    # Scaling book, GPU chapter: 989 TFLOP/s / 3.35 TB/s ≈ 295 (bf16 weights and math).
    result = critical_batch(catalog.get_hardware("h100-sxm"))
    assert result.tokens == pytest.approx(295, abs=1)


def test_tpu_v5e_bf16_critical_batch_is_about_240(catalog: Catalog) -> None:
    # Scaling book, rooflines chapter: 1.97e14 / 8.2e11 ≈ 240.
    result = critical_batch(catalog.get_hardware("tpu-v5e"))
    assert result.tokens == pytest.approx(240, abs=1)


def test_scaling_book_moe_example_deepseek_int8_on_v5e_needs_about_3840_tokens(
    catalog: Catalog,
) -> None:
    # Scaling book, Transformers chapter, question 8: int8 weights, bf16 FLOPs on v5e,
    # B > 120 · E / k = 120 · 256 / 8 = 3840 for DeepSeek's expert layers.
    result = critical_batch(
        catalog.get_hardware("tpu-v5e"), "bf16", "int8", catalog.get_model("deepseek-v3")
    )
    assert result.tokens == pytest.approx(120, rel=0.005)
    assert result.moe_expert_layer_tokens == pytest.approx(3840, rel=0.005)


def test_moe_whole_model_balance_multiplies_by_total_over_active(catalog: Catalog) -> None:
    model = catalog.get_model("deepseek-v3")
    result = critical_batch(catalog.get_hardware("h100-sxm"), model=model)
    assert result.moe_whole_model_tokens == pytest.approx(result.tokens * 671 / 37)


def test_weight_only_int8_quantisation_halves_the_critical_batch(catalog: Catalog) -> None:
    h100 = catalog.get_hardware("h100-sxm")
    assert critical_batch(h100, "bf16", "int8").tokens == pytest.approx(
        critical_batch(h100).tokens / 2
    )


def test_fp8_weights_at_fp8_rate_leave_the_catalog_balance_points_unchanged(
    catalog: Catalog,
) -> None:
    # Holds where the fp8 rate is double the bf16 rate; Trainium2 (1,299 vs 667 TFLOP/s)
    # is not exactly double, so its balance point moves by that ratio instead.
    for hw in catalog.hardware.values():
        if {"bf16", "fp8"} <= set(hw.dense_flops_per_s):
            rate_ratio = hw.flops_per_s("fp8") / hw.flops_per_s("bf16")
            fp8 = critical_batch(hw, "fp8", "fp8").tokens
            expected = critical_batch(hw).tokens * rate_ratio / 2
            assert fp8 == pytest.approx(expected, rel=1e-12), hw.id
            if abs(rate_ratio - 2) < 1e-3:
                assert fp8 == pytest.approx(critical_batch(hw).tokens, rel=1e-3), hw.id


def _chip(bf16: float, bandwidth: float) -> Hardware:
    return Hardware(
        id="synthetic",
        name="synthetic",
        hbm_capacity_bytes=1e11,
        dense_flops_per_s={"bf16": bf16, "fp8": 2 * bf16, "fp4": 4 * bf16},
        hbm_bandwidth_bytes_per_s=bandwidth,
        scale_up_domain_chips=8,
        scale_up_bandwidth_bytes_per_s_per_chip=1e11,
        scale_out_bandwidth_bytes_per_s_per_chip=1e10,
    )


@given(
    bf16=st.floats(1e12, 1e17),
    bandwidth=st.floats(1e10, 1e14),
    precision=st.sampled_from(["fp8", "fp4"]),
)
def test_precision_invariance_when_the_rate_scales_with_the_format(
    bf16: float, bandwidth: float, precision: str
) -> None:
    chip = _chip(bf16, bandwidth)
    assert critical_batch(chip, precision, precision).tokens == pytest.approx(
        critical_batch(chip).tokens, rel=1e-12
    )


@given(flops=st.floats(1e12, 1e17), bandwidth=st.floats(1e10, 1e14))
def test_critical_batch_balances_compute_and_weight_read_time(
    flops: float, bandwidth: float
) -> None:
    batch = critical_batch_tokens(flops, 2.0, bandwidth)
    params = 1e9
    assert 2 * batch * params / flops == pytest.approx(params * 2.0 / bandwidth)
