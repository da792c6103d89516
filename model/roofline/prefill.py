"""Prefill of prompts of T tokens: matmul + causal attention FLOPs vs one weight read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.errors import ConfigError
from model.catalog.specs import ModelSpec
from model.inversion.search import first_crossing
from model.roofline.attention import matmul_flops_per_token, prefill_attention_flops
from model.roofline.bound import Bound, slowest
from model.roofline.communication import communication_time_s
from model.roofline.cost import usd_per_mtok
from model.roofline.deployment import Deployment
from model.roofline.moe import weight_bytes_touched


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
    matmul = matmul_flops_per_token(model) * tokens
    attention = prefill_attention_flops(model, prompt_tokens) * prompts
    weight_bytes = weight_bytes_touched(model, tokens, dep.weights)
    kv_bytes = dep.kv.sequence_bytes(prompt_tokens) * prompts  # written once
    compute_s = (matmul + attention) / dep.flops_per_s
    memory_s = (weight_bytes + kv_bytes) / dep.hbm_bandwidth_bytes_per_s
    comm_s = communication_time_s(dep, tokens)
    time_s, bound = slowest(compute_s, memory_s, comm_s)
    chip_s = dep.chips * time_s / tokens
    return Prefill(
        prompt_tokens=prompt_tokens,
        prompts=prompts,
        tokens=tokens,
        matmul_flops=matmul,
        attention_flops=attention,
        weight_bytes=weight_bytes,
        kv_bytes=kv_bytes,
        compute_time_s=compute_s,
        memory_time_s=memory_s,
        communication_time_s=comm_s,
        time_s=time_s,
        bound=bound,
        chip_seconds_per_token=chip_s,
        usd_per_mtok=usd_per_mtok(chip_s, dep.hardware.rental_usd_per_chip_hour),
    )


def attention_matmul_crossover_tokens(model: ModelSpec) -> float | None:
    """Prompt length where causal attention FLOPs equal matmul FLOPs (None: never).

    With sliding-window layers attention grows linearly past the window, so a model
    with few full layers may never cross.
    """

    def attention_exceeds(tokens: float) -> bool:
        return prefill_attention_flops(model, tokens) >= matmul_flops_per_token(model) * tokens

    return first_crossing(attention_exceeds, 1.0, 1e12)
