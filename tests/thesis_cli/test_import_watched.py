"""`thesis import-snapshots` of a watched-model source's saved answers: the samples'
OpenRouter endpoint files load per model, a re-run loads nothing, the summary counts
files (and the model answers in them), and a source whose payloads do not name their
model is refused with one line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from thesis_cli.main import app

runner = CliRunner()
FOURTEEN = "openrouter_endpoints/openrouter_endpoints_14models_2026-08-15.json"
ONE = "openrouter_endpoints/openrouter_endpoints_deepseek-v3.2_2026-10-05.json"


@pytest.fixture
def saved(samples: Path, tmp_path: Path) -> Path:
    """Two saved answers, named by their capture day as import-snapshots needs."""
    folder = tmp_path / "endpoints"
    folder.mkdir()
    shutil.copy(samples / FOURTEEN, folder / "2026-08-15_14models.json")
    shutil.copy(samples / ONE, folder / "2026-10-05_deepseek-v3.2.json")
    return folder


def imported(folder: Path, db: Path, *extra: str) -> dict[str, object]:
    args = ["import-snapshots", str(folder), "--source", "openrouter-endpoints"]
    result = runner.invoke(app, [*args, "--db", str(db), *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in extra else {"line": result.stdout}


def test_the_samples_endpoint_files_load_each_model_they_answer_for(
    saved: Path, tmp_path: Path
) -> None:
    db = tmp_path / "thesis.duckdb"
    doc = imported(saved, db, "--json")
    assert (doc["files"], doc["answers"], doc["loaded"], doc["failed"]) == (2, 15, 15, [])
    con = duckdb.connect(str(db), read_only=True)
    try:
        models = con.execute(
            "select count(distinct source_model_key), count(*) from endpoint_observations"
        ).fetchone()
        archived = con.execute(
            "select count(*) from raw_snapshots where source = 'openrouter-endpoints'"
        ).fetchone()
    finally:
        con.close()
    assert models == (15, 58 + 13)  # 14 models' 58 hosts, DeepSeek V3.2's 13
    assert archived == (2,)  # each file archived once


def test_a_rerun_loads_nothing(saved: Path, tmp_path: Path) -> None:
    db = tmp_path / "thesis.duckdb"
    imported(saved, db, "--json")
    again = imported(saved, db, "--json")
    assert (again["files"], again["loaded"], again["unchanged"], again["rows_added"]) == (
        2,
        0,
        15,
        0,
    )


def test_the_summary_line_counts_files_and_model_answers(saved: Path, tmp_path: Path) -> None:
    line = imported(saved, tmp_path / "thesis.duckdb")["line"]
    assert str(line).startswith("openrouter-endpoints: 2 files (15 model answers), 15 loaded")


def test_a_source_whose_payloads_do_not_name_their_model_is_refused(
    saved: Path, tmp_path: Path
) -> None:
    args = ["import-snapshots", str(saved), "--source", "model-configs"]
    result = runner.invoke(app, [*args, "--db", str(tmp_path / "thesis.duckdb")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "thesis: model-configs: its payloads do not name their model, so saved files cannot"
        " be imported; fetch them with `thesis run`"
    ]
    assert not (tmp_path / "thesis.duckdb").exists()  # refused before the warehouse opens
