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
    dense_flops_per_s: dict[str, float]
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
    aliases: tuple[str, ...] = field(default_factory=tuple)
    source_url: str = ""
    confidence: str = ""

    @property
    def is_moe(self) -> bool:
        return self.experts_routed > 0

    @property
    def full_attention_layers(self) -> int:
        return self.layers - self.sliding_window_layers

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
