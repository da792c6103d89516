from __future__ import annotations

import pytest

from core.errors import ConfigError
from model.catalog.load import Catalog
from model.inversion.references import deployment_for, match_model, reference_for


@pytest.mark.parametrize(
    ("priced", "expected"),
    [
        ("openai/gpt-oss-120b", "gpt-oss-120b"),
        ("deepseek-chat", "deepseek-v3"),
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


def test_provider_default_applies_when_the_model_is_unknown(catalog: Catalog) -> None:
    ref = reference_for("google", "gemini-2.5-pro", catalog)
    assert (ref.model_id, ref.hardware_id) == ("deepseek-v3", "tpu7x")
    assert "default stand-in architecture for google" in ref.basis


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
