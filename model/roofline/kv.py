"""KV-cache bytes per token: MHA/GQA/MQA keep K and V per KV head, MLA keeps one latent."""

from __future__ import annotations

from dataclasses import dataclass

from model.catalog.specs import ModelSpec
from model.roofline.precision import bytes_per_element


def kv_bytes_per_token_per_layer(model: ModelSpec, kv_dtype: str) -> float:
    """2·n_kv·d_head·bytes for MHA/GQA/MQA; (latent + rope)·bytes for MLA."""
    size = bytes_per_element(kv_dtype)
    if model.attention == "mla":
        return (model.mla_latent_dim + model.mla_rope_dim) * size
    return 2 * model.kv_heads * model.head_dim * size


@dataclass(frozen=True)
class KvFootprint:
    """KV bytes of one sequence; sliding-window layers stop growing at the window."""

    model_id: str
    kv_dtype: str
    full_layer_bytes_per_token: float  # summed over full-attention layers
    window_layer_bytes_per_token: float  # summed over sliding-window layers
    window_tokens: int

    @property
    def bytes_per_token(self) -> float:
        """All layers, per token, while the context is within the window (the headline figure)."""
        return self.full_layer_bytes_per_token + self.window_layer_bytes_per_token

    def sequence_bytes(self, context_tokens: float) -> float:
        capped = min(context_tokens, self.window_tokens) if self.window_tokens else 0.0
        return (
            self.full_layer_bytes_per_token * context_tokens
            + self.window_layer_bytes_per_token * capped
        )

    def bytes_per_token_at(self, context_tokens: float) -> float:
        """Average bytes per cached token for a sequence of this length."""
        return self.sequence_bytes(context_tokens) / context_tokens


def kv_footprint(model: ModelSpec, kv_dtype: str = "bf16") -> KvFootprint:
    per_layer = kv_bytes_per_token_per_layer(model, kv_dtype)
    return KvFootprint(
        model_id=model.id,
        kv_dtype=kv_dtype,
        full_layer_bytes_per_token=per_layer * model.full_attention_layers,
        window_layer_bytes_per_token=per_layer * model.sliding_window_layers,
        window_tokens=model.sliding_window_tokens,
    )
