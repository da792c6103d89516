"""`thesis infer` on a warehouse loaded from the LiteLLM history fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from extractors.registry import get_source
from pipeline.history import import_snapshots
from tests.paths import FIXTURES
from thesis_cli.common import new_app
from thesis_cli.infer_cmd import infer
from warehouse.db import connect

runner = CliRunner()
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
        if i["name"] == "output_input_price_ratio" and i["model"] == "claude-3-5-sonnet-20240620"
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
    assert "openai/gpt-4o: read against deepseek-v3 on 16x h200" in result.stdout
    assert "anthropic/" not in result.stdout
    assert "output_input_price_ratio = 4 x [memory-bound decode]" in result.stdout
    assert result.stdout.rstrip().endswith("latency premiums.")


def test_infer_with_no_matching_model_exits_2(loaded_db: Path) -> None:
    result = runner.invoke(app, ["infer", "--db", str(loaded_db), "--provider", "nobody"])
    assert result.exit_code == 2
    assert "no priced model in the warehouse matches provider 'nobody'" in result.output


def test_infer_with_an_unknown_assumed_model_exits_2(loaded_db: Path) -> None:
    result = runner.invoke(app, ["infer", "--db", str(loaded_db), "--assume-model", "gpt-9"])
    assert result.exit_code == 2
    assert "unknown model 'gpt-9'" in result.output
