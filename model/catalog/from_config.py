"""A roofline architecture (ModelSpec) read straight from a normalised config.

`thesis roofline ... --model-config FILE` uses it, and a test checks that the shipped
catalog (models.toml) agrees with the configs it was built from.
"""

from __future__ import annotations

from core.errors import ConfigError
from core.rows import ArchitectureRow
from model.catalog.config_params import parameter_counts
from model.catalog.specs import ModelSpec


def spec_from_architecture(a: ArchitectureRow) -> ModelSpec:
    """The config's architecture as the roofline reads it; its id is the repo's name with
    `+config` (`deepseek-v3+config`), never a catalog id."""
    counts = parameter_counts(a)
    missing = [n for n in ("layers", "hidden_size", "heads") if getattr(a, n) is None]
    if counts is None or missing or a.layers is None or a.hidden_size is None or a.heads is None:
        raise ConfigError(
            f"{a.source_model_key}: the config does not state {', '.join(missing) or 'sizes'}"
            " the roofline needs; give the architecture with --model-file instead"
        )
    kv_heads = a.kv_heads or a.heads
    mla = a.mla_kv_lora_rank is not None
    return ModelSpec(
        id=a.source_model_key.rsplit("/", 1)[-1].lower() + "+config",
        name=f"{a.source_model_key} (from its config)",
        layers=a.layers,
        d_model=a.hidden_size,
        heads=a.heads,
        kv_heads=kv_heads,
        head_dim=a.head_dim or a.mla_v_head_dim or a.hidden_size // a.heads,
        attention="mla" if mla else _grouping(a.heads, kv_heads),
        total_params=float(counts.total),
        active_params=float(counts.active),
        context_tokens=a.max_position_tokens or 0,
        mla_latent_dim=a.mla_kv_lora_rank or 0,
        mla_rope_dim=(a.mla_rope_head_dim or 0) if mla else 0,
        sliding_window_layers=a.sliding_window_layers or 0,
        sliding_window_tokens=a.sliding_window_tokens or 0,
        experts_routed=a.experts_routed or 0,
        experts_active=a.experts_per_token or 0,
        experts_shared=a.experts_shared or 0,
        source_url=f"https://huggingface.co/{a.source_model_key}/blob/main/config.json",
        confidence="the model's config.json",
    )


def _grouping(heads: int, kv_heads: int) -> str:
    if kv_heads == heads:
        return "mha"
    return "mqa" if kv_heads == 1 else "gqa"
