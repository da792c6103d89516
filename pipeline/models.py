"""`thesis models [PATTERN]`: canonical models, their keys per source, first and last seen
(the mapping: reconcile/identity.py, stored by warehouse/identity.py)."""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError
from extractors.registry import get_source
from warehouse.db import connection
from warehouse.identity import identity_is_current, load_overrides, read_aliases

STALE_NOTE = (
    "the model identity below was built with other rules or another override file; "
    "it is rebuilt the next time the warehouse is opened for writing (`thesis run`)"
)


@dataclass(frozen=True, slots=True)
class ModelListing:
    """Each matching canonical model with its keys, and why the mapping may be out of
    date ("" when it is not)."""

    models: list[dict[str, Any]]
    stale: str


def list_models(
    db: Path | str | None, pattern: str | None = None, source: str | None = None
) -> ModelListing:
    """The canonical models whose name or any key matches `pattern` (part of a name or a
    glob, case-insensitive; all without), with only `source`'s keys if given."""
    if pattern is not None and not pattern.strip():
        raise ConfigError("PATTERN is empty; give part of a model name, e.g. claude-sonnet")
    if source is not None:
        get_source(source)  # an unknown source names the choices
    overrides = load_overrides()  # a bad override file names its file and line
    with connection(db, read_only=True) as con:
        rows = read_aliases(con, source)
        stale = "" if identity_is_current(con, overrides) else STALE_NOTE
    models = [m for m in group_by_model(rows) if pattern is None or matches(m, pattern)]
    return ModelListing(models, stale)


def group_by_model(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`model_aliases` rows (ordered by model) as one entry per canonical model."""
    by_model: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        key = dict(row)
        by_model[(key.pop("provider"), key.pop("model"))].append(key)
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


def matches(model: dict[str, Any], pattern: str) -> bool:
    """Whether the model's name, `provider/model`, or any of its keys matches."""
    names = [f"{model['provider']}/{model['model']}", model["model"]]
    names += [k["source_model_key"] for k in model["keys"]]
    wanted = pattern.lower()
    if any(c in wanted for c in "*?["):
        return any(fnmatch.fnmatchcase(n.lower(), wanted) for n in names)
    return any(wanted in n.lower() for n in names)
