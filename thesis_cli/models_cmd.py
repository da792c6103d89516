"""`thesis models [PATTERN]`: canonical models, their keys per source, first and last seen.

Register in thesis_cli/main.py with:
    from thesis_cli import models_cmd
    app.command("models")(models_cmd.models)
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from datetime import datetime
from typing import Annotated, Any

import duckdb
import typer

from core.errors import ConfigError, WarehouseError
from thesis_cli.common import DbOption, JsonOption, emit_json

KEY_COLUMNS = (
    "source",
    "source_model_key",
    "source_provider",
    "source_model",
    "rule",
    "outcome",
    "is_alias",
    "explanation",
    "lab_provider",
    "lab_model",
    "first_seen_at",
    "last_seen_at",
    "present",
)


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
    from extractors.registry import get_source
    from warehouse.db import connect

    if pattern is not None and not pattern.strip():
        raise ConfigError("PATTERN is empty; give part of a model name, e.g. claude-sonnet")
    if source is not None:
        get_source(source)  # an unknown source is one line, exit 2
    con = connect(db, read_only=True)
    try:
        rows = _rows(con, source)
        stale = _stale(con)
    finally:
        con.close()
    doc = [m for m in _grouped(rows) if pattern is None or _matches(m, pattern)]
    if stale:
        typer.echo(f"thesis: note: {stale}", err=True)
    if as_json:
        emit_json(doc)
    elif not doc:
        typer.echo(f"no model matches {pattern!r}" if pattern else "no models loaded yet")
    else:
        typer.echo("\n".join(_lines(doc)))


def _rows(con: duckdb.DuckDBPyConnection, source: str | None) -> list[dict[str, Any]]:
    try:
        cur = con.execute(
            f"select provider, model, {', '.join(KEY_COLUMNS)} from model_aliases"
            " where ? is null or source = ? order by provider, model, source, source_model_key",
            [source, source],
        )
    except duckdb.CatalogException:
        raise WarehouseError(
            "this warehouse has no model identity yet; open it once for writing "
            "(`thesis run` or `thesis import-snapshots`) to upgrade it"
        ) from None
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _stale(con: duckdb.DuckDBPyConnection) -> str:
    """Why the stored identity may be out of date, or ""."""
    from reconcile.identity import RULES_VERSION
    from warehouse.identity import load_overrides

    overrides = load_overrides()  # a bad override file is one line, exit 2
    state = dict(con.execute("select name, value from model_identity_state").fetchall())
    if state == {"rules_version": str(RULES_VERSION), "overrides_sha256": overrides.fingerprint}:
        return ""
    return (
        "the model identity below was built with other rules or another override file; "
        "it is rebuilt the next time the warehouse is opened for writing (`thesis run`)"
    )


def _grouped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_model: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_model[(row.pop("provider"), row.pop("model"))].append(row)
    return [
        {
            "provider": provider,
            "model": model,
            "first_seen_at": min(k["first_seen_at"] for k in keys),
            "last_seen_at": max(k["last_seen_at"] for k in keys),
            "sources": sorted({k["source"] for k in keys}),
            "keys": keys,
        }
        for (provider, model), keys in by_model.items()
    ]


def _matches(model: dict[str, Any], pattern: str) -> bool:
    names = [f"{model['provider']}/{model['model']}", model["model"]]
    names += [k["source_model_key"] for k in model["keys"]]
    wanted = pattern.lower()
    if any(c in wanted for c in "*?["):
        return any(fnmatch.fnmatchcase(n.lower(), wanted) for n in names)
    return any(wanted in n.lower() for n in names)


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
