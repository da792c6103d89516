"""Attention FLOPs (the part that grows with context) for decode and prefill.

Per query token and per cached position, one layer does 2·H·d_qk (scores) + 2·H·d_v
(weighted values). MLA decode runs in the absorbed latent space (d_qk = latent + rope,
d_v = latent); MLA prefill runs per head (d_qk = head_dim + rope, d_v = head_dim), as
DeepSeek's own kernels do.
"""

from __future__ import annotations

from model.catalog.specs import ModelSpec


def flops_per_position(model: ModelSpec, phase: str) -> float:
    """FLOPs per query token, per cached position, per layer."""
    if model.attention == "mla" and phase == "decode":
        d_qk, d_v = model.mla_latent_dim + model.mla_rope_dim, model.mla_latent_dim
    elif model.attention == "mla":
        d_qk, d_v = model.head_dim + model.mla_rope_dim, model.head_dim
    else:
        d_qk = d_v = model.head_dim
    return 2.0 * model.heads * (d_qk + d_v)


def decode_attention_flops(model: ModelSpec, context_tokens: float) -> float:
    """Attention FLOPs to generate one token attending to `context_tokens` cached ones."""
    per = flops_per_position(model, "decode")
    window = min(context_tokens, model.sliding_window_tokens)
    return per * (
        model.full_attention_layers * context_tokens + model.sliding_window_layers * window
    )


def _causal_positions(tokens: float, window: float | None) -> float:
    """Sum over query t = 1..T of the positions it attends to (t, or min(t, W))."""
    if window is None or tokens <= window:
        return tokens * (tokens + 1) / 2
    return window * (window + 1) / 2 + (tokens - window) * window


def prefill_attention_flops(model: ModelSpec, prompt_tokens: float) -> float:
    """Causal attention FLOPs of one prompt of `prompt_tokens`."""
    per = flops_per_position(model, "prefill")
    full = model.full_attention_layers * _causal_positions(prompt_tokens, None)
    windowed = model.sliding_window_layers * _causal_positions(
        prompt_tokens, float(model.sliding_window_tokens or 1)
    )
    return per * (full + windowed)


def matmul_flops_per_token(model: ModelSpec) -> float:
    """2 FLOPs per active parameter per token (the weight matmuls)."""
    return 2.0 * model.active_params
