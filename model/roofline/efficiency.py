"""Efficiency knobs and model-FLOPs utilisation.

Defaults are 1.0: the roofline is a lower bound on time (an upper bound on throughput),
and the published balance points (critical batch ≈ 295 on an H100) are ratios of peak
figures. Two kinds of knob:

- flops / bandwidth / HBM fractions scale the peak figures the terms are computed from;
- decode / prefill fractions say what share of the roofline *rate* a whole step reaches.
  Published serving points run 2-5x below the bound; `model.roofline.calibration` derives
  these two fractions from them (the inversion's default, "calibrated"). They scale time
  and cost, never which term bounds a step.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import ConfigError

FRACTIONS = (
    "flops_fraction",
    "bandwidth_fraction",
    "hbm_usable_fraction",
    "decode_fraction",
    "prefill_fraction",
)


@dataclass(frozen=True)
class Efficiency:
    flops_fraction: float = 1.0  # achieved / peak dense FLOP/s
    bandwidth_fraction: float = 1.0  # achieved / peak HBM and interconnect bandwidth
    hbm_usable_fraction: float = 1.0  # share of HBM available to weights + KV
    decode_fraction: float = 1.0  # achieved / roofline decode rate (calibrated)
    prefill_fraction: float = 1.0  # achieved / roofline prefill rate (calibrated)
    name: str = "roofline"  # "roofline", "calibrated" or "custom", for printing

    def __post_init__(self) -> None:
        for name in FRACTIONS:
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
