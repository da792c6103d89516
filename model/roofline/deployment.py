"""A replica: one model on N chips of one hardware, with its number formats and efficiency."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from core.errors import ConfigError
from model.catalog.specs import Hardware, ModelSpec
from model.roofline.efficiency import DEFAULT_EFFICIENCY, Efficiency
from model.roofline.kv import KvFootprint, kv_footprint
from model.roofline.precision import bytes_per_element

# per-op: each operation (weight matmuls, expert matmuls, attention, all-to-all) is bound
# by its own slower resource and they run one after another; overlapped: all compute and
# all memory traffic overlap perfectly, max(Σ compute, Σ memory, network). Per-op is the
# stricter (never shorter) of the two and the default.
Overlap = Literal["per-op", "overlapped"]
OVERLAPS: tuple[Overlap, ...] = ("per-op", "overlapped")


def overlap_named(name: str) -> Overlap:
    """The Overlap a user typed, or ConfigError naming the choices."""
    for overlap in OVERLAPS:
        if name == overlap:
            return overlap
    raise ConfigError(f"overlap {name!r} is not one of: {', '.join(OVERLAPS)}")


@dataclass(frozen=True)
class Deployment:
    model: ModelSpec
    hardware: Hardware
    chips: int
    weights: str = "bf16"
    compute: str = "bf16"
    kv_dtype: str = "bf16"
    efficiency: Efficiency = DEFAULT_EFFICIENCY
    dispatch_dtype: str = "fp8"  # MoE dispatch: tokens to their experts (DeepSeek sends fp8)
    combine_dtype: str = "bf16"  # MoE combine: expert outputs back (bf16)
    expert_weights: str = ""  # routed experts' format when it differs from `weights`
    overlap: Overlap = "per-op"

    def __post_init__(self) -> None:
        if self.chips < 1:
            raise ConfigError(f"chips = {self.chips}: a replica needs at least one chip")
        for precision in (self.weights, self.kv_dtype, self.dispatch_dtype, self.combine_dtype):
            bytes_per_element(precision)
        if self.expert_weights:
            bytes_per_element(self.expert_weights)
        if self.overlap not in OVERLAPS:
            raise ConfigError(f"overlap '{self.overlap}' is not one of: {', '.join(OVERLAPS)}")
        self.hardware.flops_per_s(self.compute)

    @property
    def flops_per_s(self) -> float:
        """Achievable FLOP/s of the whole replica at the compute precision."""
        peak = self.hardware.flops_per_s(self.compute)
        return self.chips * peak * self.efficiency.flops_fraction

    @property
    def hbm_bandwidth_bytes_per_s(self) -> float:
        bw = self.hardware.hbm_bandwidth_bytes_per_s
        return self.chips * bw * self.efficiency.bandwidth_fraction

    @property
    def hbm_usable_bytes(self) -> float:
        hbm = self.hardware.hbm_capacity_bytes
        return self.chips * hbm * self.efficiency.hbm_usable_fraction

    @property
    def weight_bytes_total(self) -> float:
        return total_weight_bytes(self.model, self.weights, self.expert_weights)

    @cached_property
    def kv(self) -> KvFootprint:
        return kv_footprint(self.model, self.kv_dtype)

    @property
    def scale_up_domains(self) -> int:
        return math.ceil(self.chips / self.hardware.scale_up_domain_chips)

    def assumptions(self) -> dict[str, str | float | int]:
        """Everything a printed result depends on, for the user to see."""
        eff = self.efficiency
        return {
            "model": self.model.id,
            "hardware": self.hardware.id,
            "chips": self.chips,
            "weights": self.weights,
            "expert_weights": self.expert_weights or self.weights,
            "compute": self.compute,
            "kv_dtype": self.kv_dtype,
            "overlap": self.overlap,
            "efficiency": eff.name,
            "flops_fraction": eff.flops_fraction,
            "bandwidth_fraction": eff.bandwidth_fraction,
            "hbm_usable_fraction": eff.hbm_usable_fraction,
            "decode_fraction": eff.decode_fraction,
            "prefill_fraction": eff.prefill_fraction,
            "hardware_preliminary": int(self.hardware.preliminary),
        }


def total_weight_bytes(model: ModelSpec, weights: str, expert_weights: str = "") -> float:
    """All the weights' bytes; routed experts in their own format when they have one."""
    experts = model.routed_expert_params * bytes_per_element(expert_weights or weights)
    return model.dense_params * bytes_per_element(weights) + experts


def default_chips(
    model: ModelSpec, hardware: Hardware, weights: str, expert_weights: str = ""
) -> int:
    """Chips for a replica when the user gives none.

    Weights may take at most half of HBM (the rest is for KV). On small scale-up
    domains (NVLink-style, <= 128 chips) use whole domains, as Pope's NVL72 example
    does; on TPU-style pods use the smallest power of two, at least 8.
    """
    hbm = hardware.hbm_capacity_bytes
    needed = math.ceil(2 * total_weight_bytes(model, weights, expert_weights) / hbm)
    domain = hardware.scale_up_domain_chips
    if domain <= 128:
        return domain * max(1, math.ceil(needed / domain))
    return max(8, 1 << max(0, needed - 1).bit_length())
