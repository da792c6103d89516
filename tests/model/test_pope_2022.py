"""Pope et al. 2022, "Efficiently Scaling Transformer Inference" (arXiv 2211.05102).

Table 2 reports PaLM 540B on 64 TPU v4 chips (275 TFLOP/s bf16 each):
  prefill, 2048-token prompts:   batch 1   -> 0.29 s, 43% MFU;  batch 512 -> 85.2 s, 76% MFU
  decode, 64 generated tokens:   batch 64  -> 1.82 s, 14% MFU;  batch 512 -> 6.0 s,  33% MFU
MFU = 2·P·tokens / (chips·C·latency). The paper rounds to whole percent; we allow ±1 point.
The roofline is a lower bound, so no measured latency may beat it.
"""

from __future__ import annotations

import pytest

from model.catalog.load import Catalog
from model.roofline.decode import decode_step
from model.roofline.deployment import Deployment
from model.roofline.efficiency import mfu
from model.roofline.prefill import prefill

CASES = [
    # (phase, batch, tokens per sequence, latency_s, published MFU)
    ("prefill", 1, 2048, 0.29, 0.43),
    ("prefill", 512, 2048, 85.2, 0.76),
    ("decode", 64, 64, 1.82, 0.14),
    ("decode", 512, 64, 6.0, 0.33),
]


@pytest.mark.parametrize(("phase", "batch", "tokens", "latency_s", "published"), CASES)
def test_mfu_arithmetic_reproduces_pope_table_2(
    catalog: Catalog, phase: str, batch: int, tokens: int, latency_s: float, published: float
) -> None:
    palm, v4 = catalog.get_model("palm-540b"), catalog.get_hardware("tpu-v4")
    value = mfu(palm.active_params, batch * tokens, 64, v4.flops_per_s("bf16"), latency_s)
    assert value == pytest.approx(published, abs=0.01)


@pytest.mark.parametrize(("phase", "batch", "tokens", "latency_s", "published"), CASES)
def test_measured_latencies_never_beat_the_roofline(
    catalog: Catalog, phase: str, batch: int, tokens: int, latency_s: float, published: float
) -> None:
    dep = Deployment(catalog.get_model("palm-540b"), catalog.get_hardware("tpu-v4"), 64)
    if phase == "prefill":
        bound_s = prefill(dep, tokens, batch).time_s
    else:  # 64 steps at contexts 2048..2111 (prompt plus generated so far)
        bound_s = sum(decode_step(dep, batch, 2048 + i).step_time_s for i in range(tokens))
    assert bound_s <= latency_s


def test_29ms_int8_low_batch_decode_is_above_the_weight_read_floor(catalog: Catalog) -> None:
    # Abstract: 29 ms per token with int8 weights; reading 540 GB at 64 x 1.2 TB/s takes 7 ms.
    dep = Deployment(
        catalog.get_model("palm-540b"), catalog.get_hardware("tpu-v4"), 64, weights="int8"
    )
    step = decode_step(dep, 1, 2048)
    assert step.bound == "memory"
    assert step.step_time_s == pytest.approx(0.00704, rel=0.01)
    assert step.step_time_s < 0.029
