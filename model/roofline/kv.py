"""KV-cache bytes per token: MHA/GQA/MQA keep K and V per KV head, MLA keeps one latent.

Two figures differ once attention is sparse: the bytes a sequence keeps (capacity) and the
bytes one decode step reads. DeepSeek Sparse Attention keeps every token's latent plus a
small fp8 indexer key, but a query reads the indexer keys of all tokens and the latents of
only the top-k it selects.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.catalog.specs import ModelSpec
from model.roofline.precision import bytes_per_element

INDEXER_KEY_BYTES_PER_ELEMENT = 1.0  # DSA caches its indexer keys in fp8


def _kv_heads_bytes(kv_heads: int, head_dim: int, size: float, shared: bool = False) -> float:
    return (1 if shared else 2) * kv_heads * head_dim * size


def kv_bytes_per_token_per_layer(model: ModelSpec, kv_dtype: str) -> float:
    """One full-attention layer: 2·n_kv·d_head·bytes (GQA), (latent + rope)·bytes (MLA)."""
    size = bytes_per_element(kv_dtype)
    if model.attention == "mla":
        return (model.mla_latent_dim + model.mla_rope_dim) * size
    if model.global_kv_heads:
        return _kv_heads_bytes(
            model.global_kv_heads, model.global_head_dim, size, model.global_kv_shared
        )
    return _kv_heads_bytes(model.kv_heads, model.head_dim, size)


def window_kv_bytes_per_token_per_layer(model: ModelSpec, kv_dtype: str) -> float:
    """One sliding-window layer (these keep the model's base KV geometry)."""
    if not model.sliding_window_layers:
        return 0.0
    return _kv_heads_bytes(model.kv_heads, model.head_dim, bytes_per_element(kv_dtype))


@dataclass(frozen=True)
class KvFootprint:
    """KV bytes of one sequence; sliding-window layers stop growing at the window."""

    model_id: str
    kv_dtype: str
    full_layer_bytes_per_token: float  # summed over full-attention layers
    window_layer_bytes_per_token: float  # summed over sliding-window layers
    window_tokens: int
    indexer_bytes_per_token: float = 0.0  # sparse attention's keys, summed over layers
    sparse_tokens: int = 0  # keys each query reads (0: all of them)

    @property
    def bytes_per_token(self) -> float:
        """All layers, per token, while the context is within the window (the headline figure)."""
        return (
            self.full_layer_bytes_per_token
            + self.window_layer_bytes_per_token
            + self.indexer_bytes_per_token
        )

    def _window(self, context_tokens: float) -> float:
        return min(context_tokens, self.window_tokens) if self.window_tokens else 0.0

    def sequence_bytes(self, context_tokens: float) -> float:
        """Bytes one sequence of this context keeps in memory."""
        return (
            self.full_layer_bytes_per_token + self.indexer_bytes_per_token
        ) * context_tokens + self.window_layer_bytes_per_token * self._window(context_tokens)

    def read_bytes(self, context_tokens: float) -> float:
        """Bytes one decode step reads for one sequence of this context."""
        attended = min(context_tokens, self.sparse_tokens) if self.sparse_tokens else context_tokens
        return (
            self.full_layer_bytes_per_token * attended
            + self.indexer_bytes_per_token * context_tokens
            + self.window_layer_bytes_per_token * self._window(context_tokens)
        )

    def bytes_per_token_at(self, context_tokens: float) -> float:
        """Average bytes per cached token for a sequence of this length."""
        return self.sequence_bytes(context_tokens) / context_tokens


def kv_footprint(model: ModelSpec, kv_dtype: str = "bf16") -> KvFootprint:
    full_layers = model.full_attention_layers
    indexer = (
        model.indexer_head_dim * INDEXER_KEY_BYTES_PER_ELEMENT * full_layers
        if model.sparse_attention
        else 0.0
    )
    return KvFootprint(
        model_id=model.id,
        kv_dtype=kv_dtype,
        full_layer_bytes_per_token=kv_bytes_per_token_per_layer(model, kv_dtype) * full_layers,
        window_layer_bytes_per_token=window_kv_bytes_per_token_per_layer(model, kv_dtype)
        * model.sliding_window_layers,
        window_tokens=model.sliding_window_tokens,
        indexer_bytes_per_token=indexer,
        sparse_tokens=model.sparse_attention_tokens,
    )
