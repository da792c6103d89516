"""`thesis roofline ...` through typer's CliRunner on the roofline app itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thesis_cli.roofline_cmd import app

runner = CliRunner()
SUBCOMMANDS = [
    "kv",
    "critical-batch",
    "decode",
    "prefill",
    "max-batch",
    "interval",
    "experts-touched",
    "mfu",
    "calibrate",
]


def _json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help(name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "--json" in result.stdout


def test_kv_reports_llama_70b_bytes_per_token() -> None:
    doc = _json("kv", "--model", "llama-3.1-70b", "--context", "1000")
    assert doc["bytes_per_token"] == 327_680
    assert doc["sequence_bytes"] == 327_680_000
    assert doc["assumptions"] == {
        "kv_dtype": "bf16",
        "kv_bytes_per_element": 2.0,
        "model_source": "https://huggingface.co/meta-llama/Llama-3.1-70B/blob/main/config.json",
    }


def test_kv_inline_flags_define_a_variant() -> None:
    doc = _json("kv", "--model", "llama-3.1-70b", "--kv-heads", "16", "--kv-dtype", "fp8")
    assert doc["model"] == "llama-3.1-70b+custom"
    assert doc["bytes_per_token"] == 2 * 80 * 16 * 128


def test_critical_batch_names_the_bounds_on_either_side() -> None:
    doc = _json("critical-batch", "--hardware", "h100-sxm", "--model", "deepseek-v3")
    assert doc["tokens"] == pytest.approx(295.34, abs=0.01)
    assert (doc["bound_below"], doc["bound_above"]) == ("memory", "compute")
    assert doc["moe_expert_layer_tokens"] == pytest.approx(295.34 * 32, abs=0.5)


def test_decode_reports_times_bound_and_decimal_cost() -> None:
    doc = _json(
        "decode",
        "--model",
        "llama-3.1-70b",
        "--hardware",
        "h100-sxm",
        "--chips",
        "8",
        "--batch",
        "1",
        "--context",
        "4096",
    )
    assert doc["bound"] == "memory"
    assert doc["memory_time_s"] == pytest.approx((141.2e9 + 327_680 * 4096) / (8 * 3.35e12))
    assert doc["step_time_s"] == doc["memory_time_s"]
    assert isinstance(doc["usd_per_mtok"], str)  # Decimal, serialised exactly
    assumptions = doc["assumptions"]
    assert isinstance(assumptions, dict)
    assert assumptions["chips"] == 8
    assert assumptions["rental_usd_per_chip_hour"] == "2.50"


def test_decode_text_output_prints_the_assumptions() -> None:
    result = runner.invoke(
        app,
        [
            "decode",
            "--model",
            "deepseek-v3",
            "--hardware",
            "gb200",
            "--weights",
            "fp8",
            "--compute",
            "fp8",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "bound: memory" in result.stdout
    assert "assumptions:\n  model: deepseek-v3\n  hardware: gb200\n  chips: 72" in result.stdout


def test_prefill_reports_compute_bound_long_prompts_and_the_crossover() -> None:
    doc = _json(
        "prefill", "--model", "llama-3.1-70b", "--hardware", "h100-sxm", "--prompt-tokens", "8192"
    )
    assert doc["bound"] == "compute"
    assert doc["attention_matmul_crossover_tokens"] == pytest.approx(107_726, abs=1)


def test_max_batch_and_interval() -> None:
    assert (
        _json(
            "max-batch",
            "--model",
            "llama-3.1-70b",
            "--hardware",
            "h100-sxm",
            "--chips",
            "8",
            "--context",
            "8192",
        )["sequences"]
        == 185
    )
    doc = _json("interval", "--hardware", "h100-sxm")
    assert doc["interval_s"] == pytest.approx(0.02388, abs=1e-5)
    assert doc["bound"] == "hbm-bandwidth"


def test_experts_touched_sits_between_k_and_all() -> None:
    doc = _json("experts-touched", "--model", "deepseek-v3", "--batch", "64")
    assert doc["experts_touched"] == pytest.approx(256 * (1 - (31 / 32) ** 64))
    assert doc["weight_bytes_if_only_k"] < doc["weight_bytes_touched"]  # type: ignore[operator]
    assert doc["weight_bytes_touched"] < doc["weight_bytes_if_all_experts"]  # type: ignore[operator]


def test_hardware_file_adds_a_chip(tmp_path: Path) -> None:
    chip = tmp_path / "chip.toml"
    chip.write_text(
        '[my-chip]\nname = "Mine"\nbf16_dense_flops_per_s = 2e15\nhbm_capacity_bytes = 1e11\n'
        "hbm_bandwidth_bytes_per_s = 5e12\nscale_up_domain_chips = 8\n"
        "scale_up_bandwidth_bytes_per_s_per_chip = 1e11\n"
        "scale_out_bandwidth_bytes_per_s_per_chip = 1e10\n"
        'source_url = "https://example.com"\nconfidence = "test entry"\n',
        encoding="utf-8",
    )
    doc = _json("critical-batch", "--hardware", "my-chip", "--hardware-file", str(chip))
    assert doc["tokens"] == pytest.approx(400)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["kv", "--model", "gpt-7"], "unknown model 'gpt-7'"),
        (
            ["decode", "--model", "llama-3.1-70b", "--hardware", "h100-sxm", "--batch", "0"],
            "--batch must be positive",
        ),
        (
            ["decode", "--model", "llama-3.1-70b", "--hardware", "rubin"],
            "has no bf16 dense FLOP/s figure",
        ),
        (["experts-touched", "--model", "llama-3.1-8b"], "is dense"),
        (["kv", "--model", "llama-3.1-8b", "--kv-dtype", "fp2"], "unknown precision 'fp2'"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_mfu_of_pope_2022_high_throughput_prefill_is_76_percent() -> None:
    # PaLM 540B, 64 TPU v4, 512 prompts x 2048 tokens in 85.2 s (Pope et al. 2022, Table 2)
    doc = _json(
        "mfu",
        "--model",
        "palm-540b",
        "--hardware",
        "tpu-v4",
        "--chips",
        "64",
        "--tokens",
        str(512 * 2048),
        "--latency-s",
        "85.2",
    )
    assert doc["mfu"] == pytest.approx(0.76, abs=0.01)


def test_preliminary_rubin_runs_at_its_fp4_rate_without_a_price() -> None:
    doc = _json(
        "decode",
        "--model",
        "deepseek-v3",
        "--hardware",
        "rubin",
        "--weights",
        "fp4",
        "--compute",
        "fp4",
    )
    assert doc["usd_per_mtok"] is None
    assumptions = doc["assumptions"]
    assert isinstance(assumptions, dict)
    assert assumptions["hardware_preliminary"] == 1


def test_decode_reports_the_per_op_bound_beside_the_overlapped_one() -> None:
    args = ["decode", "--model", "llama-3.1-70b", "--hardware", "h100-sxm", "--chips", "8"]
    per_op = _json(*args, "--batch", "512", "--context", "4096")
    overlapped = _json(*args, "--batch", "512", "--context", "4096", "--overlap", "overlapped")
    assert per_op["step_time_s"] == per_op["step_time_per_op_s"]
    assert overlapped["step_time_s"] == overlapped["step_time_overlapped_s"]
    assert per_op["step_time_per_op_s"] > per_op["step_time_overlapped_s"]  # type: ignore[operator]
    bad = runner.invoke(app, [*args, "--overlap", "sometimes"])
    assert bad.exit_code == 2
    assert "overlap 'sometimes' is not one of: per-op, overlapped" in bad.output


def test_decode_reads_routed_experts_in_the_format_the_model_ships() -> None:
    doc = _json("decode", "--model", "gpt-oss-120b", "--hardware", "h200", "--weights", "fp8")
    assumptions = doc["assumptions"]
    assert isinstance(assumptions, dict)
    assert assumptions["expert_weights"] == "mxfp4"


def test_calibrate_prints_measured_over_bound_per_published_point() -> None:
    doc = _json("calibrate")
    points = doc["points"]
    assert isinstance(points, list)
    ids = {p["id"] for p in points}
    assert {"palm-540b-decode-batch-64", "deepseek-v3-fleet-decode"} <= ids
    assert all(p["measured_over_bound"] >= 1 for p in points)
    assert all(p["source_url"].startswith("https://") for p in points)
    assert 0 < doc["decode_fraction"] < 1  # type: ignore[operator]
    text = runner.invoke(app, ["calibrate"])
    assert text.exit_code == 0
    assert "Calibrated: decode runs at" in text.stdout
