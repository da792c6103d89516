"""One decode step of batch B at context S on a replica: compute vs memory vs network.

The step is four operations: the dense weight matmuls, the routed-expert matmuls, the
attention over the cached keys, and the MoE all-to-all. `step_time_s` is the per-op bound
(each operation waits on its own slower resource, one after another) or the overlapped
one (everything overlaps), as the deployment says, divided by its calibrated decode
fraction; both bounds are reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from core.errors import ConfigError
from model.roofline.attention import decode_attention_flops
from model.roofline.bound import Bound, Op, StepBound, chosen, step_bound, step_seconds
from model.roofline.communication import Traffic, traffic
from model.roofline.cost import usd_per_mtok
from model.roofline.deployment import Deployment
from model.roofline.moe import expert_params_touched
from model.roofline.precision import bytes_per_element


@dataclass(frozen=True)
class DecodeStep:
    batch: float
    context_tokens: float
    flops: float
    weight_bytes: float
    kv_bytes: float  # read this step (sparse attention reads fewer than it keeps)
    scale_up_bytes: float
    scale_out_bytes: float
    compute_time_s: float
    memory_time_s: float
    communication_time_s: float
    step_time_overlapped_s: float
    step_time_per_op_s: float
    overlap: str
    step_time_s: float
    bound: Bound
    tokens_per_s: float
    chip_seconds_per_token: float
    usd_per_mtok: Decimal | None
    hbm_required_bytes: float
    fits_in_hbm: bool


@dataclass(frozen=True)
class _Terms:
    ops: tuple[Op, Op, Op]  # dense weights, routed experts, attention
    flops: float
    weight_bytes: float
    kv_bytes: float
    network: Traffic


@dataclass(frozen=True)
class _Rates:
    """What a deployment's steps share, worked out once (the solvers call this a lot)."""

    flops_s: float
    bytes_s: float
    dense_flops_per_token: float
    expert_flops_per_token: float
    dense_bytes: float
    expert_bytes_per_param: float


@lru_cache(maxsize=1024)
def _rates(dep: Deployment) -> _Rates:
    model = dep.model
    return _Rates(
        dep.flops_per_s,
        dep.hbm_bandwidth_bytes_per_s,
        2.0 * model.dense_params,
        2.0 * (model.active_params - model.dense_params),
        model.dense_params * bytes_per_element(dep.weights),
        bytes_per_element(dep.expert_weights or dep.weights),
    )


def _terms(dep: Deployment, batch: float, context: float) -> _Terms:
    model, rates = dep.model, _rates(dep)
    expert_bytes = expert_params_touched(model, batch) * rates.expert_bytes_per_param
    dense_flops = batch * rates.dense_flops_per_token
    expert_flops = batch * rates.expert_flops_per_token
    attention_flops = batch * decode_attention_flops(model, context)
    kv_bytes = batch * dep.kv.read_bytes(context)
    flops_s, bytes_s = rates.flops_s, rates.bytes_s
    ops = (
        (dense_flops / flops_s, rates.dense_bytes / bytes_s),
        (expert_flops / flops_s, expert_bytes / bytes_s),
        (attention_flops / flops_s, kv_bytes / bytes_s),
    )
    return _Terms(
        ops,
        dense_flops + expert_flops + attention_flops,
        rates.dense_bytes + expert_bytes,
        kv_bytes,
        traffic(dep, batch),
    )


def _chosen(dep: Deployment, bounds: StepBound) -> tuple[float, Bound]:
    time, which = chosen(bounds, dep.overlap)
    return time / dep.efficiency.decode_fraction, which


def decode_seconds(dep: Deployment, batch: float, context_tokens: float) -> float:
    """Step time only: the solvers call this thousands of times."""
    terms = _terms(dep, batch, context_tokens)
    return step_seconds(terms.ops, terms.network.time_s, dep.overlap) / (
        dep.efficiency.decode_fraction
    )


def decode_step(dep: Deployment, batch: float, context_tokens: float) -> DecodeStep:
    """Roofline time of one step generating one token for each of `batch` sequences."""
    if batch <= 0 or context_tokens <= 0:
        raise ConfigError("decode needs batch > 0 and context > 0")
    terms = _terms(dep, batch, context_tokens)
    bounds = step_bound(terms.ops, terms.network.time_s)
    step_s, which = _chosen(dep, bounds)
    chip_s = dep.chips * step_s / batch
    hbm_needed = dep.weight_bytes_total + batch * dep.kv.sequence_bytes(context_tokens)
    return DecodeStep(
        batch=batch,
        context_tokens=context_tokens,
        flops=terms.flops,
        weight_bytes=terms.weight_bytes,
        kv_bytes=terms.kv_bytes,
        scale_up_bytes=terms.network.scale_up_bytes,
        scale_out_bytes=terms.network.scale_out_bytes,
        compute_time_s=sum(c for c, _ in terms.ops),
        memory_time_s=sum(m for _, m in terms.ops),
        communication_time_s=terms.network.time_s,
        step_time_overlapped_s=bounds.overlapped_s,
        step_time_per_op_s=bounds.per_op_s,
        overlap=dep.overlap,
        step_time_s=step_s,
        bound=which,
        tokens_per_s=batch / step_s,
        chip_seconds_per_token=chip_s,
        usd_per_mtok=usd_per_mtok(chip_s, dep.hardware.rental_usd_per_chip_hour),
        hbm_required_bytes=hbm_needed,
        fits_in_hbm=hbm_needed <= dep.hbm_usable_bytes,
    )
