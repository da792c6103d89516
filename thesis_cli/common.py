"""Options and output helpers every command shares, and the one place errors surface."""

from __future__ import annotations

import json
import os
from typing import Annotated, Any

import typer
from typer._click import exceptions as click_exceptions
from typer._click.core import Context  # typer vendors click; its group API takes this
from typer.core import TyperGroup

from thesis_cli.failure import report_failure

# Prefect phones home and logs errors when it can't; nobody asked for that here.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Warehouse: a DuckDB file, ducklake:CATALOG or md:DATABASE (default: "
        "$THESIS_DB, else thesis.duckdb in the user data directory).",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout instead of text.")
]


class ThesisGroup(TyperGroup):
    """Checks every setting before a command starts, and turns every typed error into
    one line on stderr and a non-zero exit code."""

    def invoke(self, ctx: Context) -> Any:
        try:
            if ctx.parent is None and not set(ctx.args) & set(ctx.help_option_names):
                check_settings()
            return super().invoke(ctx)
        except (click_exceptions.ClickException, typer.Exit, typer.Abort):
            raise
        except (Exception, KeyboardInterrupt) as err:  # typed: one line; a bug: traceback too
            ctx.exit(report_failure(err))


def check_settings() -> None:
    """Every THESIS_* setting, validated: a bad one stops the command now, in one line,
    before Prefect or the warehouse is touched (help still shows)."""
    from core.settings import load_settings
    from warehouse.target import parse_target

    settings = load_settings(source_ids=_source_ids)
    if settings.warehouse.db:
        parse_target(settings.warehouse.db)


def _source_ids() -> list[str]:
    """Asked only when a THESIS_URL_* is set: the registry imports every parser. The
    watched-model sources (openrouter-endpoints, model-configs) take mirrors too."""
    from extractors.registry import SOURCE_IDS

    return list(SOURCE_IDS)


def new_app(help_text: str, cls: type[ThesisGroup] = ThesisGroup) -> typer.Typer:
    return typer.Typer(
        cls=cls,
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,  # plain help: Rich's help renderer alone costs ~0.3 s to import
    )


def emit_json(doc: Any) -> None:
    typer.echo(json.dumps(doc, indent=2, default=str))
