"""`thesis infer` on a warehouse loaded from the LiteLLM history fixture."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from extractors.registry import get_source
from pipeline.history import import_snapshots
from tests.gemini import observe_gemini
from tests.paths import FIXTURES
from thesis_cli.common import new_app
from thesis_cli.infer_cmd import infer
from warehouse.db import connect

runner = CliRunner()
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
# The lead registers `infer` on the main app; a two-command group here gives the same
# error handling (ThesisGroup) without depending on main.py.
app = new_app("test")
app.command("infer")(infer)


@app.command("noop")
def _noop() -> None:
    """Keeps this a group."""
    typer.echo("noop")


@pytest.fixture
def loaded_db(tmp_path: Path) -> Path:
    db = tmp_path / "infer.duckdb"
    con = connect(db)
    import_snapshots(con, get_source("litellm"), FIXTURES / "litellm_history")
    con.close()
    return db


def test_infer_json_explains_every_model_and_stores_it(loaded_db: Path) -> None:
    result = runner.invoke(app, ["infer", "--db", str(loaded_db), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["stored"] is True
    assert doc["models"] == len({(i["provider"], i["model"]) for i in doc["inferences"]}) >= 3
    ratio = next(
        i
        for i in doc["inferences"]
        if i["name"] == "output_input_price_ratio" and i["model"].startswith("claude-3-5-sonnet")
    )
    assert ratio["value"] == 5.0
    assert ratio["assumptions"]["hardware"] == "trainium2"
    assert "estimates under stated assumptions" in doc["note"]
    con = connect(loaded_db, read_only=True)
    assert con.execute("select count(*) from inferences").fetchone() == (len(doc["inferences"]),)
    con.close()


def test_infer_text_names_the_reference_and_filters_by_provider(loaded_db: Path) -> None:
    result = runner.invoke(
        app,
        [
            "infer",
            "--db",
            str(loaded_db),
            "--provider",
            "openai",
            "--assume-hardware",
            "h200",
            "--no-store",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "openai/gpt-4o: read against 3 stand-ins (deepseek-v3.2, qwen3-235b-a22b, "
        "llama-3.1-70b) on h200" in result.stdout
    )
    assert "anthropic/" not in result.stdout
    assert "  HEADLINE implied revenue " in result.stdout
    assert "    llama-3.1-70b = 4 x [memory-bound decode]" in result.stdout
    assert result.stdout.rstrip().endswith("every stand-in agrees.")


def test_infer_with_no_matching_model_exits_2(loaded_db: Path) -> None:
    result = runner.invoke(app, ["infer", "--db", str(loaded_db), "--provider", "nobody"])
    assert result.exit_code == 2
    assert "no priced model in the warehouse matches provider 'nobody'" in result.output


def test_infer_with_an_unknown_assumed_model_exits_2(loaded_db: Path) -> None:
    result = runner.invoke(app, ["infer", "--db", str(loaded_db), "--assume-model", "gpt-9"])
    assert result.exit_code == 2
    assert "unknown model 'gpt-9'" in result.output


@pytest.fixture
def gemini_db(tmp_path: Path) -> Path:
    """Gemini 2.5 Pro's published prices, as one loaded snapshot of Google's page."""
    db = tmp_path / "gemini.duckdb"
    con = connect(db)
    observe_gemini(con, NOON)
    con.close()
    return db


def test_gemini_prints_each_stand_in_and_the_range_with_the_margin_first(
    gemini_db: Path,
) -> None:
    args = ["infer", "--db", str(gemini_db), "--provider", "google", "--model", "gemini-2.5-pro"]
    result = runner.invoke(app, [*args, "--no-store"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("google/gemini-2.5-pro: read against 3 stand-ins")
    assert "tpu7x has no public price: b200's 5.00 USD/chip-hour" in lines[0]
    assert "calibrated" in lines[0] and "margins equal on input and output" in lines[0]
    assert lines[1].startswith("  HEADLINE implied revenue ")
    assert "USD/chip-hour; serving margin " in lines[1]
    for name in (
        "effective_decode_batch",
        "decode_memory_compute_time_ratio",
        "long_context_verdict_at_200000",
        "implied_kv_storage_usd_per_gb_hour",
        "cache_read_usd_per_gb_hour",
    ):
        band = next(line for line in lines if line.startswith(f"  {name}: "))
        assert "across 3 stand-in(s)" in band, band
        for stand_in in ("deepseek-v3.2", "qwen3-235b-a22b", "llama-3.1-70b"):
            assert any(line.startswith(f"    {stand_in} = ") for line in lines)
            assert stand_in in band
    for stand_in in ("deepseek-v3.2", "qwen3-235b-a22b", "llama-3.1-70b"):
        assert f"    {stand_in}: margin " in result.stdout


def test_json_headlines_carry_the_margin_band_and_bands_are_stored(gemini_db: Path) -> None:
    args = ["infer", "--db", str(gemini_db), "--model", "gemini-2.5-pro", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    [headline] = doc["headlines"]
    assert headline["serving_margin_low"] <= headline["serving_margin_high"]
    assert headline["hardware"] == "tpu7x"
    con = connect(gemini_db, read_only=True)
    stored = con.execute("select count(*) from inference_bands").fetchone()
    assert stored == (len(doc["bands"]),)
    margin = con.execute("select margin_low, margin_high from implied_margin_daily").fetchone()
    con.close()
    assert margin == (headline["serving_margin_low"], headline["serving_margin_high"])


def test_roofline_efficiency_reads_higher_revenue_than_the_calibrated_default(
    gemini_db: Path,
) -> None:
    def revenue(*extra: str) -> float:
        args = ["infer", "--db", str(gemini_db), "--no-store", "--json", *extra]
        doc = json.loads(runner.invoke(app, args).stdout)
        band = next(b for b in doc["bands"] if b["name"] == "implied_revenue_usd_per_chip_hour")
        return float(band["high"])

    assert revenue("--efficiency", "roofline") > revenue()
    bad = runner.invoke(app, ["infer", "--db", str(gemini_db), "--efficiency", "peak"])
    assert bad.exit_code == 2
    assert "--efficiency 'peak': use calibrated or roofline" in bad.output
