from __future__ import annotations

import pytest

from core.errors import ConfigError
from model.catalog.load import Catalog
from model.inversion.references import (
    deployment_for,
    match_model,
    reference_for,
    stand_ins_for,
)


@pytest.mark.parametrize(
    ("priced", "expected"),
    [
        ("openai/gpt-oss-120b", "gpt-oss-120b"),
        ("deepseek-chat", "deepseek-v3.2"),
        ("deepseek-v3.2-exp", "deepseek-v3.2"),
        ("deepseek-ai/DeepSeek-V3-0324", "deepseek-v3"),
        ("fireworks/gpt-oss-120b", "gpt-oss-120b"),
        ("moonshotai/kimi-k2.5", "kimi-k2.5"),
        ("google/gemma-4-31b-it", "gemma-4-31b"),
        ("Meta-Llama-3.1-70B-Instruct-Turbo", "llama-3.1-70b"),
        ("llama-3.1-8b-instant", "llama-3.1-8b"),
        ("claude-sonnet-4-5", None),
    ],
)
def test_priced_model_ids_match_catalog_aliases(
    catalog: Catalog, priced: str, expected: str | None
) -> None:
    found = match_model(priced, catalog.models)
    assert (found.id if found else None) == expected


def test_an_unknown_model_is_read_against_the_three_stand_ins(catalog: Catalog) -> None:
    refs = stand_ins_for("google", "gemini-2.5-pro", catalog)
    assert [r.model_id for r in refs] == ["deepseek-v3.2", "qwen3-235b-a22b", "llama-3.1-70b"]
    assert {r.hardware_id for r in refs} == {"tpu7x"}
    assert [r.role for r in refs] == [
        "stand-in: MLA MoE with sparse attention",
        "stand-in: GQA MoE",
        "stand-in: dense GQA 70B-class",
    ]
    assert all("google's default hardware" in r.basis for r in refs)
    assert reference_for("google", "gemini-2.5-pro", catalog) == refs[0]


def test_a_known_architecture_wins_over_the_provider_default(catalog: Catalog) -> None:
    ref = reference_for("groq", "openai/gpt-oss-120b", catalog)
    assert ref.model_id == "gpt-oss-120b"
    assert ref.hardware_id == "gb200"  # unknown provider: the fallback rack


def test_user_assumptions_override_both(catalog: Catalog) -> None:
    ref = reference_for("openai", "gpt-5", catalog, "llama-3.1-405b", "h200")
    assert (ref.model_id, ref.hardware_id) == ("llama-3.1-405b", "h200")
    with pytest.raises(ConfigError, match="unknown hardware 'h9000'"):
        reference_for("openai", "gpt-5", catalog, None, "h9000")


def test_chips_without_an_fp8_rate_compute_in_bf16(catalog: Catalog) -> None:
    ref = reference_for("google", "gemini", catalog, assume_hardware="tpu-v6e")
    dep = deployment_for(ref, catalog)
    assert (dep.weights, dep.compute) == ("fp8", "bf16")


def test_routed_experts_are_read_in_the_format_the_model_ships(catalog: Catalog) -> None:
    dep = deployment_for(reference_for("groq", "openai/gpt-oss-120b", catalog), catalog)
    assert (dep.weights, dep.expert_weights) == ("fp8", "mxfp4")
    model = catalog.get_model("gpt-oss-120b")
    expected = model.dense_params * 1 + model.routed_expert_params * 4.25 / 8
    assert dep.weight_bytes_total == expected


def test_the_over_training_traffic_is_the_newest_whole_lab_disclosure_and_says_so(
    catalog: Catalog,
) -> None:
    ref = reference_for("google", "gemini-2.5-pro", catalog)
    # Google, I/O 2026: 3.2 quadrillion tokens a month over all surfaces.
    assert ref.traffic_tokens_per_s == pytest.approx(3.2e15 / (86_400 * 365.25 / 12))
    assert ref.traffic_basis == (
        "disclosed by Google (Sundar Pichai, I/O 2026 keynote) on 2026-05-19:"
        " 3.2e+15 tokens per month"
    )
