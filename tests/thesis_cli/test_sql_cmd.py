"""`thesis sql`: the query from an argument, a file or stdin; DuckDB's hint kept in the
one-line error; doubles printed without binary noise; and a start that imports nothing
heavy (the time itself is measured by benchmarks/cli_start.py)."""

from __future__ import annotations

import json
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


@pytest.mark.parametrize("argv", [["--help"], ["sql", "select 1"]])
def test_help_and_sql_import_none_of_the_heavy_libraries(db: str, argv: list[str]) -> None:
    probe = (
        "import sys\n"
        "from thesis_cli.main import app\n"
        "try:\n"
        f"    app({[*argv, '--db', db] if argv[0] == 'sql' else argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.splitlines()[-1] == "[]"
