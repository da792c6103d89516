"""Where each provider's prices put its decode on the roofline (from the `inferences` table).

The roofline of a chip: attainable FLOP/s = min(peak FLOP/s, intensity x HBM bandwidth),
intensity being FLOPs per byte moved from HBM. The inversion (issue 4, model/inversion/solve.py)
stores per model an `effective_decode_batch`: the batch at which decode on its assumed
deployment costs what the output/input price ratio says. One decode step at that batch
(model/roofline/decode.py) does `flops` of work while reading `weight_bytes + kv_bytes`, so its
intensity is their quotient, and the roofline gives what the chip can attain there.

reporting.read reads each model's newest batch; this module is pure arithmetic on it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from model.catalog.load import Catalog
from model.catalog.specs import Hardware
from model.inversion.references import Reference, deployment_for, reference_for
from model.roofline.decode import decode_step
from model.roofline.deployment import Deployment


@dataclass(frozen=True)
class OperatingPoint:
    provider: str
    model: str
    hardware: Hardware
    compute: str  # precision whose peak the roofline uses
    batch: float
    context_tokens: int
    intensity_flops_per_byte: float
    attainable_flops_per_s: float  # per chip, on the roofline
    bound: str  # memory | compute | communication, from the decode step


def peak(hardware: Hardware, compute: str) -> float:
    return hardware.flops_per_s(compute)


def attainable(hardware: Hardware, compute: str, intensity: float) -> float:
    """Roofline: the lower of peak compute and what HBM bandwidth can feed."""
    return min(peak(hardware, compute), intensity * hardware.hbm_bandwidth_bytes_per_s)


def ridge(hardware: Hardware, compute: str) -> float:
    """Intensity (FLOP/byte) where the chip turns from memory- to compute-bound."""
    return peak(hardware, compute) / hardware.hbm_bandwidth_bytes_per_s


def operating_point(row: Mapping[str, Any], catalog: Catalog) -> OperatingPoint | None:
    """The roofline position of one stored batch inference (None when it has no value)."""
    if row["value"] is None or row["value"] <= 0:
        return None
    given = _assumptions(row.get("assumptions"))
    dep = _deployment(str(row["provider"]), str(row["model"]), given, catalog)
    context = int(float(given.get("context_tokens", given.get("decode_context_tokens", 8192))))
    step = decode_step(dep, float(row["value"]), context)
    intensity = step.flops / (step.weight_bytes + step.kv_bytes)
    return OperatingPoint(
        provider=str(row["provider"]),
        model=str(row["model"]),
        hardware=dep.hardware,
        compute=dep.compute,
        batch=float(row["value"]),
        context_tokens=context,
        intensity_flops_per_byte=intensity,
        attainable_flops_per_s=attainable(dep.hardware, dep.compute, intensity),
        bound=step.bound,
    )


def _assumptions(raw: object) -> dict[str, Any]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            return {}
    return dict(raw) if isinstance(raw, Mapping) else {}


def _deployment(
    provider: str, model: str, given: Mapping[str, Any], catalog: Catalog
) -> Deployment:
    """The deployment the inference states; provider defaults fill what it leaves out.

    Raises ConfigError when the stated model or hardware is not in the catalog.
    """
    default = reference_for(provider, model, catalog)
    ref = Reference(
        model_id=str(given.get("model", default.model_id)),
        hardware_id=str(given.get("hardware", default.hardware_id)),
        chips=int(given["chips"]) if "chips" in given else None,
        weights=str(given.get("weights", default.weights)),
        compute=str(given.get("compute", default.compute)),
        kv_dtype=str(given.get("kv_dtype", default.kv_dtype)),
    )
    return deployment_for(ref, catalog)
