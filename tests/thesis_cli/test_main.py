"""The `thesis` command line: help everywhere, JSON output, one-line errors, exit codes."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.registry import SOURCE_IDS, SOURCES, WATCHED
from tests.paths import FIXTURES
from thesis_cli.main import app

HISTORY = FIXTURES / "litellm_history"
runner = CliRunner()


@pytest.fixture
def loaded_db(tmp_path: Path) -> Path:
    db = tmp_path / "cli.duckdb"
    result = runner.invoke(
        app, ["import-snapshots", str(HISTORY), "--source", "litellm", "--db", str(db), "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["files"], doc["loaded"], doc["skipped_files"]) == (5, 5, ["README.md"])
    return db


def test_every_command_has_help() -> None:
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    commands = ["run", "import-snapshots", "reprocess", "sql", "extract", "sources"]
    for name in commands:
        assert name in top.stdout
        sub = runner.invoke(app, [name, "--help"])
        assert sub.exit_code == 0, name
        assert "--help" in sub.stdout


def test_sql_answers_in_table_csv_and_json(loaded_db: Path) -> None:
    query = (
        "select model, component, usd_per_mtok from latest_prices where model = 'gpt-4o'"
        " and service_tier = 'standard' order by component"
    )
    table = runner.invoke(app, ["sql", query, "--db", str(loaded_db)])
    assert table.exit_code == 0
    assert "gpt-4o  input      2.500000000" in table.stdout
    assert "(2 rows)" in table.stdout
    csv = runner.invoke(app, ["sql", query, "--db", str(loaded_db), "--format", "csv"])
    assert csv.stdout.splitlines() == [
        "model,component,usd_per_mtok",
        "gpt-4o,input,2.500000000",
        "gpt-4o,output,10.000000000",
    ]
    doc = json.loads(
        runner.invoke(app, ["sql", query, "--db", str(loaded_db), "-f", "json"]).stdout
    )
    assert doc["rows"][1] == {"model": "gpt-4o", "component": "output", "usd_per_mtok": 10.0}
    short = runner.invoke(app, ["sql", query, "--db", str(loaded_db), "--json"]).stdout
    assert json.loads(short) == doc


def test_sql_is_read_only_and_errors_are_one_line(loaded_db: Path) -> None:
    write = runner.invoke(app, ["sql", "delete from runs", "--db", str(loaded_db)])
    assert write.exit_code == 2
    assert write.stderr.startswith("thesis: query failed:") and write.stderr.count("\n") == 1
    bad_format = runner.invoke(app, ["sql", "select 1", "--db", str(loaded_db), "-f", "xml"])
    assert bad_format.exit_code == 2 and "--format must be one of" in bad_format.stderr
    missing = runner.invoke(app, ["sql", "select 1", "--db", str(loaded_db.parent / "no.duckdb")])
    assert missing.exit_code == 2 and "no warehouse at" in missing.stderr


def test_unknown_source_is_rejected_with_the_choices(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["import-snapshots", str(HISTORY), "--source", "nope", "--db", str(tmp_path / "x.duckdb")],
    )
    assert result.exit_code == 2
    assert "unknown source 'nope'; choose one of: gemini-docs, anthropic-docs" in result.stderr


def test_extract_prints_canonical_rows_without_a_warehouse(tmp_path: Path) -> None:
    path = HISTORY / "2024-10-03T120000_litellm.json.gz"
    result = runner.invoke(app, ["extract", "litellm", "--file", str(path), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    gemini = {
        (p["component"], p["tier_min_prompt_tokens"]): p["usd_per_mtok"]
        for p in doc["prices"]
        if p["source_model_key"] == "gemini/gemini-1.5-pro"
    }
    assert gemini[("input", 128000)] == "2.50" or float(gemini[("input", 128000)]) == 2.5
    assert doc["models"] == 3
    text = runner.invoke(app, ["extract", "litellm", "--file", str(path)])
    assert "litellm: 3 models" in text.stdout
    assert not list(tmp_path.iterdir())


def test_reprocess_rebuilds_the_same_observations(loaded_db: Path) -> None:
    query = "select count(*), sum(usd_per_mtok) from price_observations"
    before = runner.invoke(app, ["sql", query, "--db", str(loaded_db), "-f", "csv"]).stdout
    result = runner.invoke(
        app, ["reprocess", "--source", "litellm", "--db", str(loaded_db), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["litellm"]["loaded"] == 5
    after = runner.invoke(app, ["sql", query, "--db", str(loaded_db), "-f", "csv"]).stdout
    assert after == before


def test_sources_lists_the_registry_with_last_outcomes(loaded_db: Path) -> None:
    doc = json.loads(runner.invoke(app, ["sources", "--db", str(loaded_db), "--json"]).stdout)
    assert [s["id"] for s in doc] == list(SOURCES)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def busy_cores() -> Iterator[None]:
    """Every core kept busy by a spinning process, as on a shared, loaded machine."""
    spin = "while True: pass"
    procs = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(os.cpu_count() or 2)]
    try:
        yield
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


@pytest.mark.usefixtures("busy_cores")
def test_run_with_no_network_records_every_source_and_exits_non_zero(tmp_path: Path) -> None:
    """`thesis run` as a user runs it on a fresh machine (its own process, a brand-new
    Prefect home whose temporary server must migrate first, every core busy), where every
    source is unreachable."""
    port = _closed_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THESIS_", "PREFECT_"))}
    env.update(
        {
            "THESIS_URL_" + sid.upper().replace("-", "_"): f"http://127.0.0.1:{port}/{sid}"
            + ("/{model}" if sid in WATCHED else "")
            for sid in SOURCE_IDS
        }
    )
    env.update(
        THESIS_FETCH_ATTEMPTS="2",
        THESIS_FETCH_BACKOFF_S="0",
        THESIS_TASK_RETRIES="0",
        PREFECT_HOME=str(tmp_path / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
    )
    db = tmp_path / "offline.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "thesis_cli.main", "run", "--db", str(db), "--no-fundamentals"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Timed out while attempting to connect" not in done.stderr
    last = done.stdout.strip().splitlines()[-1]
    # Every price source, and each model a watched-model source plans, is one stream.
    streams = re.search(r" 0/(\d+) sources ok", last)
    assert streams is not None and "failed:" in last, last
    # Told per source: a watched-model source's models counted, not listed one by one.
    assert re.search(r"openrouter-endpoints (\d+) of \1 models \(fetch_failed\)", last), last
    assert "openrouter-endpoints:" not in last
    assert int(streams[1]) >= len(SOURCE_IDS)
    assert "Traceback" not in done.stderr
    failed = runner.invoke(
        app,
        [
            "sql",
            "select count(*) from source_runs where status ="
            " 'failed' and error_kind = 'fetch_failed'",
            "--db",
            str(db),
            "-f",
            "csv",
        ],
    )
    assert failed.stdout.splitlines()[1] == streams[1]
