"""Parameter counts of an architecture as its config states it (pure arithmetic).

Every matrix is counted from the config's sizes: embeddings, attention (grouped-query or
multi-head latent), dense SwiGLU MLPs, and MoE layers (routed and shared experts plus
the router). Norms and biases are left out (well under 0.1%). Active parameters are what
one token reads: attention, the dense MLPs, `experts_per_token` routed experts and the
shared ones per MoE layer, and the output head; the input embedding is a lookup of one
row. An architecture whose attention this module cannot count (DeepSeek V4's compressed
attention) gives None rather than a guess; so does a config missing a size.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.rows import ArchitectureRow

SWIGLU_MATRICES = 3  # gate, up and down projections


@dataclass(frozen=True, slots=True)
class ParamCounts:
    total: int
    active: int
    expert: int  # routed-expert parameters, all layers (what expert parallelism spreads)


def parameter_counts(a: ArchitectureRow) -> ParamCounts | None:
    """Total and active parameters; None when the config does not say enough."""
    needed = (a.layers, a.hidden_size, a.heads, a.vocab_size)
    if any(v is None for v in needed) or "compress_ratios" in a.unmapped_fields:
        return None
    attention = _attention(a)
    if attention is None:
        return None
    layers, hidden, vocab = a.layers or 0, a.hidden_size or 0, a.vocab_size or 0
    moe_layers = _moe_layers(a)
    dense_layers = layers - moe_layers
    if dense_layers and not a.intermediate_size:
        return None
    dense_mlp = SWIGLU_MATRICES * hidden * (a.intermediate_size or 0)
    expert = SWIGLU_MATRICES * hidden * (a.expert_intermediate_size or 0)
    routed, per_token = a.experts_routed or 0, a.experts_per_token or 0
    shared = a.experts_shared or 0
    router = hidden * routed
    head = vocab * hidden
    embed = 0 if a.tied_embeddings else vocab * hidden
    total = (
        embed + head + layers * attention + dense_layers * dense_mlp
        + moe_layers * ((routed + shared) * expert + router)
    )  # fmt: skip
    active = (
        head + layers * attention + dense_layers * dense_mlp
        + moe_layers * ((per_token + shared) * expert + router)
    )  # fmt: skip
    return ParamCounts(total=total, active=active, expert=moe_layers * routed * expert)


def _moe_layers(a: ArchitectureRow) -> int:
    if not a.experts_routed:
        return 0
    layers = a.layers or 0
    candidates = layers - (a.dense_layers or 0)
    step = a.moe_layer_step or 1
    return candidates // step


def _attention(a: ArchitectureRow) -> int | None:
    hidden, heads = a.hidden_size or 0, a.heads or 0
    if a.mla_kv_lora_rank:
        nope, rope, v = a.mla_nope_head_dim, a.mla_rope_head_dim, a.mla_v_head_dim
        if nope is None or rope is None or v is None:
            return None
        q_rank = a.mla_q_lora_rank
        query = (
            hidden * q_rank + q_rank * heads * (nope + rope)
            if q_rank
            else hidden * heads * (nope + rope)
        )
        kv = hidden * (a.mla_kv_lora_rank + rope) + a.mla_kv_lora_rank * heads * (nope + v)
        return query + kv + heads * v * hidden
    if a.head_dim is None or a.kv_heads is None:
        return None
    q_and_o = 2 * hidden * heads * a.head_dim
    return q_and_o + 2 * hidden * a.kv_heads * a.head_dim
