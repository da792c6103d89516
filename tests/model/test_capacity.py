from __future__ import annotations

import pytest

from model.catalog.load import Catalog
from model.roofline.capacity import max_batch, never_compute_bound_context, train_interval
from model.roofline.deployment import Deployment


def test_h100_train_interval_is_about_24_ms(catalog: Catalog) -> None:
    result = train_interval(catalog.get_hardware("h100-sxm"))
    assert result.interval_s == pytest.approx(80e9 / 3.35e12)
    assert 0.015 < result.interval_s < 0.025


def test_max_batch_is_free_hbm_over_kv_per_sequence(catalog: Catalog) -> None:
    dep = Deployment(catalog.get_model("llama-3.1-70b"), catalog.get_hardware("h100-sxm"), 8)
    result = max_batch(dep, 8192)
    # (640 GB − 141.2 GB of weights) / (327,680 B x 8192) = 185.8
    assert result.sequences == 185
    assert result.bound == "hbm-capacity"


def test_max_batch_is_zero_when_weights_alone_overflow(catalog: Catalog) -> None:
    dep = Deployment(catalog.get_model("llama-3.1-405b"), catalog.get_hardware("h100-sxm"), 4)
    result = max_batch(dep, 1024)
    assert result.sequences == 0
    assert result.bound == "weights-exceed-hbm"


def test_llama_70b_decode_on_h100_can_never_be_compute_bound_past_about_1500_tokens(
    catalog: Catalog,
) -> None:
    dep = Deployment(catalog.get_model("llama-3.1-70b"), catalog.get_hardware("h100-sxm"), 8)
    # 2P + 4·L·H·d·S = (C/BW)·kv·S  =>  S = 2P / ((C/BW)·kv − 4·L·H·d)
    ratio = 989.4e12 / 3.35e12
    expected = 2 * 70.6e9 / (ratio * 327_680 - 4 * 80 * 64 * 128)
    assert never_compute_bound_context(dep) == pytest.approx(expected, rel=1e-6)


def test_mla_on_tpu_v5e_has_no_such_context(catalog: Catalog) -> None:
    # Absorbed MLA does 2·128·1088 FLOPs per cached position per layer against 576·2 bytes:
    # 242 FLOPs/byte, above v5e's 240, so attention alone keeps decode compute-bound.
    dep = Deployment(catalog.get_model("deepseek-v3"), catalog.get_hardware("tpu-v5e"), 256)
    assert never_compute_bound_context(dep) is None
