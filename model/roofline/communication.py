"""Traffic across scale-up domains when a replica spans more than one.

A simple all-to-all estimate: per layer each token's activation (d_model values) leaves
its chip twice (MoE dispatch and combine, or the two halves of a tensor-parallel
all-reduce). The share (1 − 1/D) of that traffic crosses between the D domains and
moves at the scale-out bandwidth summed over the replica's chips. Inside one domain the
fast fabric is assumed to hide it (time 0), which is Pope's point about NVL72 and MoE.
"""

from __future__ import annotations

from model.roofline.deployment import Deployment
from model.roofline.precision import bytes_per_element


def cross_domain_bytes(dep: Deployment, tokens: float) -> float:
    domains = dep.scale_up_domains
    if domains <= 1:
        return 0.0
    per_token = 2 * dep.model.layers * dep.model.d_model * bytes_per_element(dep.activation_dtype)
    return tokens * per_token * (1.0 - 1.0 / domains)


def communication_time_s(dep: Deployment, tokens: float) -> float:
    bytes_moved = cross_domain_bytes(dep, tokens)
    if bytes_moved == 0.0:
        return 0.0
    bw = dep.hardware.scale_out_bandwidth_bytes_per_s_per_chip
    return bytes_moved / (dep.chips * bw * dep.efficiency.bandwidth_fraction)
