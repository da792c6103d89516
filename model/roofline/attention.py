"""Attention FLOPs (the part that grows with context) for decode and prefill.

Per query token and per cached position, one layer does 2·H·d_qk (scores) + 2·H·d_v
(weighted values). MLA decode runs in the absorbed latent space (d_qk = latent + rope,
d_v = latent); MLA prefill runs per head (d_qk = head_dim + rope, d_v = head_dim), as
DeepSeek's own kernels do. Full-attention layers may have their own head size (Gemma 4).
With sparse attention (DeepSeek-V3.2) a query attends to at most the top-k keys, while the
indexer that picks them scores every key: 2·H_idx·d_idx per position.
"""

from __future__ import annotations

from functools import lru_cache

from model.catalog.specs import ModelSpec


def flops_per_position(model: ModelSpec, phase: str, windowed: bool = False) -> float:
    """FLOPs per query token, per cached position, per full (or sliding-window) layer."""
    if model.attention == "mla" and phase == "decode":
        d_qk, d_v = model.mla_latent_dim + model.mla_rope_dim, model.mla_latent_dim
    elif model.attention == "mla":
        d_qk, d_v = model.head_dim + model.mla_rope_dim, model.head_dim
    elif model.global_head_dim and not windowed:
        d_qk = d_v = model.global_head_dim
    else:
        d_qk = d_v = model.head_dim
    return 2.0 * model.heads * (d_qk + d_v)


def indexer_flops_per_position(model: ModelSpec) -> float:
    return 2.0 * model.indexer_heads * model.indexer_head_dim if model.sparse_attention else 0.0


def _attended(model: ModelSpec, context_tokens: float) -> float:
    if model.sparse_attention:
        return min(context_tokens, model.sparse_attention_tokens)
    return context_tokens


@lru_cache(maxsize=256)
def _decode_coefficients(model: ModelSpec) -> tuple[float, float, float]:
    """FLOPs per attended position (full layers), per windowed one, per indexed one."""
    return (
        flops_per_position(model, "decode") * model.full_attention_layers,
        flops_per_position(model, "decode", windowed=True) * model.sliding_window_layers,
        indexer_flops_per_position(model) * model.full_attention_layers,
    )


def decode_attention_flops(model: ModelSpec, context_tokens: float) -> float:
    """Attention FLOPs to generate one token attending to `context_tokens` cached ones."""
    full, windowed, indexer = _decode_coefficients(model)
    window = min(context_tokens, model.sliding_window_tokens)
    return full * _attended(model, context_tokens) + windowed * window + indexer * context_tokens


def _causal_positions(tokens: float, window: float | None) -> float:
    """Sum over query t = 1..T of the positions it attends to (t, or min(t, W))."""
    if window is None or tokens <= window:
        return tokens * (tokens + 1) / 2
    return window * (window + 1) / 2 + (tokens - window) * window


def prefill_attention_flops(model: ModelSpec, prompt_tokens: float) -> float:
    """Causal attention FLOPs of one prompt of `prompt_tokens`."""
    sparse = float(model.sparse_attention_tokens) if model.sparse_attention else None
    full = model.full_attention_layers * _causal_positions(prompt_tokens, sparse)
    windowed = model.sliding_window_layers * _causal_positions(
        prompt_tokens, float(model.sliding_window_tokens or 1)
    )
    indexer = model.full_attention_layers * _causal_positions(prompt_tokens, None)
    return (
        flops_per_position(model, "prefill") * full
        + flops_per_position(model, "prefill", windowed=True) * windowed
        + indexer_flops_per_position(model) * indexer
    )


def matmul_flops_per_token(model: ModelSpec) -> float:
    """2 FLOPs per active parameter per token (the weight matmuls)."""
    return 2.0 * model.active_params
