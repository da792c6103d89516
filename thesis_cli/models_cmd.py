"""`thesis models [PATTERN]`: canonical models, their keys per source, first and last seen.

Register in thesis_cli/main.py with:
    from thesis_cli import models_cmd
    app.command("models")(models_cmd.models)
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer

from thesis_cli.common import DbOption, JsonOption, emit_json


def models(
    pattern: Annotated[
        str | None,
        typer.Argument(
            help="Part of a model or key name, or a glob (`claude-*`); case-insensitive. "
            "A model is listed when its name or any of its keys matches.",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", "-s", help="Only keys of this source.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List canonical models with their aliases per source, and when each was seen."""
    from pipeline.models import list_models

    listing = list_models(db, pattern, source)
    if listing.stale:
        typer.echo(f"thesis: note: {listing.stale}", err=True)
    if as_json:
        emit_json(listing.models)
    elif not listing.models:
        typer.echo(f"no model matches {pattern!r}" if pattern else "no models loaded yet")
    else:
        typer.echo("\n".join(_lines(listing.models)))


def _lines(doc: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for model in doc:
        lines.append(
            f"{model['provider']}/{model['model']}  "
            f"seen {_day(model['first_seen_at'])} .. {_day(model['last_seen_at'])}"
        )
        width = max(len(k["source_model_key"]) for k in model["keys"])
        for key in model["keys"]:
            gone = "" if key["present"] else "  (gone)"
            lines.append(
                f"  {key['source']:<13} {key['source_model_key']:<{width}}  {key['outcome']:<14} "
                f"{_day(key['first_seen_at'])} .. {_day(key['last_seen_at'])}{gone}"
            )
            if key["outcome"] != "exact":
                lines.append(f"  {'':<13} {key['explanation']}")
    return lines


def _day(when: datetime) -> str:
    return when.date().isoformat()
