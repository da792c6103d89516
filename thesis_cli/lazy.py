"""Commands whose module is imported only when the command runs.

`thesis --help` lists each by the first paragraph of its help, kept beside its name here,
so listing them imports none of their modules (roofline alone pulls in the model catalog).
tests/thesis_cli/test_lazy.py checks that each summary is the command's own."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
from typer._click.core import Command, Context
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand

from thesis_cli.common import ThesisGroup


@dataclass(frozen=True, slots=True)
class LazyCommand:
    module: str
    attribute: str  # a typer app (a group of commands) or a command function
    summary: str  # the first paragraph of the command's help

    def load(self, name: str) -> Command:
        found: Any = getattr(importlib.import_module(self.module), self.attribute)
        if isinstance(found, typer.Typer):
            group = typer.main.get_command(found)
            group.name = name
            return group
        single = typer.Typer(add_completion=False, rich_markup_mode=None)
        single.command(name)(found)
        return typer.main.get_command(single)


class LazyGroup(ThesisGroup):
    """A group that lists its `lazy` commands after its own, and loads one when asked."""

    lazy: ClassVar[dict[str, LazyCommand]] = {}
    _listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        return [*self.commands, *(name for name in self.lazy if name not in self.commands)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name in self.commands or cmd_name not in self.lazy:
            return self.commands.get(cmd_name)
        entry = self.lazy[cmd_name]
        if self._listing:  # a stand-in bearing the summary: the help list needs no more
            return TyperCommand(cmd_name, help=entry.summary)
        self.commands[cmd_name] = entry.load(cmd_name)
        return self.commands[cmd_name]

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False
