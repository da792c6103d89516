"""Attach what the roofline inversion says to each alert (its stand-in bands, else
`latest_inferences`).

The inversion (model/, stored by warehouse/inferences.py in migration 003) writes named
conclusions per provider, model and stand-in architecture with an explanation that states
its assumptions, and their band across the stand-ins (migration 008), which is preferred.
Each trigger kind reads best next to one of them (its `explained_by`, most relevant
first); an alert whose model has none keeps an empty explanation (the message then
simply has no roofline line).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import duckdb

from alerts.records import Alert
from alerts.triggers.registry import KINDS

BAND_EXPLANATIONS = (
    "select provider, model, name, explanation from latest_inference_bands"
    " where low is not null order by provider, model, name"
)
STAND_IN_EXPLANATIONS = (
    "select provider, model, name, explanation from latest_inferences"
    " where value is not null order by provider, model, name, reference_model desc"
)


def _pick(kind: str, found: dict[str, str]) -> str:
    # A trailing "*" matches a prefix (long-context names carry the tier threshold).
    for wanted in KINDS[kind].explained_by if kind in KINDS else ():
        if wanted.endswith("*"):
            names = sorted(n for n in found if n.startswith(wanted[:-1]))
            if names:
                return found[names[0]]
        elif wanted in found:
            return found[wanted]
    return ""


ExplanationRow = tuple[str, str, str, str]  # provider, model, inference name, explanation


def with_explanations(con: duckdb.DuckDBPyConnection, alerts: Iterable[Alert]) -> list[Alert]:
    """The alerts, each given the roofline explanation of its model where one exists."""
    items = list(alerts)
    if not any(not a.explanation for a in items):
        return items
    # Each model is read against several stand-in architectures (issue 17): explain with
    # their band (the range and whether the verdict is firm) where one is stored.
    rows = (
        con.execute(BAND_EXPLANATIONS).fetchall() or con.execute(STAND_IN_EXPLANATIONS).fetchall()
    )
    return explained_by_rows(items, rows)


def explained_by_rows(alerts: Iterable[Alert], rows: Iterable[ExplanationRow]) -> list[Alert]:
    """The alerts, each given its model's explanation among `rows` (in the order of
    BAND_EXPLANATIONS or STAND_IN_EXPLANATIONS: a later row of one name wins)."""
    items = list(alerts)
    wanted = {(a.provider, a.model) for a in items if not a.explanation}
    by_model: dict[tuple[str, str], dict[str, str]] = {}
    # A few thousand rows at most (models x inference names): filter here, not in SQL.
    for provider, model, name, text in rows:
        if (provider, model) in wanted:
            by_model.setdefault((provider, model), {})[name] = text
    return [
        replace(a, explanation=_pick(a.kind, by_model.get((a.provider, a.model), {})))
        if not a.explanation
        else a
        for a in items
    ]
