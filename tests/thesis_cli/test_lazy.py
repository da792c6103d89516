"""Commands loaded only when they run: `thesis --help` lists each exactly as the loaded
command would be listed, and running one loads it."""

from __future__ import annotations

import pytest
from typer.core import TyperCommand
from typer.testing import CliRunner

from thesis_cli.main import RootGroup, app

runner = CliRunner()


@pytest.mark.parametrize("name", list(RootGroup.lazy))
def test_each_summary_lists_the_command_as_its_own_help_does(name: str) -> None:
    entry = RootGroup.lazy[name]
    loaded = entry.load(name)
    stand_in = TyperCommand(name, help=entry.summary)
    for limit in range(10, 240):  # every terminal width lists it the same
        assert stand_in.get_short_help_str(limit) == loaded.get_short_help_str(limit)


def test_help_lists_every_command_in_order_with_the_lazy_ones_after_the_rest() -> None:
    listed = runner.invoke(app, ["--help"], prog_name="thesis", terminal_width=200)
    assert listed.exit_code == 0
    names = [line.split()[0] for line in listed.stdout.split("Commands:\n")[1].splitlines()]
    assert names[:6] == ["run", "import-snapshots", "reprocess", "sql", "extract", "sources"]
    assert names[6:] == list(RootGroup.lazy)
    assert (
        "  models            List canonical models with their aliases per source, and when"
        " each was seen.\n" in listed.stdout
    )


def test_a_lazy_group_runs_its_sub_commands_and_an_unknown_command_is_refused() -> None:
    listed = runner.invoke(app, ["roofline", "--help"], prog_name="thesis")
    assert listed.exit_code == 0 and "Usage: thesis roofline [OPTIONS] COMMAND" in listed.stdout
    unknown = runner.invoke(app, ["rooflin"], prog_name="thesis")
    assert unknown.exit_code == 2 and "No such command 'rooflin'" in unknown.stderr
