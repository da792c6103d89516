"""Catalog entries against the real Hugging Face configs in ../shared/samples."""

from __future__ import annotations

import json
from typing import Any

import pytest

from model.catalog.load import Catalog
from tests.paths import SAMPLES

CONFIGS = SAMPLES / "model_configs"
pytestmark = pytest.mark.skipif(
    not CONFIGS.is_dir(), reason=f"{CONFIGS} (the shared samples) is absent"
)


def _config(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((CONFIGS / name).read_text(encoding="utf-8"))
    return doc.get("text_config", doc)


@pytest.mark.parametrize(
    ("model_id", "file"),
    [
        ("deepseek-v3", "hf_config_deepseek-ai__DeepSeek-V3.json"),
        ("deepseek-v3.2", "hf_config_deepseek-ai__DeepSeek-V3.2.json"),
        ("kimi-k2", "hf_config_moonshotai__Kimi-K2-Instruct.json"),
        ("kimi-k2.5", "hf_config_moonshotai__Kimi-K2.5.json"),
    ],
)
def test_mla_moe_entries_match_their_configs(catalog: Catalog, model_id: str, file: str) -> None:
    cfg, m = _config(file), catalog.get_model(model_id)
    assert (m.layers, m.d_model, m.heads) == (
        cfg["num_hidden_layers"],
        cfg["hidden_size"],
        cfg["num_attention_heads"],
    )
    assert (m.mla_latent_dim, m.mla_rope_dim) == (cfg["kv_lora_rank"], cfg["qk_rope_head_dim"])
    assert (m.experts_routed, m.experts_active, m.experts_shared) == (
        cfg["n_routed_experts"],
        cfg["num_experts_per_tok"],
        cfg["n_shared_experts"],
    )
    assert m.dense_layers == cfg["first_k_dense_replace"]
    limited = cfg["topk_group"] < cfg["n_group"]
    assert (m.expert_groups, m.expert_groups_per_token) == (
        (cfg["n_group"], cfg["topk_group"]) if limited else (0, 0)
    )


def test_v32_sparse_attention_matches_its_indexer(catalog: Catalog) -> None:
    cfg, m = (
        _config("hf_config_deepseek-ai__DeepSeek-V3.2.json"),
        catalog.get_model("deepseek-v3.2"),
    )
    assert cfg["model_type"] == "deepseek_v32"
    assert (m.sparse_attention_tokens, m.indexer_heads, m.indexer_head_dim) == (
        cfg["index_topk"],
        cfg["index_n_heads"],
        cfg["index_head_dim"],
    )
    assert m.context_tokens == cfg["max_position_embeddings"]


def test_gpt_oss_experts_ship_in_mxfp4(catalog: Catalog) -> None:
    cfg, m = _config("hf_config_openai__gpt-oss-120b.json"), catalog.get_model("gpt-oss-120b")
    assert cfg["quantization_config"]["quant_method"] == "mxfp4"
    assert m.expert_weights == "mxfp4"
    assert (m.experts_routed, m.experts_active) == (cfg["num_local_experts"], 4)


def test_kimi_k25_experts_ship_in_int4(catalog: Catalog) -> None:
    cfg = _config("hf_config_moonshotai__Kimi-K2.5.json")
    weights = cfg["quantization_config"]["config_groups"]["group_0"]["weights"]
    assert (weights["num_bits"], weights["type"]) == (4, "int")
    assert catalog.get_model("kimi-k2.5").expert_weights == "int4"
    assert catalog.get_model("kimi-k2.5").context_tokens == cfg["max_position_embeddings"]


@pytest.mark.parametrize(
    ("model_id", "file"),
    [
        ("qwen3-235b-a22b", "hf_config_Qwen__Qwen3-235B-A22B.json"),
        ("llama-3.1-70b", "hf_config_meta-llama__Meta-Llama-3.1-70B.json"),
    ],
)
def test_gqa_stand_ins_match_their_configs(catalog: Catalog, model_id: str, file: str) -> None:
    cfg, m = _config(file), catalog.get_model(model_id)
    head_dim = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
    assert (m.layers, m.d_model, m.heads, m.kv_heads, m.head_dim) == (
        cfg["num_hidden_layers"],
        cfg["hidden_size"],
        cfg["num_attention_heads"],
        cfg["num_key_value_heads"],
        head_dim,
    )
