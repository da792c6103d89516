"""Every way a command ends is one line on stderr: a typed error, Ctrl-C, even a bug."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from core.errors import WarehouseLocked
from thesis_cli.common import new_app

app = new_app("exits")


@app.command()
def locked() -> None:
    raise WarehouseLocked("warehouse w.duckdb is locked by duckdb (PID 42); waited 0s")


@app.command()
def interrupted() -> None:
    raise KeyboardInterrupt


@app.command()
def bug() -> None:
    print(1 / 0)


@app.command()
def fine() -> None:
    typer.echo("ok")
    raise typer.Exit(3)


def test_a_typed_error_is_one_line_and_its_exit_code() -> None:
    result = CliRunner().invoke(app, ["locked"])
    assert (result.exit_code, result.stderr) == (
        1,
        "thesis: warehouse w.duckdb is locked by duckdb (PID 42); waited 0s\n",
    )


def test_ctrl_c_ends_with_one_line_saying_what_is_kept_and_exit_130() -> None:
    result = CliRunner().invoke(app, ["interrupted"])
    assert result.exit_code == 130
    assert result.stderr.startswith("thesis: interrupted; what had loaded stays loaded")
    assert result.stderr.count("\n") == 1


def test_a_bug_keeps_its_traceback_and_still_ends_with_the_one_line() -> None:
    result = CliRunner().invoke(app, ["bug"])
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == "thesis: internal error: ZeroDivisionError: division by zero (a bug)"


def test_a_commands_own_exit_passes_through() -> None:
    result = CliRunner().invoke(app, ["fine"])
    assert (result.exit_code, result.stdout) == (3, "ok\n")
