from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from thesis_cli import alerts_cmd
from thesis_cli.common import new_app

HISTORY = Path(__file__).resolve().parents[1] / "fixtures" / "alerts" / "litellm_history"


@pytest.fixture
def cli() -> typer.Typer:
    """The command registered the way thesis_cli/main.py registers it."""
    app = new_app("test app")
    app.command("backtest")(alerts_cmd.backtest)

    @app.command("noop")
    def noop() -> None:  # a second command keeps `backtest` a named subcommand
        """Nothing."""

    return app


def test_backtest_json_lists_what_would_have_fired(cli: typer.Typer) -> None:
    result = CliRunner().invoke(
        cli, ["backtest", "--source", "litellm", "--snapshots", str(HISTORY), "--json"]
    )
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)["alerts"]
    assert len(items) == 6
    first = items[0]
    assert {k: first[k] for k in ("date", "trigger_id", "kind", "provider", "model")} == {
        "date": "2024-10-03",
        "trigger_id": "frontier-spread-band",
        "kind": "spread_change",
        "provider": "google",
        "model": "gemini-1.5-pro",
    }
    cut = next(i for i in items if i["subject"] == "openai gpt-4o input price cut")
    assert (cut["source_model_key"], cut["evidence"], cut["old"], cut["new"]) == (
        "gpt-4o",
        "litellm: gpt-4o (confirms)",
        5.0,
        2.5,
    )
    # The roofline inversion of that day's prices ($2.50 in, $10 out) explains it.
    assert "A 4x output/input ratio" in cut["explanation"]
    assert all(item["explanation"] for item in items)


def test_backtest_text_and_a_stricter_theses_file(cli: typer.Typer, tmp_path: Path) -> None:
    shipped = (Path(alerts_cmd.__file__).parents[1] / "alerts" / "theses.toml").read_text()
    strict = tmp_path / "theses.toml"
    strict.write_text(
        shipped.replace("change_fraction = 0.10\ncomponents", "change_fraction = 0.7\ncomponents")
    )
    result = CliRunner().invoke(
        cli, ["backtest", "--snapshots", str(HISTORY), "--theses", str(strict)]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # A 70% threshold drops every price cut (the largest is gemini's -64%).
    assert not [line for line in lines if "price-cut-or-rise" in line]
    assert lines[0].startswith("2024-10-03  warning  frontier-spread-band")
    # the band across the stand-ins, never an HBM-full batch quoted as implied (issue 17)
    assert lines[1].startswith("            roofline: decode_memory_compute_time_ratio: ")
    assert "across 3 stand-in(s)" in lines[1] and "At batch" not in lines[1]
    assert "2 alerts from 6 snapshots of litellm" in result.output


def test_backtest_bad_directory_is_a_one_line_error(cli: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["backtest", "--snapshots", str(tmp_path)])
    assert result.exit_code == 2
    assert "no loadable files" in result.output
