"""Catalog item types: an accelerator, a model architecture, a memory tier (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.errors import ConfigError

ATTENTION_KINDS: tuple[str, ...] = ("mha", "gqa", "mqa", "mla")


@dataclass(frozen=True)
class Hardware:
    """One accelerator chip. Bandwidths are per chip, one direction."""

    id: str
    name: str
    dense_flops_per_s: dict[str, float] = field(hash=False)
    hbm_capacity_bytes: float
    hbm_bandwidth_bytes_per_s: float
    scale_up_domain_chips: int
    scale_up_bandwidth_bytes_per_s_per_chip: float
    scale_out_bandwidth_bytes_per_s_per_chip: float
    rental_usd_per_chip_hour: Decimal | None = None
    rental_price_date: date | None = None
    source_url: str = ""
    confidence: str = ""
    preliminary: bool = False
    rental_fallback: str = ""  # hardware id whose price stands in when this chip has none

    def __hash__(self) -> int:
        # Cheap and consistent with equality (equal entries share these): the model's
        # solvers are memoised on deployments and hash them thousands of times.
        return hash((self.id, self.hbm_bandwidth_bytes_per_s, self.hbm_capacity_bytes))

    @property
    def rental_note(self) -> str:
        """Where the rental price comes from, for every printed cost to state."""
        price = self.rental_usd_per_chip_hour
        if price is None:
            return f"{self.id} has no rental price"
        when = f" ({self.rental_price_date})" if self.rental_price_date else ""
        if self.rental_fallback:
            return (
                f"{self.id} has no public price: {self.rental_fallback}'s {price} USD/chip-hour"
                f"{when} stands in"
            )
        return f"{self.id} rents at {price} USD/chip-hour{when}"

    def flops_per_s(self, precision: str) -> float:
        """Peak dense FLOP/s at `precision`; ConfigError if the catalog gives none."""
        try:
            return self.dense_flops_per_s[precision]
        except KeyError:
            known = ", ".join(sorted(self.dense_flops_per_s)) or "none"
            raise ConfigError(
                f"hardware '{self.id}' has no {precision} dense FLOP/s figure "
                f"(it has: {known}); choose --compute from those or add "
                f"{precision}_dense_flops_per_s to its catalog entry"
            ) from None


@dataclass(frozen=True)
class ModelSpec:
    """One transformer architecture, as far as the roofline needs it."""

    id: str
    name: str
    layers: int
    d_model: int
    heads: int
    kv_heads: int
    head_dim: int
    attention: str
    total_params: float
    active_params: float
    context_tokens: int
    mla_latent_dim: int = 0
    mla_rope_dim: int = 0
    sliding_window_layers: int = 0
    sliding_window_tokens: int = 0
    experts_routed: int = 0
    experts_active: int = 0
    experts_shared: int = 0
    dense_layers: int = 0  # leading layers with a dense FFN in an MoE (no all-to-all)
    expert_groups: int = 0  # node-limited routing: experts in this many groups ...
    expert_groups_per_token: int = 0  # ... of which a token may use at most this many
    expert_weights: str = ""  # format the routed experts ship in (e.g. mxfp4), "" = as weights
    sparse_attention_tokens: int = 0  # keys each query attends to (DSA top-k), 0 = all
    indexer_heads: int = 0  # the sparse-attention indexer that scores every key
    indexer_head_dim: int = 0  # its cached key per token per layer, in fp8
    global_kv_heads: int = 0  # full-attention layers' own KV geometry (Gemma 4), 0 = as above
    global_head_dim: int = 0
    global_kv_shared: bool = False  # full layers cache K only (V = K)
    aliases: tuple[str, ...] = field(default_factory=tuple)
    source_url: str = ""
    confidence: str = ""

    def __hash__(self) -> int:
        return hash((self.id, self.layers, self.total_params, self.active_params))

    @property
    def is_moe(self) -> bool:
        return self.experts_routed > 0

    @property
    def full_attention_layers(self) -> int:
        return self.layers - self.sliding_window_layers

    @property
    def moe_layers(self) -> int:
        """Layers whose FFN is routed (and so pay the all-to-all)."""
        return self.layers - self.dense_layers if self.is_moe else 0

    @property
    def sparse_attention(self) -> bool:
        return self.sparse_attention_tokens > 0

    @property
    def routed_expert_params(self) -> float:
        """Parameters in routed experts, from total = dense + R and active = dense + R·k/E."""
        if not self.is_moe:
            return 0.0
        share = self.experts_active / self.experts_routed
        return (self.total_params - self.active_params) / (1.0 - share)

    @property
    def dense_params(self) -> float:
        """Parameters every token reads: attention, embeddings, shared experts, dense layers."""
        return self.total_params - self.routed_expert_params


@dataclass(frozen=True)
class MemoryTier:
    """What holding one GB for an hour costs in one memory tier."""

    id: str
    name: str
    rank: int
    usd_per_gb_hour: Decimal
    derivation: str = ""
    source_url: str = ""
    confidence: str = ""
    reload_bandwidth_bytes_per_s_per_chip: float = 0.0  # 0: the chip's own HBM bandwidth
    reload_path: str = ""


@dataclass(frozen=True)
class CalibrationPoint:
    """One published serving measurement, with the deployment it ran on."""

    id: str
    description: str
    model: str
    hardware: str
    chips: int
    weights: str
    compute: str
    kv_dtype: str
    phase: str  # prefill | decode | end-to-end
    batch: float
    prompt_tokens: int  # prefill and end-to-end
    context_tokens: int  # decode: context when the first measured token is generated
    generated_tokens: int  # decode and end-to-end
    measured_s: float  # wall time of the measured phase (derived for rate-given points)
    source_url: str
    source_detail: str
    note: str = ""
