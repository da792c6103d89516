"""Every `thesis` command checks all settings before it starts: a bad one is one line and
exit code 2, before Prefect is imported, and help still shows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from core.settings.docs import bad_example_line
from tests.paths import ROOT
from thesis_cli.main import app

runner = CliRunner()
BAD_ATTEMPTS = (
    "thesis: THESIS_FETCH_ATTEMPTS='abc' is not a whole number; e.g. THESIS_FETCH_ATTEMPTS=4\n"
)
# The real CLI, reporting at exit whether Prefect was ever imported.
WATCHED = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('prefect imported:', 'prefect' in sys.modules))\n"
    "from thesis_cli.main import main\n"
    "sys.argv = ['thesis', 'run']\n"
    "main()\n"
)


def _env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THESIS_", "PREFECT_"))}
    return env | {"PREFECT_HOME": str(tmp_path / "prefect"), **settings}


def test_a_bad_setting_stops_thesis_run_with_one_line_and_exit_code_2(tmp_path: Path) -> None:
    thesis = Path(sys.executable).with_name("thesis")
    done = subprocess.run(
        [str(thesis), "run", "--db", str(tmp_path / "t.duckdb")],
        env=_env(tmp_path, THESIS_FETCH_ATTEMPTS="abc"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode, done.stderr, done.stdout) == (2, BAD_ATTEMPTS, "")
    assert done.stderr == f"thesis: {bad_example_line()}\n"  # docs/configuration.md's line
    assert not (tmp_path / "t.duckdb").exists()


def test_the_check_comes_before_prefect_is_imported(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WATCHED],
        cwd=ROOT,
        env=_env(tmp_path, THESIS_FETCH_ATTEMPTS="abc"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode, done.stderr) == (2, BAD_ATTEMPTS)
    assert done.stdout == "prefect imported: False\n"
    assert not (tmp_path / "prefect").exists()


def test_every_command_checks_every_setting() -> None:
    for args in (["sources"], ["sql", "select 1"], ["alerts", "list"], ["report"]):
        result = runner.invoke(app, args, env={"THESIS_SMTP_PORT": "twenty-five"})
        assert result.exit_code == 2, args
        assert result.output.startswith("thesis: THESIS_SMTP_PORT='twenty-five' is not a port")


def test_a_misspelt_setting_and_a_bad_warehouse_are_caught_at_start() -> None:
    typo = runner.invoke(app, ["sources"], env={"THESIS_FETCH_ATEMPTS": "2"})
    assert (typo.exit_code, typo.output) == (
        2,
        "thesis: THESIS_FETCH_ATEMPTS is not a thesis setting: did you mean "
        "THESIS_FETCH_ATTEMPTS?\n",
    )
    url = runner.invoke(app, ["sources"], env={"THESIS_DB": "s3://bucket/thesis.duckdb"})
    assert url.exit_code == 2 and "is a URL; give a DuckDB file path" in url.output


def test_help_shows_even_with_a_bad_setting() -> None:
    env = {"THESIS_FETCH_ATTEMPTS": "abc"}
    for args in (["--help"], ["run", "--help"], ["alerts", "test", "--help"]):
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, args
        assert "Usage:" in result.output
