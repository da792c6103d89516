"""Network traffic of one step: MoE dispatch/combine, kept apart by fabric.

Mixture of experts (expert parallelism over all the replica's chips, attention data
parallel): in every MoE layer each token's hidden vector goes to the chips holding its k
experts (dispatch, in `dispatch_dtype`) and each of them sends its output back (combine,
in `combine_dtype`). The bytes scale with the *distinct remote chips* a token reaches:
at most k, fewer when experts share a chip, and fewer still under node-limited routing
(a token's experts come from at most M of G expert groups). Chips in the token's own
scale-up domain are reached over the scale-up fabric (NVLink, ICI); the rest over the
scale-out network, each remote chip receiving its own copy (no per-domain de-duplication
and forwarding, which would divide the scale-out bytes by the chips a token reaches in
each remote domain). The two fabrics run at once: the slower sets the time.

Dense models: per layer each token's activation crosses between the D domains a replica
spans twice (the two halves of a tensor-parallel all-reduce), the share (1 − 1/D) of it
over the scale-out network; inside one domain the fast fabric is assumed to hide it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from model.catalog.specs import ModelSpec
from model.roofline.deployment import Deployment
from model.roofline.precision import bytes_per_element


def _none_of_k(pool: float, taken: float, k: int) -> float:
    """P(none of k distinct draws from `pool` items lands in a set of `taken` of them)."""
    p = 1.0
    for i in range(k):
        if pool - i <= 0:
            return 0.0
        p *= max(0.0, pool - taken - i) / (pool - i)
    return p


def chip_holds_none(model: ModelSpec, chips: int) -> float:
    """P(a given chip holds none of one token's k experts), experts spread evenly.

    With node-limited routing and chips no larger than a group, the chip's group is one
    of the token's M groups with probability M/G, and the k experts are then drawn from
    the M·E/G experts of those groups (uniform routing within them).
    """
    experts, k = float(model.experts_routed), model.experts_active
    if chips >= experts:  # one expert per chip at most: the k experts sit on k chips
        return 1.0 - k / chips
    per_chip = experts / chips
    groups, allowed = model.expert_groups, model.expert_groups_per_token
    if not groups or not allowed or allowed >= groups or chips < groups:
        return _none_of_k(experts, per_chip, k)
    pool = allowed * experts / groups
    chosen = allowed / groups
    return (1.0 - chosen) + chosen * _none_of_k(pool, per_chip, k)


def remote_chips_per_token(model: ModelSpec, chips: int, domain_chips: int) -> tuple[float, float]:
    """Expected distinct chips one token's experts sit on: (same domain, other domains).

    Excludes the token's own chip; the sum never exceeds k.
    """
    if not model.is_moe or chips <= 1:
        return 0.0, 0.0
    reached = 1.0 - chip_holds_none(model, chips)
    local = min(domain_chips, chips)
    return (local - 1) * reached, (chips - local) * reached


@dataclass(frozen=True)
class Traffic:
    scale_up_bytes: float
    scale_out_bytes: float
    scale_up_time_s: float
    scale_out_time_s: float

    @property
    def time_s(self) -> float:
        return max(self.scale_up_time_s, self.scale_out_time_s)


def moe_bytes_per_token(dep: Deployment) -> tuple[float, float]:
    """Dispatch + combine bytes one token sends per step: (scale-up, scale-out)."""
    model = dep.model
    local, remote = remote_chips_per_token(model, dep.chips, dep.hardware.scale_up_domain_chips)
    per_chip = model.d_model * (
        bytes_per_element(dep.dispatch_dtype) + bytes_per_element(dep.combine_dtype)
    )
    return (
        model.moe_layers * local * per_chip,
        model.moe_layers * remote * per_chip,
    )


def dense_cross_domain_bytes_per_token(dep: Deployment) -> float:
    domains = dep.scale_up_domains
    if domains <= 1:
        return 0.0
    per_layer = 2 * dep.model.d_model * bytes_per_element(dep.combine_dtype)
    return dep.model.layers * per_layer * (1.0 - 1.0 / domains)


@lru_cache(maxsize=1024)
def _per_token(dep: Deployment) -> tuple[float, float, float, float]:
    """(scale-up bytes, scale-out bytes, scale-up B/s, scale-out B/s) of one token's step."""
    if dep.model.is_moe:
        up, out = moe_bytes_per_token(dep)
    else:
        up, out = 0.0, dense_cross_domain_bytes_per_token(dep)
    hw, share = dep.hardware, dep.chips * dep.efficiency.bandwidth_fraction
    return (
        up,
        out,
        share * hw.scale_up_bandwidth_bytes_per_s_per_chip,
        share * hw.scale_out_bandwidth_bytes_per_s_per_chip,
    )


def traffic(dep: Deployment, tokens: float) -> Traffic:
    """Bytes and time of one step over `tokens` tokens on each fabric."""
    up_per_token, out_per_token, up_bw, out_bw = _per_token(dep)
    up, out = tokens * up_per_token, tokens * out_per_token
    return Traffic(up, out, up / up_bw, out / out_bw)


def communication_time_s(dep: Deployment, tokens: float) -> float:
    return traffic(dep, tokens).time_s
