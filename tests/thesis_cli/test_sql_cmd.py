"""`thesis sql`: the query from an argument, a file or stdin; DuckDB's hint kept in the
one-line error; doubles printed without binary noise; and a start that imports nothing
heavy (the time itself is measured by benchmarks/cli_start.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thesis_cli.main import app
from warehouse.db import connection

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
HEAVY = [
    *("pandas", "numpy", "apprise", "prefect", "bokeh", "matplotlib", "rich", "yfinance"),
    *("requests", "bs4", "pydantic_settings"),  # no fetch, no parser, no settings package
]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "sql.duckdb")
    with connection(path):  # a new, migrated warehouse
        pass
    return path


def test_the_query_can_come_from_a_file_or_from_stdin(db: str, tmp_path: Path) -> None:
    query = tmp_path / "q.sql"
    query.write_text("select 42 as answer\n")
    from_file = runner.invoke(app, ["sql", "--file", str(query), "--db", db, "--json"])
    from_stdin = runner.invoke(app, ["sql", "--db", db, "--json"], input="select 42 as answer")
    assert from_file.exit_code == 0 and from_stdin.exit_code == 0, from_file.output
    expected = {"columns": ["answer"], "rows": [{"answer": 42}]}
    assert json.loads(from_file.stdout) == json.loads(from_stdin.stdout) == expected
    both = runner.invoke(app, ["sql", "select 1", "--file", str(query), "--db", db])
    assert both.exit_code == 2 and both.stderr == (
        "thesis: give the query as an argument or with --file, not both\n"
    )


def test_a_bad_column_keeps_duckdbs_candidate_bindings_on_one_line(db: str) -> None:
    result = runner.invoke(app, ["sql", "select modle from latest_prices", "--db", db])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        'thesis: query failed: Binder Error: Referenced column "modle" not found'
    )
    assert 'Candidate bindings: "model"' in result.stderr


def test_doubles_print_without_binary_noise(db: str) -> None:
    query = "select 0.1::double * 3 as x, 1.5 - 1e-16 as y, 2.500000::decimal(18, 6) as usd"
    table = runner.invoke(app, ["sql", query, "--db", db])
    assert table.stdout.splitlines()[2].split() == ["0.3", "1.5", "2.500000"]
    doc = json.loads(runner.invoke(app, ["sql", query, "--db", db, "--json"]).stdout)
    assert doc["rows"] == [{"x": 0.3, "y": 1.5, "usd": 2.5}]


THESIS = str(Path(sys.executable).parent / "thesis")  # the installed console script


def fast_and_typer(argv: list[str]) -> tuple[tuple[int, str, str], ...]:
    """Exit code, stdout and stderr of `thesis sql ARGV` by the console script (the fast
    path) and by the typer app (`python -m thesis_cli.main`)."""
    typer_app = [sys.executable, "-m", "thesis_cli.main"]
    runs = [
        subprocess.run([*cmd, "sql", *argv], capture_output=True, text=True, env=_no_settings())
        for cmd in ([THESIS], typer_app)
    ]
    named = [(run.stdout, run.stderr) for run in runs]  # click names `python -m` the prog
    return tuple(
        (run.returncode, *(text.replace("python -m thesis_cli.main", "thesis") for text in out))
        for run, out in zip(runs, named, strict=True)
    )


def _no_settings() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("THESIS_")}


@pytest.mark.parametrize(
    "argv",
    [
        ["select 1.5 - 1e-16 as y, 'a,b' as s"],
        ["select 42 as answer", "--json"],
        ["-f", "csv", "select 1 as a, 'x,y' as b"],
        ["--format=json", "select 2 as n"],
        ["--format", "yaml", "select 1"],
        ["select modle from latest_prices"],
        ["select 1", "--file", "q.sql"],
        ["--file", "q.sql"],
        ["--file", "missing.sql"],
        ["   "],
    ],
)
def test_the_fast_path_answers_as_the_typer_command_does(
    db: str, argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "q.sql").write_text("select 7 as seven")
    fast, typed = fast_and_typer([*argv, "--db", db])
    assert fast == typed
    assert fast[0] in (0, 2) and (fast[1] or fast[2])


def test_help_bad_options_and_settings_to_check_are_left_to_typer(db: str) -> None:
    fast, typed = fast_and_typer(["--help"])
    assert fast == typed and "Usage: thesis sql [OPTIONS] [query]" in fast[1]
    fast, typed = fast_and_typer(["--limit", "3", "select 1", "--db", db])
    assert fast[0] == typed[0] == 2 and "No such option: --limit" in fast[2]
    env = {**_no_settings(), "THESIS_FETCH_ATTEMPTS": "abc"}
    bad = subprocess.run(
        [THESIS, "sql", "select 1", "--db", db], capture_output=True, text=True, env=env
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("thesis: THESIS_FETCH_ATTEMPTS='abc' is not a whole number")


def imported_by(argv: list[str]) -> set[str]:
    """Every module the console script imports to run `thesis ARGV`."""
    env = {**_no_settings(), "PYTHONPROFILEIMPORTTIME": "1"}
    out = subprocess.run([THESIS, *argv], capture_output=True, text=True, env=env, check=True)
    lines = [line for line in out.stderr.splitlines() if line.startswith("import time:")]
    return {line.rsplit("|", 1)[1].strip() for line in lines[1:]}


def test_help_imports_no_heavy_library_no_settings_and_no_command_module() -> None:
    modules = imported_by(["--help"])
    assert "typer" in modules and "thesis_cli.main" in modules  # the probe sees imports
    heavy = {*HEAVY, "pydantic", "duckdb", "core.settings", "thesis_cli.roofline_cmd"}
    assert modules & heavy == set()
    assert [m for m in modules if m.startswith("thesis_cli.") and m.endswith("_cmd")] == []


def test_sql_imports_duckdb_and_neither_typer_nor_pydantic_nor_the_settings(db: str) -> None:
    modules = imported_by(["sql", "select 1", "--db", db])
    assert "duckdb" in modules and "warehouse.query" in modules
    assert modules & {*HEAVY, "typer", "pydantic", "core.settings", "thesis_cli.main"} == set()
