"""The shipped catalog agrees with the configs it was built from, and a config read
straight into the roofline gives the catalog's figures."""

from __future__ import annotations

import json

import pytest

from extractors.watched.architecture import normalise
from model.catalog.from_config import spec_from_architecture
from model.catalog.load import Catalog
from model.catalog.specs import ModelSpec
from tests.paths import SAMPLES

CONFIGS = SAMPLES / "model_configs"
pytestmark = pytest.mark.skipif(not CONFIGS.is_dir(), reason=f"{CONFIGS} absent")
BUILT_FROM = {
    "deepseek-v3": "deepseek-ai/DeepSeek-V3",
    "kimi-k2": "moonshotai/Kimi-K2-Instruct",
    "qwen3-235b-a22b": "Qwen/Qwen3-235B-A22B",
    "gpt-oss-120b": "openai/gpt-oss-120b",
    "llama-3.1-70b": "meta-llama/Llama-3.1-70B-Instruct",
    "llama-3.1-405b": "meta-llama/Meta-Llama-3.1-405B",
    "mixtral-8x22b": "mistralai/Mixtral-8x22B-v0.1",
}
STRUCTURE = (
    "layers", "d_model", "heads", "kv_heads", "head_dim", "attention", "mla_latent_dim",
    "mla_rope_dim", "sliding_window_layers", "sliding_window_tokens", "experts_routed",
    "experts_active", "experts_shared",
)  # fmt: skip


def from_config(repo: str) -> ModelSpec:
    doc = json.loads((CONFIGS / f"hf_config_{repo.replace('/', '__')}.json").read_text())
    return spec_from_architecture(normalise("model-configs", repo, doc))


@pytest.mark.parametrize(("catalog_id", "repo"), list(BUILT_FROM.items()))
def test_the_catalog_states_what_the_config_states(
    catalog: Catalog, catalog_id: str, repo: str
) -> None:
    shipped, read = catalog.get_model(catalog_id), from_config(repo)
    assert {f: getattr(read, f) for f in STRUCTURE} == {f: getattr(shipped, f) for f in STRUCTURE}
    # Parameters are counted from the config; the catalog states the published totals.
    assert read.total_params == pytest.approx(shipped.total_params, rel=0.02)
    assert read.active_params == pytest.approx(shipped.active_params, rel=0.03)
