"""Efficiency knobs and model-FLOPs utilisation.

Defaults are 1.0: the roofline is a lower bound on time (an upper bound on throughput),
and the published balance points (critical batch ≈ 295 on an H100) are ratios of peak
figures. Real serving reaches perhaps 40-70% of peak FLOP/s and 70-90% of peak HBM
bandwidth; pass those fractions to see realistic times. The fractions scale every
time and cost figure, but not the bound classification when both are scaled alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import ConfigError


@dataclass(frozen=True)
class Efficiency:
    flops_fraction: float = 1.0  # achieved / peak dense FLOP/s
    bandwidth_fraction: float = 1.0  # achieved / peak HBM and interconnect bandwidth
    hbm_usable_fraction: float = 1.0  # share of HBM available to weights + KV

    def __post_init__(self) -> None:
        for name in ("flops_fraction", "bandwidth_fraction", "hbm_usable_fraction"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise ConfigError(f"efficiency {name} = {value} must be in (0, 1]")


DEFAULT_EFFICIENCY = Efficiency()


def mfu(
    active_params: float, tokens: float, chips: int, flops_per_s: float, latency_s: float
) -> float:
    """Model FLOPs utilisation of a measured run: 2·P·tokens / (chips·C·latency)."""
    if latency_s <= 0 or chips <= 0:
        raise ConfigError("latency and chips must be positive to compute MFU")
    return 2.0 * active_params * tokens / (chips * flops_per_s * latency_s)
