"""Bytes per element of the number formats the model knows (weights, KV cache, compute)."""

from __future__ import annotations

from core.errors import ConfigError

BYTES_PER_ELEMENT: dict[str, float] = {
    "fp32": 4.0,
    "bf16": 2.0,
    "fp16": 2.0,
    "fp8": 1.0,
    "int8": 1.0,
    "fp4": 0.5,
    "int4": 0.5,
    "mxfp4": 4.25 / 8,  # 4-bit values plus one 8-bit scale per 32 (OCP MX format)
}

# Precisions a chip's catalog entry may give a dense FLOP/s figure for.
COMPUTE_PRECISIONS: tuple[str, ...] = ("bf16", "fp8", "fp4", "int8")

# Arithmetic a weight format is computed in when the chip has no native rate for it.
KV_DTYPES: tuple[str, ...] = ("bf16", "fp8", "int8", "fp4")


def bytes_per_element(precision: str) -> float:
    """Bytes one element of `precision` occupies; ConfigError names the valid choices."""
    try:
        return BYTES_PER_ELEMENT[precision]
    except KeyError:
        choices = ", ".join(BYTES_PER_ELEMENT)
        raise ConfigError(f"unknown precision '{precision}'; use one of: {choices}") from None
