"""`thesis roofline kv|decode --model-config FILE` reads the architecture from a config."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.paths import SAMPLES
from thesis_cli.main import app

V3 = SAMPLES / "model_configs" / "hf_config_deepseek-ai__DeepSeek-V3.json"
pytestmark = pytest.mark.skipif(not V3.is_file(), reason=f"{SAMPLES} absent")


def test_deepseek_v3s_config_gives_70272_kv_bytes_per_token_at_bf16() -> None:
    result = CliRunner().invoke(app, ["roofline", "kv", "--model-config", str(V3), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["model"], doc["attention"], doc["bytes_per_token"]) == (
        "deepseek-v3+config",
        "mla",
        70272,  # 61 layers x (512 latent + 64 rope) x 2 bytes
    )


def test_decode_on_a_config_matches_decode_on_the_catalog_entry_built_from_it() -> None:
    def step(*model: str) -> dict[str, float]:
        args = ["roofline", "decode", "--hardware", "h100-sxm", "--chips", "16", *model, "--json"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    read, shipped = step("--model-config", str(V3)), step("--model", "deepseek-v3")
    assert read["kv_bytes"] == shipped["kv_bytes"]
    assert read["weight_bytes"] == pytest.approx(shipped["weight_bytes"], rel=0.01)


def test_both_or_neither_model_option_is_one_line_and_exit_2() -> None:
    both = CliRunner().invoke(
        app, ["roofline", "kv", "--model", "deepseek-v3", "--model-config", str(V3)]
    )
    assert (both.exit_code, both.output) == (
        2,
        "thesis: give --model or --model-config, not both\n",
    )
