from __future__ import annotations

import pytest

from model.catalog.load import Catalog
from model.roofline.deployment import Deployment
from model.roofline.prefill import attention_matmul_crossover_tokens, prefill


def test_long_prompt_prefill_is_compute_bound_and_one_token_is_memory_bound(
    catalog: Catalog,
) -> None:
    dep = Deployment(catalog.get_model("llama-3.1-70b"), catalog.get_hardware("h100-sxm"), 8)
    assert prefill(dep, 8192).bound == "compute"
    assert prefill(dep, 1).bound == "memory"


def test_causal_attention_flops_are_2_l_h_d_t_t_plus_1(catalog: Catalog) -> None:
    model = catalog.get_model("llama-3.1-70b")
    dep = Deployment(model, catalog.get_hardware("h100-sxm"), 8)
    result = prefill(dep, 1000)
    assert result.attention_flops == 2 * 80 * 64 * 128 * 1000 * 1001
    assert result.matmul_flops == 2 * 70.6e9 * 1000


def test_llama_70b_attention_matches_matmul_flops_near_108k_tokens(catalog: Catalog) -> None:
    # 2·P·T = 2·L·H·d·T·(T+1)  =>  T = P / (L·H·d) − 1 = 70.6e9 / 655360 − 1
    crossover = attention_matmul_crossover_tokens(catalog.get_model("llama-3.1-70b"))
    assert crossover == pytest.approx(70.6e9 / (80 * 64 * 128) - 1, rel=1e-6)


def test_mostly_windowed_attention_crosses_over_later_than_full_attention(
    catalog: Catalog,
) -> None:
    gemma = attention_matmul_crossover_tokens(catalog.get_model("gemma-3-27b"))
    assert gemma is not None
    full_only = 27.4e9 / (62 * 32 * 128) - 1  # if all 62 layers attended fully
    assert gemma > 5 * full_only
