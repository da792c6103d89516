"""The assumed architecture and hardware behind a provider's prices (documented defaults).

Closed models publish neither, so the inversion needs a stand-in. Defaults:

| provider  | architecture  | hardware  | why                                                   |
|-----------|---------------|-----------|-------------------------------------------------------|
| openai    | deepseek-v3   | gb200     | frontier-scale MoE; NVL72 is Pope's reference rack    |
| anthropic | deepseek-v3   | trainium2 | frontier-scale MoE; Anthropic's Trainium2 fleet       |
| google    | deepseek-v3   | tpu7x     | frontier-scale MoE; Gemini serves on TPUs             |
| deepseek  | deepseek-v3   | h100-sxm  | the model itself; H800 is a bandwidth-cut H100        |
| xai       | deepseek-v3   | h200      | frontier-scale MoE; Hopper-class fleet                |
| moonshot  | kimi-k2       | h200      | the model itself                                      |
| alibaba   | qwen3-235b-a22b | h200    | the model itself                                      |
| mistral   | mixtral-8x22b | h100-sxm  | Mistral's largest open MoE                            |
| meta      | llama-3.1-405b | h100-sxm | Meta's largest open dense model                       |
| (other)   | deepseek-v3   | gb200     | frontier-scale MoE on the reference rack              |

A priced model whose id matches a catalog alias (gpt-oss-120b, deepseek-chat, ...) uses
that architecture whoever serves it. --assume-model / --assume-hardware override both.
Weights and compute default to fp8 (how DeepSeek-V3 ships), falling back to bf16 compute
on chips without an fp8 rate; the KV cache defaults to bf16.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.catalog.load import Catalog
from model.catalog.specs import ModelSpec
from model.roofline.deployment import Deployment, default_chips

PROVIDER_DEFAULTS: dict[str, tuple[str, str]] = {
    "openai": ("deepseek-v3", "gb200"),
    "azure": ("deepseek-v3", "gb200"),
    "anthropic": ("deepseek-v3", "trainium2"),
    "google": ("deepseek-v3", "tpu7x"),
    "gemini": ("deepseek-v3", "tpu7x"),
    "vertex_ai": ("deepseek-v3", "tpu7x"),
    "deepseek": ("deepseek-v3", "h100-sxm"),
    "xai": ("deepseek-v3", "h200"),
    "moonshot": ("kimi-k2", "h200"),
    "moonshotai": ("kimi-k2", "h200"),
    "alibaba": ("qwen3-235b-a22b", "h200"),
    "qwen": ("qwen3-235b-a22b", "h200"),
    "mistral": ("mixtral-8x22b", "h100-sxm"),
    "meta": ("llama-3.1-405b", "h100-sxm"),
    "meta-llama": ("llama-3.1-405b", "h100-sxm"),
}
FALLBACK = ("deepseek-v3", "gb200")


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
    traffic_tokens_per_s: float = 5e7  # over-training arithmetic; an assumption
    lifetime_days: float = 60.0
    basis: str = ""  # why this reference was chosen


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


def reference_for(
    provider: str,
    model_name: str,
    catalog: Catalog,
    assume_model: str | None = None,
    assume_hardware: str | None = None,
) -> Reference:
    default_model, default_hw = PROVIDER_DEFAULTS.get(provider.lower(), FALLBACK)
    matched = match_model(model_name, catalog.models)
    if assume_model:
        model_id, why = assume_model, "architecture given by the user"
    elif matched is not None:
        model_id, why = matched.id, f"'{model_name}' matches catalog model {matched.id}"
    else:
        model_id, why = default_model, f"default stand-in architecture for {provider}"
    hardware_id = assume_hardware or default_hw
    why += (
        "; hardware given by the user" if assume_hardware else f"; default hardware for {provider}"
    )
    catalog.get_model(model_id)
    catalog.get_hardware(hardware_id)
    return Reference(model_id=model_id, hardware_id=hardware_id, basis=why)


def deployment_for(ref: Reference, catalog: Catalog) -> Deployment:
    model, hardware = catalog.get_model(ref.model_id), catalog.get_hardware(ref.hardware_id)
    rates = hardware.dense_flops_per_s
    compute = next(p for p in (ref.compute, "bf16", "fp8", "fp4", "int8") if p in rates)
    chips = ref.chips or default_chips(model, hardware, ref.weights)
    return Deployment(
        model, hardware, chips, weights=ref.weights, compute=compute, kv_dtype=ref.kv_dtype
    )
