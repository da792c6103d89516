"""Published configs normalised across families, read from the real files in
../shared/samples/model_configs."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from core.errors import BadPayload, LayoutChanged
from core.rows import ArchitectureRow
from extractors.watched import model_configs
from tests.paths import SAMPLES

FOLDER = SAMPLES / "model_configs"
pytestmark = pytest.mark.skipif(not FOLDER.is_dir(), reason=f"{FOLDER} (shared samples) absent")


def arch(file: str, key: str = "org/model") -> ArchitectureRow:
    (row,) = model_configs.parse((FOLDER / file).read_bytes(), key).architectures
    return row


def hf(repo: str) -> ArchitectureRow:
    return arch(f"hf_config_{repo.replace('/', '__')}.json", repo)


def edited(repo: str, **changes: Any) -> bytes:
    doc = json.loads((FOLDER / f"hf_config_{repo.replace('/', '__')}.json").read_text())
    return json.dumps(doc | changes).encode()


def test_deepseek_v3_states_mla_and_its_experts() -> None:
    v3 = hf("deepseek-ai/DeepSeek-V3")
    assert (v3.layers, v3.hidden_size, v3.heads, v3.kv_heads) == (61, 7168, 128, 128)
    assert (v3.mla_kv_lora_rank, v3.mla_q_lora_rank, v3.mla_rope_head_dim) == (512, 1536, 64)
    assert (v3.mla_nope_head_dim, v3.mla_v_head_dim, v3.head_dim) == (128, 128, None)
    assert (v3.experts_routed, v3.experts_per_token, v3.experts_shared) == (256, 8, 1)
    assert (v3.expert_intermediate_size, v3.intermediate_size, v3.dense_layers) == (2048, 18432, 3)
    assert (v3.weight_format, v3.expert_weight_format, v3.torch_dtype) == ("fp8", "fp8", "bf16")
    assert (v3.max_position_tokens, v3.sparse_attention_topk, v3.unmapped_fields) == (
        163840,
        None,
        (),
    )


def test_deepseeks_own_inference_config_agrees_with_the_hugging_face_one() -> None:
    own = asdict(arch("deepseek-infer_config__DeepSeek-V3__config_671B.json"))
    hub = asdict(hf("deepseek-ai/DeepSeek-V3"))
    both = {k for k, v in own.items() if v is not None and hub[k] is not None}
    assert {"layers", "hidden_size", "experts_routed", "experts_per_token", "dense_layers"} <= both
    differ = {k: (own[k], hub[k]) for k in both - {"source_model_key", "config_format"}}
    assert {k: v for k, v in differ.items() if v[0] != v[1]} == {}


def test_v32_and_v32_exp_state_the_sparse_attention_indexer() -> None:
    for row in (
        hf("deepseek-ai/DeepSeek-V3.2"),
        arch("deepseek-infer_config__DeepSeek-V3.2-Exp__config_671B_v3.2.json"),
    ):
        assert (row.sparse_attention_topk, row.indexer_heads, row.indexer_head_dim) == (
            2048,
            64,
            128,
        )


def test_v4_has_one_kv_head_a_window_and_fp4_experts_and_reports_its_new_fields() -> None:
    v4 = hf("deepseek-ai/DeepSeek-V4-Pro")
    assert (v4.kv_heads, v4.head_dim, v4.sliding_window_tokens) == (1, 512, 128)
    assert (v4.experts_routed, v4.experts_per_token, v4.expert_intermediate_size) == (384, 6, 3072)
    assert (v4.weight_format, v4.expert_weight_format) == ("fp8", "fp4")
    assert (v4.sparse_attention_topk, v4.max_position_tokens) == (1024, 1048576)
    assert {"compress_ratios", "hc_mult", "o_lora_rank"} <= set(v4.unmapped_fields)


def test_expert_counts_under_each_familys_own_name() -> None:
    counts = {
        repo: (r.experts_routed, r.experts_per_token, r.experts_shared)
        for repo in (
            "moonshotai/Kimi-K2-Instruct",
            "Qwen/Qwen3-235B-A22B",
            "mistralai/Mixtral-8x22B-v0.1",
            "openai/gpt-oss-120b",
            "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
            "meta-llama/Meta-Llama-3.1-405B",
        )
        for r in [hf(repo)]
    }
    assert counts == {
        "moonshotai/Kimi-K2-Instruct": (384, 8, 1),
        "Qwen/Qwen3-235B-A22B": (128, 8, None),
        "mistralai/Mixtral-8x22B-v0.1": (8, 2, None),
        "openai/gpt-oss-120b": (128, 4, None),
        "meta-llama/Llama-4-Maverick-17B-128E-Instruct": (128, 1, 1),  # not in its config
        "meta-llama/Meta-Llama-3.1-405B": (None, None, None),  # dense: not 0
    }


def test_wrapped_language_models_are_read_from_text_config() -> None:
    maverick = hf("meta-llama/Llama-4-Maverick-17B-128E-Instruct")
    assert (maverick.layers, maverick.moe_layer_step) == (48, 2)
    assert (maverick.expert_intermediate_size, maverick.intermediate_size) == (8192, 16384)
    assert maverick.unmapped_fields == ("attention_chunk_size",)
    k25 = hf("moonshotai/Kimi-K2.5")
    assert (k25.layers, k25.experts_routed, k25.max_position_tokens) == (61, 384, 262144)
    # compressed-tensors int4 that ignores attention, shared experts and dense MLPs
    assert (k25.weight_format, k25.expert_weight_format) == ("bf16", "int4")


def test_sliding_windows_count_only_layers_that_use_them() -> None:
    oss = hf("openai/gpt-oss-120b")
    assert (oss.sliding_window_tokens, oss.sliding_window_layers, oss.layers) == (128, 18, 36)
    assert (oss.weight_format, oss.expert_weight_format) == (None, "mxfp4")  # no dtype stated
    qwen = hf("Qwen/Qwen3-235B-A22B")  # states use_sliding_window false
    assert (qwen.sliding_window_tokens, qwen.sliding_window_layers) == (None, None)


def test_a_quantity_stated_twice_must_agree() -> None:
    assert hf("openai/gpt-oss-120b").experts_per_token == 4  # both names say 4
    with pytest.raises(LayoutChanged, match="num_experts_per_tok = 8, experts_per_token = 4"):
        model_configs.parse(edited("openai/gpt-oss-120b", num_experts_per_tok=8), "o/m")


def test_unknown_fields_are_reported_and_the_rest_still_reads() -> None:
    got = model_configs.parse(edited("Qwen/Qwen3-30B-A3B", expert_capacity=2), "Qwen/x")
    assert got.unmapped_fields == {"expert_capacity"}
    assert got.architectures[0].experts_routed == 128


@pytest.mark.parametrize(
    ("payload", "error", "message"),
    [
        ((FOLDER / "hf_api_model_zai-org__GLM-4.6_2026-10-05.json").read_bytes(), BadPayload,
         "Hub API model record"),
        (b"<!DOCTYPE html><title>Access to model is restricted</title>", BadPayload, "HTML page"),
        (b'{"vocab_size": 32000}', LayoutChanged, "not a model config"),
        (b'{"num_hidden_layers": 3.5}', LayoutChanged, "not a whole number"),
        (b"[1, 2]", BadPayload, "not a JSON object"),
    ],
)  # fmt: skip
def test_what_is_no_config_is_a_typed_failure(
    payload: bytes, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        model_configs.parse(payload, "org/model")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("hf_config_deepseek-ai__DeepSeek-V3.json", "deepseek-ai/DeepSeek-V3"),
        ("hf_config_Qwen__Qwen3-30B-A3B.json.gz", "Qwen/Qwen3-30B-A3B"),
        ("config.json", "config"),
        ("deepseek-infer_config__DeepSeek-V3__config_671B.json",
         "deepseek-infer_config__DeepSeek-V3__config_671B"),
    ],
)  # fmt: skip
def test_a_saved_files_name_gives_its_repo_id(name: str, key: str) -> None:
    assert model_configs.key_for_file(Path(name)) == key
