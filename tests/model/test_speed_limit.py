"""One user's memory-bound decode speed: bytes a token reads over a replica's HBM
bandwidth, from the roofline's own decode step, on the shipped catalog."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.catalog.load import load_catalog
from model.roofline.speed_limit import speed_limit, weights_format

CATALOG = load_catalog()
LLAMA = CATALOG.get_model("llama-3.1-70b")
H100 = CATALOG.get_hardware("h100-sxm")


def test_llama_70b_at_fp8_on_an_hgx_h100_board_is_bounded_near_380_tokens_per_s() -> None:
    limit = speed_limit(LLAMA, H100, 8, "fp8", "fp8", 1024)
    # 70.6 B parameters at one byte, 80 layers x 8 KV heads x 128 x 2 (K, V) x 1024 tokens.
    assert limit.weight_bytes_per_token == pytest.approx(LLAMA.active_params)
    assert limit.kv_bytes_per_token == 80 * 8 * 128 * 2 * 1024
    assert limit.bandwidth_bytes_per_s == 8 * 3.35e12
    assert limit.tokens_per_s == pytest.approx(378.7, abs=0.1)
    assert limit.lines("HGX H100") == [
        "bytes per token: 70.6 GB of weights (llama-3.1-70b active parameters at fp8)"
        " + 0.168 GB of KV (1024 tokens at fp8) = 70.8 GB",
        "bandwidth: HGX H100, 8 x h100-sxm = 26.8 TB/s of HBM",
        "bound: 26.8 TB/s / 70.8 GB = 379 tokens/s per user",
    ]


def test_a_moe_model_reads_only_its_active_experts_and_its_shipped_expert_format() -> None:
    gpt_oss = CATALOG.get_model("gpt-oss-120b")
    limit = speed_limit(gpt_oss, H100, 8, "bf16", "fp8", 1024)
    assert gpt_oss.expert_weights == "mxfp4"
    assert limit.weights == "bf16 (routed experts mxfp4)"
    # Far below all weights at bf16: only 4 of 128 experts, in 4.25 bits.
    assert limit.weight_bytes_per_token < 0.05 * gpt_oss.total_params * 2


def test_an_unstated_or_unknown_quantization_reads_at_fp4_the_most_generous() -> None:
    assert weights_format(None) == "fp4"
    assert weights_format("unknown-format") == "fp4"
    assert weights_format("fp8") == "fp8"


@given(
    chips=st.integers(min_value=1, max_value=144),
    context=st.integers(min_value=1, max_value=200_000),
    weights=st.sampled_from(["fp4", "fp8", "bf16"]),
)
def test_the_bound_is_bandwidth_over_bytes_and_grows_with_chips(
    chips: int, context: int, weights: str
) -> None:
    one = speed_limit(LLAMA, H100, chips, weights, "bf16", context)
    more = speed_limit(LLAMA, H100, chips + 1, weights, "bf16", context)
    assert one.tokens_per_s == pytest.approx(one.bandwidth_bytes_per_s / one.bytes_per_token)
    assert more.tokens_per_s > one.tokens_per_s
    assert more.bytes_per_token == one.bytes_per_token  # bytes per token: not the chips'


@given(context=st.integers(min_value=1, max_value=100_000))
def test_a_smaller_format_or_a_shorter_context_never_lowers_the_bound(context: int) -> None:
    fp8 = speed_limit(LLAMA, H100, 8, "fp8", "fp8", context)
    assert speed_limit(LLAMA, H100, 8, "fp4", "fp8", context).tokens_per_s > fp8.tokens_per_s
    assert speed_limit(LLAMA, H100, 8, "fp8", "fp8", context + 1).tokens_per_s < fp8.tokens_per_s
