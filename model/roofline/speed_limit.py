"""The memory-bound limit on one user's decode speed (thesis #1's roofline test).

At batch 1 every decode step reads the weights a token touches (dense ones, plus k of
E routed experts) and the sequence's KV cache once; no replica can step faster than
those bytes over its aggregate HBM bandwidth. A host that serves one user faster than
this, on the hardware assumed, is not decoding one token per weight read: speculative
decoding (several tokens per read) or a different architecture. The bytes and the step
come from the roofline (decode_step at batch 1, peak bandwidth, no efficiency loss).
"""

from __future__ import annotations

from dataclasses import dataclass

from model.catalog.specs import Hardware, ModelSpec
from model.roofline.decode import decode_step
from model.roofline.deployment import Deployment
from model.roofline.precision import BYTES_PER_ELEMENT, bytes_per_element

# The format a host that does not state its quantization is read at: the smallest the
# model knows, so that the bound is never tighter than the truth.
SMALLEST_FORMAT = min(("fp4", "fp8", "bf16"), key=bytes_per_element)


@dataclass(frozen=True, slots=True)
class SpeedLimit:
    model_id: str
    hardware_id: str
    chips: int
    weights: str
    kv_dtype: str
    context_tokens: int
    weight_bytes_per_token: float
    kv_bytes_per_token: float
    bandwidth_bytes_per_s: float  # all chips, peak

    @property
    def bytes_per_token(self) -> float:
        return self.weight_bytes_per_token + self.kv_bytes_per_token

    @property
    def tokens_per_s(self) -> float:
        return self.bandwidth_bytes_per_s / self.bytes_per_token

    def lines(self, where: str) -> list[str]:
        """The arithmetic, one clause each, for an alert to show."""
        return [
            f"bytes per token: {self.weight_bytes_per_token / 1e9:.3g} GB of weights"
            f" ({self.model_id} active parameters at {self.weights})"
            f" + {self.kv_bytes_per_token / 1e9:.3g} GB of KV ({self.context_tokens} tokens"
            f" at {self.kv_dtype}) = {self.bytes_per_token / 1e9:.3g} GB",
            f"bandwidth: {where}, {self.chips} x {self.hardware_id}"
            f" = {self.bandwidth_bytes_per_s / 1e12:.4g} TB/s of HBM",
            f"bound: {self.bandwidth_bytes_per_s / 1e12:.4g} TB/s / "
            f"{self.bytes_per_token / 1e9:.3g} GB = {self.tokens_per_s:,.0f} tokens/s per user",
        ]


def weights_format(stated: str | None) -> str:
    """The format a host's stated quantization reads as (the smallest when unknown)."""
    if stated is None:
        return SMALLEST_FORMAT
    return stated if stated in BYTES_PER_ELEMENT else SMALLEST_FORMAT


def speed_limit(
    model: ModelSpec,
    hardware: Hardware,
    chips: int,
    weights: str,
    kv_dtype: str,
    context_tokens: int,
) -> SpeedLimit:
    """One user's decode speed bound on `chips` chips: routed experts in the model's
    shipped format where that is smaller than `weights`."""
    experts = model.expert_weights
    if experts and bytes_per_element(experts) >= bytes_per_element(weights):
        experts = ""
    compute = next(iter(sorted(hardware.dense_flops_per_s)))
    dep = Deployment(
        model, hardware, chips, weights=weights, compute=compute, kv_dtype=kv_dtype,
        expert_weights=experts,
    )  # fmt: skip
    step = decode_step(dep, 1, context_tokens)
    return SpeedLimit(
        model.id, hardware.id, chips, weights + (f" (routed experts {experts})" if experts else ""),
        kv_dtype, context_tokens,
        step.weight_bytes, step.kv_bytes, dep.hbm_bandwidth_bytes_per_s,
    )  # fmt: skip
