"""Prefill of prompts of T tokens: matmul + causal attention FLOPs vs one weight read.

Like decode, the pass is the dense weight matmuls, the routed-expert matmuls, attention
(its KV written once) and the MoE all-to-all, combined per operation or overlapped as the
deployment says, divided by its calibrated prefill fraction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.errors import ConfigError
from model.catalog.specs import ModelSpec
from model.inversion.search import first_crossing
from model.roofline.attention import matmul_flops_per_token, prefill_attention_flops
from model.roofline.bound import Bound, chosen, step_bound
from model.roofline.communication import traffic
from model.roofline.cost import usd_per_mtok
from model.roofline.deployment import Deployment
from model.roofline.moe import expert_params_touched
from model.roofline.precision import bytes_per_element


@dataclass(frozen=True)
class Prefill:
    prompt_tokens: float
    prompts: float
    tokens: float
    matmul_flops: float
    attention_flops: float
    weight_bytes: float
    kv_bytes: float
    compute_time_s: float
    memory_time_s: float
    communication_time_s: float
    time_overlapped_s: float
    time_per_op_s: float
    overlap: str
    time_s: float
    bound: Bound
    chip_seconds_per_token: float
    usd_per_mtok: Decimal | None


def prefill(dep: Deployment, prompt_tokens: float, prompts: float = 1) -> Prefill:
    """Roofline time to prefill `prompts` prompts of `prompt_tokens` tokens in one pass."""
    if prompt_tokens <= 0 or prompts <= 0:
        raise ConfigError("prefill needs prompt tokens > 0 and at least one prompt")
    model = dep.model
    tokens = prompt_tokens * prompts
    flops_s, bytes_s = dep.flops_per_s, dep.hbm_bandwidth_bytes_per_s
    dense_flops = 2.0 * tokens * model.dense_params
    expert_flops = matmul_flops_per_token(model) * tokens - dense_flops
    attention = prefill_attention_flops(model, prompt_tokens) * prompts
    dense_bytes = model.dense_params * bytes_per_element(dep.weights)
    expert_bytes = expert_params_touched(model, tokens) * bytes_per_element(
        dep.expert_weights or dep.weights
    )
    kv_bytes = dep.kv.sequence_bytes(prompt_tokens) * prompts  # written once
    ops = (
        (dense_flops / flops_s, dense_bytes / bytes_s),
        (expert_flops / flops_s, expert_bytes / bytes_s),
        (attention / flops_s, kv_bytes / bytes_s),
    )
    network = traffic(dep, tokens)
    bounds = step_bound(ops, network.time_s)
    time_s, which = chosen(bounds, dep.overlap)
    time_s /= dep.efficiency.prefill_fraction
    chip_s = dep.chips * time_s / tokens
    return Prefill(
        prompt_tokens=prompt_tokens,
        prompts=prompts,
        tokens=tokens,
        matmul_flops=dense_flops + expert_flops,
        attention_flops=attention,
        weight_bytes=dense_bytes + expert_bytes,
        kv_bytes=kv_bytes,
        compute_time_s=sum(c for c, _ in ops),
        memory_time_s=sum(m for _, m in ops),
        communication_time_s=network.time_s,
        time_overlapped_s=bounds.overlapped_s,
        time_per_op_s=bounds.per_op_s,
        overlap=dep.overlap,
        time_s=time_s,
        bound=which,
        chip_seconds_per_token=chip_s,
        usd_per_mtok=usd_per_mtok(chip_s, dep.hardware.rental_usd_per_chip_hour),
    )


def attention_matmul_crossover_tokens(model: ModelSpec) -> float | None:
    """Prompt length where causal attention FLOPs equal matmul FLOPs (None: never).

    With sliding-window layers (or sparse attention) attention grows linearly past the
    window, so such a model may never cross.
    """

    def attention_exceeds(tokens: float) -> bool:
        return prefill_attention_flops(model, tokens) >= matmul_flops_per_token(model) * tokens

    return first_crossing(attention_exceeds, 1.0, 1e12)
