"""One decode step of batch B at context S on a replica: compute vs memory vs network."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.errors import ConfigError
from model.roofline.attention import decode_attention_flops, matmul_flops_per_token
from model.roofline.bound import Bound, slowest
from model.roofline.communication import communication_time_s
from model.roofline.cost import usd_per_mtok
from model.roofline.deployment import Deployment
from model.roofline.moe import weight_bytes_touched


@dataclass(frozen=True)
class DecodeStep:
    batch: float
    context_tokens: float
    flops: float
    weight_bytes: float
    kv_bytes: float
    compute_time_s: float
    memory_time_s: float
    communication_time_s: float
    step_time_s: float
    bound: Bound
    tokens_per_s: float
    chip_seconds_per_token: float
    usd_per_mtok: Decimal | None
    hbm_required_bytes: float
    fits_in_hbm: bool


def decode_step(dep: Deployment, batch: float, context_tokens: float) -> DecodeStep:
    """Roofline time of one step generating one token for each of `batch` sequences."""
    if batch <= 0 or context_tokens <= 0:
        raise ConfigError("decode needs batch > 0 and context > 0")
    model = dep.model
    per_token_flops = matmul_flops_per_token(model) + decode_attention_flops(model, context_tokens)
    flops = batch * per_token_flops
    weight_bytes = weight_bytes_touched(model, batch, dep.weights)
    kv_bytes = batch * dep.kv.sequence_bytes(context_tokens)
    compute_s = flops / dep.flops_per_s
    memory_s = (weight_bytes + kv_bytes) / dep.hbm_bandwidth_bytes_per_s
    comm_s = communication_time_s(dep, batch)
    step_s, bound = slowest(compute_s, memory_s, comm_s)
    chip_s = dep.chips * step_s / batch
    hbm_needed = dep.weight_bytes_total + kv_bytes
    return DecodeStep(
        batch=batch,
        context_tokens=context_tokens,
        flops=flops,
        weight_bytes=weight_bytes,
        kv_bytes=kv_bytes,
        compute_time_s=compute_s,
        memory_time_s=memory_s,
        communication_time_s=comm_s,
        step_time_s=step_s,
        bound=bound,
        tokens_per_s=batch / step_s,
        chip_seconds_per_token=chip_s,
        usd_per_mtok=usd_per_mtok(chip_s, dep.hardware.rental_usd_per_chip_hour),
        hbm_required_bytes=hbm_needed,
        fits_in_hbm=hbm_needed <= dep.hbm_usable_bytes,
    )
