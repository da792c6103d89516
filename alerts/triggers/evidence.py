"""Name, on each alert of the reconciled series, the sources and keys behind it.

An alert about a canonical model says which sources stated the value in force on its
day (the series' source and the sources agreeing with it) and every key each source
had listed the model under by then: "litellm: gpt-4o, gpt-4o-2024-08-06 (confirms);
genai-prices: gpt-4o (agrees)". It goes in the alert's `evidence` (stored with the
alert, shown under it in Slack and email, and in the backtest JSON); it depends only on
data up to its day, so a re-run of that day names the same evidence. Such an alert's
`source_model_key` is the canonical model's name: several keys may stand behind it, and
the name does not move when later data does, so the alert's key stays the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import duckdb

from alerts.records import Alert

Model = tuple[str, str]


def with_evidence(con: duckdb.DuckDBPyConnection, alerts: Sequence[Alert]) -> list[Alert]:
    models = sorted({(a.provider, a.model) for a in alerts if a.model})
    if not models:
        return list(alerts)
    keys = _keys(con, models)
    rows = _rows(con, models)
    out = []
    for a in alerts:
        text = evidence_text(
            a.date, keys.get((a.provider, a.model), []), rows.get((a.provider, a.model), [])
        )
        key = a.model or a.source_model_key
        out.append(replace(a, source_model_key=key, evidence=text or None))
    return out


def evidence_text(
    day: date,
    keys: Sequence[tuple[str, str, date]],
    rows: Sequence[tuple[str, date, str | None, list[str]]],
) -> str:
    """`keys`: (source, key, first seen); `rows`: the model's series rows (component
    key, day, source, agreeing sources), in day order."""
    in_force: dict[str, tuple[str | None, list[str]]] = {}
    for price, at, source, agreeing in rows:
        if at <= day:
            in_force[price] = (source, agreeing)
    stating = {s for s, _ in in_force.values() if s}
    agreed = {a for _, ags in in_force.values() for a in ags} - stating
    seen: dict[str, list[str]] = defaultdict(list)
    for source, key, first in keys:
        if first <= day:
            seen[source].append(key)
    parts = []
    for source in sorted(seen, key=lambda s: (s not in stating, s not in agreed, s)):
        role = " (confirms)" if source in stating else " (agrees)" if source in agreed else ""
        parts.append(f"{source}: {', '.join(sorted(seen[source]))}{role}")
    return "; ".join(parts)


def _frame(con: duckdb.DuckDBPyConnection, models: list[Model]) -> None:
    con.execute("create or replace temp table _alerted (p varchar, m varchar)")
    con.executemany("insert into _alerted values (?, ?)", models)


def _keys(
    con: duckdb.DuckDBPyConnection, models: list[Model]
) -> dict[Model, list[tuple[str, str, date]]]:
    _frame(con, models)
    found = con.execute(
        "select canonical_provider, canonical_model, source, source_model_key,"
        " cast(first_seen_at as date) from model_identity i"
        " semi join _alerted a on a.p = i.canonical_provider and a.m = i.canonical_model"
    ).fetchall()
    out: dict[Model, list[tuple[str, str, date]]] = defaultdict(list)
    for p, m, source, key, first in found:
        out[(p, m)].append((source, key, first))
    return out


def _rows(
    con: duckdb.DuckDBPyConnection, models: list[Model]
) -> dict[Model, list[tuple[str, date, str | None, list[str]]]]:
    found = con.execute(
        "select provider, model, concat_ws('|', component, service_tier,"
        " tier_min_prompt_tokens, condition), day, case when state = 'confirmed' then source end,"
        " case when state = 'confirmed' then agreeing_sources else [] end"
        " from price_series s semi join _alerted a on a.p = s.provider and a.m = s.model"
        " order by day"
    ).fetchall()
    con.execute("drop table _alerted")
    out: dict[Model, list[tuple[str, date, str | None, list[str]]]] = defaultdict(list)
    for p, m, price, day, source, agreeing in found:
        out[(p, m)].append((price, day, source, list(agreeing)))
    return out
