"""Critical (balance) batch of a weight matmul: below it memory-bound, above it compute-bound.

Per token a weight costs 2 FLOPs and is read once per step: 2·B·P/C = P·b_w/BW gives
B* = C·b_w / (2·BW). fp8 weights at the fp8 rate leave B* unchanged (C doubles, b_w
halves); weight-only quantisation (int8/fp4 weights, bf16 math) lowers it.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.catalog.specs import Hardware, ModelSpec
from model.roofline.precision import bytes_per_element


@dataclass(frozen=True)
class CriticalBatch:
    hardware_id: str
    compute: str
    weights: str
    flops_per_s: float
    hbm_bandwidth_bytes_per_s: float
    tokens: float  # one dense weight matmul
    moe_whole_model_tokens: float | None = None  # × P_total / P_active
    moe_expert_layer_tokens: float | None = None  # × E / k


def critical_batch_tokens(flops_per_s: float, weight_bytes: float, bandwidth: float) -> float:
    return flops_per_s * weight_bytes / (2.0 * bandwidth)


def critical_batch(
    hardware: Hardware, compute: str = "bf16", weights: str = "bf16", model: ModelSpec | None = None
) -> CriticalBatch:
    flops = hardware.flops_per_s(compute)
    bw = hardware.hbm_bandwidth_bytes_per_s
    tokens = critical_batch_tokens(flops, bytes_per_element(weights), bw)
    whole = expert = None
    if model is not None and model.is_moe:
        whole = tokens * model.total_params / model.active_params
        expert = tokens * model.experts_routed / model.experts_active
    return CriticalBatch(hardware.id, compute, weights, flops, bw, tokens, whole, expert)
