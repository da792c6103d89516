"""Does an MoE architecture's expert layout suit a scale-up domain? (pure arithmetic)

Expert parallelism puts each routed expert on one chip of the domain (or, with more
chips than experts, one expert on several). The experts divide evenly when either count
divides the other; otherwise some chips hold an extra expert (stranded capacity on the
rest) or the layout needs redundant copies. The weights at the shipped precision must
also fit in the domain's HBM, with nothing left for the KV cache when they barely do.
Every check carries its arithmetic as lines a person can verify.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.rows import ArchitectureRow
from model.catalog.config_params import ParamCounts
from model.roofline.precision import BYTES_PER_ELEMENT

ASSUMED_FORMAT = "bf16"  # for weights whose format the config does not state


@dataclass(frozen=True, slots=True)
class LayoutCheck:
    domain: str
    chips: int
    experts: int
    divides: bool
    weight_bytes: float | None  # None: a weight format this module has no size for
    domain_hbm_bytes: float
    lines: tuple[str, ...]

    @property
    def fits(self) -> bool | None:
        return None if self.weight_bytes is None else self.weight_bytes <= self.domain_hbm_bytes

    @property
    def mismatch(self) -> bool:
        return not self.divides or self.fits is False


def check_layout(
    arch: ArchitectureRow,
    counts: ParamCounts,
    domain: str,
    chips: int,
    hbm_bytes_per_chip: float,
) -> LayoutCheck:
    """The divisibility and fit of `arch`'s routed experts over one domain."""
    experts = arch.experts_routed or 0
    divides = experts > 0 and (experts % chips == 0 or chips % experts == 0)
    per_chip = experts / chips
    lines = [
        f"{experts} routed experts over {domain}'s {chips} chips = {per_chip:.4g} per chip"
        + (" (divides evenly)" if divides else " (does not divide evenly)")
    ]
    weights, how = weight_bytes(arch, counts)
    hbm = chips * hbm_bytes_per_chip
    if weights is None:
        lines.append(f"weights: {how}; fit not checked")
    else:
        verdict = "fit" if weights <= hbm else "do not fit"
        lines.append(
            f"weights {how} = {weights / 1e9:,.0f} GB {verdict} in {chips} x "
            f"{hbm_bytes_per_chip / 1e9:,.0f} GB = {hbm / 1e9:,.0f} GB of HBM"
        )
    return LayoutCheck(domain, chips, experts, divides, weights, hbm, tuple(lines))


def weight_bytes(arch: ArchitectureRow, counts: ParamCounts) -> tuple[float | None, str]:
    """Bytes of all weights at the shipped formats, and how they were summed."""
    dense_format = arch.weight_format or ASSUMED_FORMAT
    expert_format = arch.expert_weight_format or dense_format
    sizes = {f: BYTES_PER_ELEMENT.get(f) for f in (dense_format, expert_format)}
    unknown = sorted(f for f, size in sizes.items() if size is None)
    if unknown:
        return None, f"format {', '.join(unknown)} has no size here"
    other = counts.total - counts.expert
    total = counts.expert * (sizes[expert_format] or 0) + other * (sizes[dense_format] or 0)
    assumed = (
        "" if arch.weight_format else f", {ASSUMED_FORMAT} assumed where the config states none"
    )
    how = (
        f"{counts.expert / 1e9:,.1f}B expert params at {expert_format} + "
        f"{other / 1e9:,.1f}B others at {dense_format}{assumed}"
    )
    return total, how
