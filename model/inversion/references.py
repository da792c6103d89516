"""The architectures and hardware behind a provider's prices: a band of stand-ins.

Closed models publish neither, so the inversion reads their prices against several
stand-in architectures and reports each and the range. A verdict is firm only when
every stand-in agrees. The stand-ins span what decides the answers:

| stand-in          | kind                                  | KV bytes per token (bf16) |
|-------------------|---------------------------------------|---------------------------|
| deepseek-v3.2     | MLA mixture of experts, sparse attention | ~78 KB (reads ~2k per query) |
| qwen3-235b-a22b   | GQA mixture of experts                | ~193 KB                   |
| llama-3.1-70b     | dense GQA, 70B class                  | ~328 KB                   |

Hardware is per provider (the serving fleet the operator is known or likely to run):

| provider            | hardware  | why                                                  |
|---------------------|-----------|------------------------------------------------------|
| openai, azure       | gb200     | NVL72 is Pope's reference rack                       |
| anthropic           | trainium2 | Anthropic's Trainium2 fleet                          |
| google, gemini, vertex_ai, google-vertex | tpu7x | Gemini serves on TPUs (fallback price) |
| deepseek            | h800      | DeepSeek's published fleet                           |
| xai, moonshot, alibaba | h200   | Hopper-class fleets                                  |
| mistral, meta       | h100-sxm  |                                                      |
| (other)             | gb200     | the reference rack                                   |

A priced model whose id matches a catalog alias (gpt-oss-120b, deepseek-chat, ...) is
read against that architecture alone: it is known, not a stand-in. --assume-model /
--assume-hardware override both. Weights and compute default to fp8 (routed experts in
the format the model ships, e.g. gpt-oss's mxfp4), falling back to bf16 compute on chips
without an fp8 rate; the KV cache defaults to bf16.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from model.catalog.disclosures import latest_aggregate, load_disclosures
from model.catalog.load import Catalog
from model.catalog.specs import ModelSpec
from model.roofline.deployment import Deployment, Overlap, default_chips
from model.roofline.efficiency import DEFAULT_EFFICIENCY, Efficiency

STAND_INS: tuple[tuple[str, str], ...] = (
    ("deepseek-v3.2", "MLA MoE with sparse attention"),
    ("qwen3-235b-a22b", "GQA MoE"),
    ("llama-3.1-70b", "dense GQA 70B-class"),
)
PROVIDER_HARDWARE: dict[str, str] = {
    "openai": "gb200",
    "azure": "gb200",
    "anthropic": "trainium2",
    "google": "tpu7x",
    "gemini": "tpu7x",
    "vertex_ai": "tpu7x",
    "google-vertex": "tpu7x",
    "deepseek": "h800",
    "xai": "h200",
    "moonshot": "h200",
    "moonshotai": "h200",
    "alibaba": "h200",
    "qwen": "h200",
    "mistral": "h100-sxm",
    "meta": "h100-sxm",
    "meta-llama": "h100-sxm",
}
FALLBACK_HARDWARE = "gb200"


@dataclass(frozen=True)
class Reference:
    """The deployment the prices are read against, plus the operating point."""

    model_id: str
    hardware_id: str
    chips: int | None = None  # None: default_chips()
    weights: str = "fp8"
    compute: str = "fp8"
    kv_dtype: str = "bf16"
    context_tokens: int = 8192  # typical decode context for the batch inversion
    prompt_tokens: int = 8192  # prefill prompt length the decode cost is compared with
    batch: int = 128  # sequences, for the context inversion
    # Over-training arithmetic: a lab's traffic, the newest disclosed aggregate
    # (stand_ins_for) or this assumption when the disclosures file has none.
    traffic_tokens_per_s: float = 5e7
    traffic_basis: str = "an assumption"
    lifetime_days: float = 60.0
    basis: str = ""  # why this reference was chosen
    role: str = ""  # "stand-in: <kind>", "known architecture" or "given by the user"
    efficiency: Efficiency = DEFAULT_EFFICIENCY
    overlap: Overlap = "per-op"


def match_model(model_name: str, models: dict[str, ModelSpec]) -> ModelSpec | None:
    """The catalog architecture a priced model id names (longest alias wins)."""
    name = model_name.lower().replace("_", "-").replace(" ", "-")
    hits = [
        (len(alias), spec)
        for spec in models.values()
        for alias in (spec.id, *spec.aliases)
        if alias in name
    ]
    return max(hits, key=lambda hit: hit[0])[1] if hits else None


def stand_ins_for(
    provider: str,
    model_name: str,
    catalog: Catalog,
    assume_model: str | None = None,
    assume_hardware: str | None = None,
    efficiency: Efficiency = DEFAULT_EFFICIENCY,
    overlap: Overlap = "per-op",
) -> tuple[Reference, ...]:
    """The deployments one model's prices are read against (one when the model is known)."""
    hardware_id = assume_hardware or PROVIDER_HARDWARE.get(provider.lower(), FALLBACK_HARDWARE)
    catalog.get_hardware(hardware_id)
    hw_why = "hardware given by the user" if assume_hardware else f"{provider}'s default hardware"
    matched = match_model(model_name, catalog.models)
    if assume_model:
        chosen = [(assume_model, "given by the user", "architecture given by the user")]
    elif matched is not None:
        why = f"'{model_name}' matches catalog model {matched.id}"
        chosen = [(matched.id, "known architecture", why)]
    else:
        chosen = [
            (
                model_id,
                f"stand-in: {kind}",
                f"stand-in ({kind}) for {provider}'s unpublished architecture",
            )
            for model_id, kind in STAND_INS
        ]
    for model_id, _, _ in chosen:
        catalog.get_model(model_id)
    traffic = disclosed_traffic()
    disclosed: dict[str, Any] = (
        {} if traffic is None else {"traffic_tokens_per_s": traffic[0], "traffic_basis": traffic[1]}
    )
    return tuple(
        Reference(
            model_id=model_id,
            hardware_id=hardware_id,
            basis=f"{why}; {hw_why}",
            role=role,
            efficiency=efficiency,
            overlap=overlap,
            **disclosed,
        )
        for model_id, role, why in chosen
    )


@cache
def disclosed_traffic() -> tuple[float, str] | None:
    """The newest whole-lab aggregate of the disclosures file (model/catalog/
    disclosures.toml) as tokens per second, and which statement it is."""
    found = latest_aggregate(load_disclosures())
    if found is None or found.tokens_per_second is None:
        return None
    what = f"{found.value:.3g} {found.unit.replace('_', ' ')}"
    return found.tokens_per_second, f"disclosed by {found.who} on {found.date}: {what}"


def reference_for(
    provider: str,
    model_name: str,
    catalog: Catalog,
    assume_model: str | None = None,
    assume_hardware: str | None = None,
) -> Reference:
    """The first of the model's references (its known architecture, or the first stand-in)."""
    return stand_ins_for(provider, model_name, catalog, assume_model, assume_hardware)[0]


def deployment_for(ref: Reference, catalog: Catalog) -> Deployment:
    model, hardware = catalog.get_model(ref.model_id), catalog.get_hardware(ref.hardware_id)
    rates = hardware.dense_flops_per_s
    compute = next(p for p in (ref.compute, "bf16", "fp8", "fp4", "int8") if p in rates)
    chips = ref.chips or default_chips(model, hardware, ref.weights, model.expert_weights)
    return Deployment(
        model,
        hardware,
        chips,
        weights=ref.weights,
        compute=compute,
        kv_dtype=ref.kv_dtype,
        efficiency=ref.efficiency,
        expert_weights=model.expert_weights,
        overlap=ref.overlap,
    )
