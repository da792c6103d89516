"""Mixture-of-experts weight traffic: how many experts a batch touches, and the bytes read."""

from __future__ import annotations

from model.catalog.specs import ModelSpec
from model.roofline.precision import bytes_per_element


def experts_touched(experts: int, active: int, tokens: float) -> float:
    """Expected distinct experts hit by `tokens` tokens under uniform top-k routing.

    E·(1 − (1 − k/E)^B): one token touches k, a large batch touches all E, and
    in between neither "only k" nor "all E" is right.
    """
    if tokens <= 0:
        return 0.0
    miss: float = (1.0 - active / experts) ** tokens
    return experts * (1.0 - miss)


def params_touched(model: ModelSpec, tokens: float) -> float:
    """Parameters a step over `tokens` tokens must read from memory (once each)."""
    return model.dense_params + expert_params_touched(model, tokens)


def expert_params_touched(model: ModelSpec, tokens: float) -> float:
    """Routed-expert parameters a step over `tokens` tokens reads (0 for a dense model)."""
    if not model.is_moe:
        return 0.0
    share = experts_touched(model.experts_routed, model.experts_active, tokens)
    return model.routed_expert_params * share / model.experts_routed


def weight_bytes_touched(
    model: ModelSpec, tokens: float, weights: str, expert_weights: str = ""
) -> float:
    """Bytes of weights a step reads; routed experts in their own format when they have one."""
    experts = expert_params_touched(model, tokens) * bytes_per_element(expert_weights or weights)
    return model.dense_params * bytes_per_element(weights) + experts
