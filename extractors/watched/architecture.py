"""A model's config, normalised across families into one ArchitectureRow (pure).

Hugging Face configs name the same quantity differently per family (expert counts are
`n_routed_experts` in DeepSeek and Kimi, `num_experts` in Qwen3 MoE, `num_local_experts`
in Mixtral, gpt-oss and Llama 4) and multimodal wrappers keep the language model under
`text_config`. DeepSeek's own inference configs use a third vocabulary (`dim`,
`n_layers`, `n_activated_experts`). Each field below lists its names in order; a value
stated twice under different names must agree, or the config is refused rather than
guessed. Fields that no rule reads are reported as unmapped (the payload itself is
archived whole, so a later parser can use them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.errors import BadPayload, LayoutChanged
from core.rows import ArchitectureRow
from extractors.watched.config_fields import IGNORED_FIELDS, WRAPPER_FIELDS

# ArchitectureRow field -> the config names that state it, per format; DeepSeek's MLA and
# sparse-attention indexer fields are named alike in both formats.
SHARED_NAMES: dict[str, tuple[str, ...]] = {
    "mla_kv_lora_rank": ("kv_lora_rank",),
    "mla_q_lora_rank": ("q_lora_rank",),
    "mla_rope_head_dim": ("qk_rope_head_dim",),
    "mla_nope_head_dim": ("qk_nope_head_dim",),
    "mla_v_head_dim": ("v_head_dim",),
    "sparse_attention_topk": ("index_topk",),
    "indexer_heads": ("index_n_heads",),
    "indexer_head_dim": ("index_head_dim",),
}
HF_NAMES: dict[str, tuple[str, ...]] = {
    "layers": ("num_hidden_layers",),
    "hidden_size": ("hidden_size",),
    "heads": ("num_attention_heads",),
    "kv_heads": ("num_key_value_heads",),
    "head_dim": ("head_dim",),
    "experts_routed": ("n_routed_experts", "num_experts", "num_local_experts"),
    "experts_per_token": ("num_experts_per_tok", "experts_per_token"),
    "experts_shared": ("n_shared_experts",),
    "expert_intermediate_size": ("moe_intermediate_size",),
    "dense_layers": ("first_k_dense_replace",),
    "moe_layer_step": ("interleave_moe_layer_step", "moe_layer_freq", "decoder_sparse_step"),
    **SHARED_NAMES,
    "max_position_tokens": ("max_position_embeddings",),
    "vocab_size": ("vocab_size",),
}
DEEPSEEK_NAMES: dict[str, tuple[str, ...]] = {
    "layers": ("n_layers",),
    "hidden_size": ("dim",),
    "heads": ("n_heads",),
    "intermediate_size": ("inter_dim",),
    "experts_routed": ("n_routed_experts",),
    "experts_per_token": ("n_activated_experts",),
    "experts_shared": ("n_shared_experts",),
    "expert_intermediate_size": ("moe_inter_dim",),
    "dense_layers": ("n_dense_layers",),
    **SHARED_NAMES,
    "max_position_tokens": ("max_seq_len",),
    "vocab_size": ("vocab_size",),
}
# Read by the rules below rather than by a name table.
HF_RULE_FIELDS = frozenset(
    {
        "model_type",
        "intermediate_size",
        "intermediate_size_mlp",
        "sliding_window",
        "use_sliding_window",
        "layer_types",
        "torch_dtype",
        "dtype",
        "quantization_config",
        "expert_dtype",
        "tie_word_embeddings",
        "text_config",
    }
)
DEEPSEEK_RULE_FIELDS = frozenset({"dtype"})
DTYPES = {"bfloat16": "bf16", "float16": "fp16", "float32": "fp32", "bf16": "bf16", "fp8": "fp8"}


class _NotWhole(ValueError):
    """A count that is not a whole number (the caller names the source and model)."""


def normalise(source: str, key: str, doc: object) -> ArchitectureRow:
    """The architecture a config document states; BadPayload when it is no config,
    LayoutChanged when it is one this normaliser cannot read without guessing."""
    try:
        return _normalise(source, key, doc)
    except _NotWhole as err:
        raise LayoutChanged(source, f"{key}: {err}") from None


def _normalise(source: str, key: str, doc: object) -> ArchitectureRow:
    if not isinstance(doc, Mapping):
        raise BadPayload(source, f"{key}: config is not a JSON object")
    if "safetensors" in doc and "config" in doc and "modelId" in doc:
        raise BadPayload(
            source,
            f"{key}: a Hub API model record (/api/models/...), not a config.json; "
            "fetch resolve/main/config.json instead",
        )
    if "n_layers" in doc and "dim" in doc:
        return _deepseek_inference(source, key, doc)
    if "num_hidden_layers" in doc or "text_config" in doc:
        return _hugging_face(source, key, doc)
    raise LayoutChanged(
        source, f"{key}: neither num_hidden_layers nor text_config nor n_layers: not a model config"
    )


def _hugging_face(source: str, key: str, top: Mapping[str, Any]) -> ArchitectureRow:
    text = top.get("text_config")
    cfg: Mapping[str, Any] = text if isinstance(text, Mapping) else top
    if "num_hidden_layers" not in cfg:
        raise LayoutChanged(source, f"{key}: text_config states no num_hidden_layers")
    values: dict[str, Any] = {f: _one(source, key, cfg, names) for f, names in HF_NAMES.items()}
    is_moe = values["experts_routed"] is not None
    if values["head_dim"] is None and values["mla_kv_lora_rank"] is None and values["heads"]:
        # transformers' own default for a config that omits head_dim
        values["head_dim"] = _div(values["hidden_size"], values["heads"])
    values["intermediate_size"] = _int(cfg, "intermediate_size_mlp") or _int(
        cfg, "intermediate_size"
    )
    if is_moe and values["expert_intermediate_size"] is None:
        # Mixtral, gpt-oss and Llama 4: each expert is an MLP of intermediate_size, and a
        # dense MLP exists only where the config names one (Llama 4's interleaved layers).
        values["expert_intermediate_size"] = _int(cfg, "intermediate_size")
        values["intermediate_size"] = _int(cfg, "intermediate_size_mlp")
    if values["experts_shared"] is None and cfg.get("model_type") == "llama4_text":
        # Llama 4's MoE layers always add one shared expert (transformers' Llama4TextMoe
        # builds it whatever the config says), and its config has no field for it.
        values["experts_shared"] = 1
    window, window_layers = _sliding_window(cfg, values["layers"])
    dtype = _dtype(
        cfg.get("torch_dtype") or cfg.get("dtype") or top.get("torch_dtype") or top.get("dtype")
    )
    weights, experts = _weight_formats(
        top.get("quantization_config") or cfg.get("quantization_config"), dtype
    )
    expert_dtype = cfg.get("expert_dtype")
    unmapped = _unmapped(cfg, HF_NAMES, HF_RULE_FIELDS)
    if cfg is not top:
        unmapped |= {f"{name} (outside text_config)" for name in _unmapped(top, {}, WRAPPER_FIELDS)}
    model_type = cfg.get("model_type") or top.get("model_type")
    return ArchitectureRow(
        source=source,
        source_model_key=key,
        config_format="hf",
        model_type=str(model_type) if model_type else None,
        sliding_window_tokens=window,
        sliding_window_layers=window_layers,
        tied_embeddings=_bool(cfg.get("tie_word_embeddings", top.get("tie_word_embeddings"))),
        torch_dtype=dtype,
        weight_format=weights,
        expert_weight_format=str(expert_dtype) if expert_dtype else (experts if is_moe else None),
        unmapped_fields=tuple(sorted(unmapped)),
        **values,
    )


def _deepseek_inference(source: str, key: str, cfg: Mapping[str, Any]) -> ArchitectureRow:
    values: dict[str, Any] = {
        f: _one(source, key, cfg, names) for f, names in DEEPSEEK_NAMES.items()
    }
    dtype = _dtype(cfg.get("dtype"))
    return ArchitectureRow(
        source=source,
        source_model_key=key,
        config_format="deepseek-inference",
        model_type=None,
        kv_heads=None,
        head_dim=None,
        moe_layer_step=None,
        weight_format=dtype,
        expert_weight_format=dtype if values["experts_routed"] is not None else None,
        unmapped_fields=tuple(sorted(_unmapped(cfg, DEEPSEEK_NAMES, DEEPSEEK_RULE_FIELDS))),
        **values,
    )


def _one(source: str, key: str, cfg: Mapping[str, Any], names: tuple[str, ...]) -> int | None:
    """The field under whichever of its names the config uses; two names must agree."""
    stated = {name: _int(cfg, name) for name in names if cfg.get(name) is not None}
    distinct = set(stated.values())
    if len(distinct) > 1:
        both = ", ".join(f"{n} = {v}" for n, v in stated.items())
        raise LayoutChanged(source, f"{key}: the config states one quantity twice: {both}")
    return distinct.pop() if distinct else None


def _int(cfg: Mapping[str, Any], name: str) -> int | None:
    value = cfg.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise _NotWhole(f"{name} = {value!r} is not a whole number")
    return int(value)


def _div(a: int | None, b: int | None) -> int | None:
    return a // b if a is not None and b else None


def _bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _sliding_window(cfg: Mapping[str, Any], layers: int | None) -> tuple[int | None, int | None]:
    """(window tokens, layers using it). Qwen states a window it does not use."""
    window = _int(cfg, "sliding_window")
    if window is None or cfg.get("use_sliding_window") is False:
        return None, None
    kinds = cfg.get("layer_types")
    if isinstance(kinds, list):
        return window, sum(1 for k in kinds if k == "sliding_attention")
    return window, None


def _dtype(value: object) -> str | None:
    if value is None:
        return None
    return DTYPES.get(str(value), str(value))


def _weight_formats(quant: object, dtype: str | None) -> tuple[str | None, str | None]:
    """(format of the weights in general, format of the expert weights).

    A quantization that leaves attention out (gpt-oss's modules_to_not_convert, Kimi
    K2.5's ignore list) quantizes the experts only; one without such a list applies to
    every linear layer.
    """
    if not isinstance(quant, Mapping):
        return dtype, dtype
    fmt = _quant_format(quant)
    skipped = quant.get("modules_to_not_convert") or quant.get("ignore") or []
    experts_only = any("attn" in str(pattern) for pattern in skipped)
    return (dtype if experts_only else fmt), fmt


def _quant_format(quant: Mapping[str, Any]) -> str:
    method = str(quant.get("quant_method", "unknown"))
    groups = quant.get("config_groups")
    if method == "compressed-tensors" and isinstance(groups, Mapping):
        kinds = {
            f"{w.get('type', '')}{w.get('num_bits', '')}"
            for g in groups.values()
            if isinstance(g, Mapping) and isinstance(w := g.get("weights"), Mapping)
        }
        if len(kinds) == 1:
            return kinds.pop().replace("float", "fp")
    return method


def _unmapped(
    cfg: Mapping[str, Any], names: Mapping[str, tuple[str, ...]], rule_fields: frozenset[str]
) -> set[str]:
    read = {n for group in names.values() for n in group} | rule_fields
    return {k for k in cfg if k not in read and k not in IGNORED_FIELDS}
