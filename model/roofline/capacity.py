"""Memory-capacity results: max batch at a context, train interval, decode's compute ceiling."""

from __future__ import annotations

import math
from dataclasses import dataclass

from model.catalog.specs import Hardware
from model.inversion.search import first_crossing
from model.roofline.attention import decode_attention_flops, matmul_flops_per_token
from model.roofline.deployment import Deployment


@dataclass(frozen=True)
class MaxBatch:
    context_tokens: float
    sequences: int
    hbm_usable_bytes: float
    weight_bytes: float
    kv_bytes_per_sequence: float
    bound: str  # "hbm-capacity" or "weights-exceed-hbm"


def max_batch(dep: Deployment, context_tokens: float) -> MaxBatch:
    """Sequences of this context whose KV fits beside the weights in the replica's HBM."""
    per_seq = dep.kv.sequence_bytes(context_tokens)
    free = dep.hbm_usable_bytes - dep.weight_bytes_total
    sequences = max(0, math.floor(free / per_seq)) if per_seq > 0 else 0
    bound = "hbm-capacity" if free > 0 else "weights-exceed-hbm"
    return MaxBatch(
        context_tokens, sequences, dep.hbm_usable_bytes, dep.weight_bytes_total, per_seq, bound
    )


@dataclass(frozen=True)
class TrainInterval:
    hardware_id: str
    interval_s: float  # time to read all of HBM once
    hbm_capacity_bytes: float
    hbm_bandwidth_bytes_per_s: float
    bound: str = "hbm-bandwidth"


def train_interval(hardware: Hardware) -> TrainInterval:
    """HBM capacity / bandwidth: the shortest step that can touch every byte once."""
    cap, bw = hardware.hbm_capacity_bytes, hardware.hbm_bandwidth_bytes_per_s
    return TrainInterval(hardware.id, cap / bw, cap, bw)


def never_compute_bound_context(dep: Deployment) -> float | None:
    """Context beyond which decode stays memory-bound at any batch (None: no such context).

    As batch grows the weight read amortises away, leaving per token compute
    (2·P_active + attention(S)) / C against the KV it reads, kv(S) / BW (with sparse
    attention, the indexer keys of all S tokens plus the latents of the top-k). Past the
    context where KV time exceeds compute time, no batch size can make decode compute-bound.
    """
    model, kv = dep.model, dep.kv

    def kv_dominates(context: float) -> bool:
        compute = matmul_flops_per_token(model) + decode_attention_flops(model, context)
        return kv.read_bytes(context) / dep.hbm_bandwidth_bytes_per_s > (compute / dep.flops_per_s)

    return first_crossing(kv_dominates, 1.0, 1e12)
