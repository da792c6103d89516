"""`thesis report`: writes the page, prints where, --json, and a missing warehouse."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from extractors.registry import get_source
from pipeline.history import import_snapshots
from tests.paths import FIXTURES
from thesis_cli.common import new_app
from thesis_cli.report_cmd import report
from warehouse.db import connect


def cli() -> typer.Typer:
    """The command registered the way thesis_cli/main.py does it."""
    app = new_app("test")
    app.command()(report)
    app.command("noop", hidden=True)(lambda: None)  # a group, so `report` is a subcommand
    return app


def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "thesis.duckdb"
    con = connect(path)
    try:
        import_snapshots(con, get_source("litellm"), FIXTURES / "litellm_history")
    finally:
        con.close()
    return path


def test_report_writes_the_page_and_lists_each_chart(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(
        cli(), ["report", "--db", str(warehouse(tmp_path)), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith(f"report: {out / 'index.html'} (6 of 9 charts drawn, ")
    assert first.endswith(" MB)")
    assert "  memory-vs-capex   no chart" in result.output
    assert "  spreads           drawn" in result.output
    assert "no data yet: no company fundamentals loaded" in result.output
    assert [p.name for p in out.iterdir()] == ["index.html"]


def test_report_json_names_every_section(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(
        cli(), ["report", "--db", str(warehouse(tmp_path)), "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["index"] == str(out / "index.html")
    assert doc["bytes"] == (out / "index.html").stat().st_size
    sections = {s["id"]: s for s in doc["sections"]}
    assert sections["spreads"]["drawn"] is True
    assert sections["spreads"]["outside_band"] == 0
    assert sections["price-history"]["models"] == 3
    assert sections["price-history"]["not_drawn"] == 1  # Claude's one-day $30 typo
    assert sections["memory-vs-capex"]["drawn"] is False


def test_missing_warehouse_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli(), ["report", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "site")]
    )
    assert result.exit_code != 0
    assert result.output.strip().startswith("thesis: no warehouse at ")
    assert len(result.output.strip().splitlines()) == 1
