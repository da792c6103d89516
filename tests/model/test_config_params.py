"""Parameter counts read from the real configs, against the figures their makers publish."""

from __future__ import annotations

import json

import pytest

from core.rows import ArchitectureRow
from extractors.watched.architecture import normalise
from model.catalog.config_params import parameter_counts
from tests.paths import SAMPLES

CONFIGS = SAMPLES / "model_configs"
pytestmark = pytest.mark.skipif(not CONFIGS.is_dir(), reason=f"{CONFIGS} absent")


def arch(repo: str) -> ArchitectureRow:
    doc = json.loads((CONFIGS / f"hf_config_{repo.replace('/', '__')}.json").read_text())
    return normalise("model-configs", repo, doc)


# (total, active) as the model cards and technical reports state them.
PUBLISHED = {
    "deepseek-ai/DeepSeek-V3": (671e9, 37e9),
    "moonshotai/Kimi-K2-Instruct": (1.04e12, 32.6e9),
    "Qwen/Qwen3-235B-A22B": (235e9, 22e9),
    "Qwen/Qwen3-30B-A3B": (30.5e9, 3.3e9),
    "Qwen/Qwen3-Coder-480B-A35B-Instruct": (480e9, 35e9),
    "openai/gpt-oss-120b": (116.8e9, 5.1e9),
    "openai/gpt-oss-20b": (20.9e9, 3.6e9),
    "mistralai/Mixtral-8x22B-v0.1": (141e9, 39e9),
    "meta-llama/Meta-Llama-3.1-70B": (70.6e9, 70.6e9),
    "meta-llama/Meta-Llama-3.1-405B": (405e9, 405e9),
    "meta-llama/Llama-4-Maverick-17B-128E-Instruct": (400e9, 17e9),
    "meta-llama/Llama-4-Scout-17B-16E-Instruct": (109e9, 17e9),
}


@pytest.mark.parametrize(("repo", "published"), PUBLISHED.items())
def test_counts_agree_with_the_published_figures(repo: str, published: tuple[float, float]) -> None:
    counts = parameter_counts(arch(repo))
    assert counts is not None
    total, active = published
    assert counts.total == pytest.approx(total, rel=0.02)
    # Makers differ on whether the input embedding counts as active; it is a lookup here.
    assert counts.active == pytest.approx(active, rel=0.10)


def test_deepseek_v3_counts_to_the_parameter() -> None:
    counts = parameter_counts(arch("deepseek-ai/DeepSeek-V3"))
    assert counts is not None
    # 58 MoE layers x 256 experts x 3 x 7168 x 2048
    assert counts.expert == 58 * 256 * 3 * 7168 * 2048
    h, vocab = 7168, 129280
    attention = (
        h * 1536 + 1536 * 128 * (128 + 64) + h * (512 + 64) + 512 * 128 * 256 + 128 * 128 * h
    )
    dense_mlp, expert, router = 3 * h * 18432, 3 * h * 2048, h * 256
    total = 2 * vocab * h + 61 * attention + 3 * dense_mlp + 58 * (257 * expert + router)
    active = vocab * h + 61 * attention + 3 * dense_mlp + 58 * (9 * expert + router)
    assert (counts.total, counts.active) == (total, active)


def test_an_attention_it_cannot_count_gives_none_not_a_guess() -> None:
    assert parameter_counts(arch("deepseek-ai/DeepSeek-V4-Pro")) is None
