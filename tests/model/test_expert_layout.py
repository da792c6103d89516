"""Expert layout against scale-up domains, from the real configs: the arithmetic shown."""

from __future__ import annotations

import json

import pytest

from core.rows import ArchitectureRow
from extractors.watched.architecture import normalise
from model.catalog.config_params import parameter_counts
from model.roofline.expert_layout import check_layout, weight_bytes
from tests.paths import SAMPLES

CONFIGS = SAMPLES / "model_configs"
pytestmark = pytest.mark.skipif(not CONFIGS.is_dir(), reason=f"{CONFIGS} absent")


def arch(repo: str) -> ArchitectureRow:
    doc = json.loads((CONFIGS / f"hf_config_{repo.replace('/', '__')}.json").read_text())
    return normalise("model-configs", repo, doc)


def check(
    repo: str, domain: str, chips: int, hbm: float
) -> tuple[bool, bool | None, tuple[str, ...]]:
    a = arch(repo)
    counts = parameter_counts(a)
    assert counts is not None
    result = check_layout(a, counts, domain, chips, hbm)
    return result.divides, result.fits, result.lines


def test_deepseek_v3_divides_over_eight_chips_but_its_fp8_weights_do_not_fit_in_eight_h100s() -> (
    None
):
    divides, fits, lines = check("deepseek-ai/DeepSeek-V3", "hgx-h100-8", 8, 80e9)
    assert (divides, fits) == (True, False)
    assert lines == (
        "256 routed experts over hgx-h100-8's 8 chips = 32 per chip (divides evenly)",
        "weights 653.9B expert params at fp8 + 17.1B others at fp8 = 671 GB do not fit in "
        "8 x 80 GB = 640 GB of HBM",
    )


def test_256_or_384_experts_do_not_divide_over_a_72_chip_rack() -> None:
    for repo, per_chip in (
        ("deepseek-ai/DeepSeek-V3", "3.556"),
        ("moonshotai/Kimi-K2-Instruct", "5.333"),
    ):
        divides, fits, lines = check(repo, "gb200-nvl72", 72, 186e9)
        assert (divides, fits) == (False, True)
        assert f"= {per_chip} per chip (does not divide evenly)" in lines[0]


def test_fewer_experts_than_chips_divide_when_the_chips_are_a_multiple() -> None:
    divides, fits, _ = check("mistralai/Mixtral-8x22B-v0.1", "gb200-nvl72", 72, 186e9)
    assert (divides, fits) == (True, True)  # 9 chips per expert


def test_mixed_formats_weigh_each_part_at_its_own_size() -> None:
    k25 = arch("moonshotai/Kimi-K2.5")  # int4 experts, bf16 elsewhere
    counts = parameter_counts(k25)
    assert counts is not None
    total, how = weight_bytes(k25, counts)
    assert total == counts.expert * 0.5 + (counts.total - counts.expert) * 2.0
    assert how.startswith("1,014.7B expert params at int4 + 11.7B others at bf16")
