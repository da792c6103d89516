"""News from the official pages themselves, beside the theses' triggers:

- "new model on the official page": a page names a model the warehouse has never seen
  (in any source), in a section that parsed or in one that was skipped (its prices are
  not readable yet). A name that model identity maps to a model already seen (a dated
  snapshot or `-latest` alias of it: warehouse.identity.known_before) is not new. Info,
  once per page and model, ever. The first capture of a page is the baseline: nothing
  on it is news.
- "parser needs attention": a page section skipped on ATTENTION_DAYS consecutive days.
  Warning, once; it re-arms when the section parses again (or leaves the page).

Both read the warehouse (price_observations, model_limits, model_identity of migration
007, page_section_failures of migration 009) and keep fire-once state in trigger_state
like every trigger.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime

import duckdb

from alerts.records import Alert, Severity
from alerts.triggers.state import ConditionState
from extractors.registry import SOURCES
from warehouse.identity import known_before

NEW_MODEL = "page-new-model"
ATTENTION = "page-parser-attention"
THESIS_ID = "official-pages"
THESIS_TITLE = "Official price pages"
ATTENTION_DAYS = 2
KINDS = {NEW_MODEL: "page_new_model", ATTENTION: "page_parser_attention"}


@dataclass(frozen=True, slots=True)
class _Snapshot:
    snapshot_id: str
    observed_at: datetime


# snapshot id -> section -> (heading, reason, models)
Failures = dict[str, dict[str, tuple[str, str, tuple[str, ...]]]]


@dataclass(frozen=True)
class _Page:
    """One page source's history, as the two alerts read it."""

    con: duckdb.DuckDBPyConnection
    source: str
    provider: str
    url: str
    snaps: list[_Snapshot]
    failures: Failures
    state: ConditionState
    since: date

    def alert(self, trigger_id: str, severity: Severity, model: str, key: str) -> Alert:
        """An alert of this page, to be completed with `replace` (subject, values, date)."""
        return Alert(
            trigger_id=trigger_id,
            kind=KINDS[trigger_id],
            thesis_id=THESIS_ID,
            severity=severity,
            provider=self.provider,
            model=model,
            source_model_key=key,
            subject="",
            old_value=None,
            new_value=None,
            unit="",
            explanation="",
            source_url=self.url,
            date=self.since,
        )


def page_alerts(
    con: duckdb.DuckDBPyConnection, source: str, *, state: ConditionState, since: date
) -> list[Alert]:
    """New-model and parser-attention alerts of one source, dated after `since` (none
    for a source that is not an official page)."""
    found = SOURCES.get(source)
    if found is None or found.page_text is None:
        return []
    page = _Page(
        con,
        source,
        _provider(con, source),
        found.page_url or found.url,
        _loaded(con, source),
        _failures(con, source),
        state,
        since,
    )
    return _new_models(page) + _attention(page)


def _provider(con: duckdb.DuckDBPyConnection, source: str) -> str:
    row = con.execute(
        "select provider from price_observations where source = ? limit 1", [source]
    ).fetchone()
    return str(row[0]) if row else ""


def _loaded(con: duckdb.DuckDBPyConnection, source: str) -> list[_Snapshot]:
    rows = con.execute(
        "select snapshot_id, observed_at from snapshots where source = ? and status = 'loaded'"
        " order by observed_at, snapshot_id",
        [source],
    ).fetchall()
    return [_Snapshot(sid, at) for sid, at in rows]


def _failures(con: duckdb.DuckDBPyConnection, source: str) -> Failures:
    out: Failures = defaultdict(dict)
    for sid, section, heading, reason, models in con.execute(
        "select snapshot_id, section, heading, error, models from page_section_failures"
        " where source = ?",
        [source],
    ).fetchall():
        out[sid][section] = (heading, reason, tuple(models))
    return out


def _new_models(page: _Page) -> list[Alert]:
    out: list[Alert] = []
    for snap in page.snaps[1:]:  # the first capture is the baseline
        day = snap.observed_at.date()
        if day <= page.since:
            continue
        named = _named_in(page.con, snap.snapshot_id)
        for heading, reason, models in page.failures.get(snap.snapshot_id, {}).values():
            named.update(dict.fromkeys(models, (heading, reason)))
        for model, (heading, reason) in sorted(named.items()):
            if _seen_before(page.con, model, snap.observed_at) or known_before(
                page.con, page.provider, model, snap.observed_at
            ):
                continue
            if page.state.update(NEW_MODEL, f"{page.source}:{model}", True, heading, day):
                out.append(_news(page, model, heading, reason, day))
    return out


def _named_in(con: duckdb.DuckDBPyConnection, snapshot_id: str) -> dict[str, tuple[str, str]]:
    """Models that first appear (a 'new' series or limit) in this snapshot."""
    rows = con.execute(
        "select distinct model from price_observations where snapshot_id = ? and change = 'new'"
        " union select distinct model from model_limits where snapshot_id = ? and change = 'new'",
        [snapshot_id, snapshot_id],
    ).fetchall()
    return {m: ("", "") for (m,) in rows}


def _seen_before(con: duckdb.DuckDBPyConnection, model: str, at: datetime) -> bool:
    """Has any source, or any earlier skipped page section, named this model before?"""
    row = con.execute(
        "select 1 from price_observations where lower(model) = lower(?) and observed_at < ?"
        " union all select 1 from model_limits where lower(model) = lower(?) and observed_at < ?"
        " union all select 1 from page_section_failures"
        " where list_contains(models, ?) and observed_at < ? limit 1",
        [model, at, model, at, model, at],
    ).fetchone()
    return row is not None


def _news(page: _Page, model: str, heading: str, reason: str, day: date) -> Alert:
    where = f"section {heading!r} of {page.source}" if heading else page.source
    explanation = f"first named in {where}"
    if reason:
        explanation += f"; its prices could not be read yet: {reason}"
    return replace(
        page.alert(NEW_MODEL, "info", model, model),
        subject=f"new model on the official page: {page.provider} {model}",
        new_value=heading or model,
        explanation=explanation,
        date=day,
    )


def _attention(page: _Page) -> list[Alert]:
    """A section skipped on ATTENTION_DAYS consecutive days (the day's last snapshot)."""
    last_of_day = {s.observed_at.date(): s for s in page.snaps}
    streak: dict[str, int] = {}
    ever: set[str] = set()
    out: list[Alert] = []
    for day in sorted(last_of_day):
        failing = page.failures.get(last_of_day[day].snapshot_id, {})
        streak = {sec: streak.get(sec, 0) + 1 for sec in failing}
        for section in sorted(ever | set(failing)):
            active = streak.get(section, 0) >= ATTENTION_DAYS
            heading, reason, _ = failing.get(section, ("", "", ()))
            subject = f"{page.source}:{section}"
            fired = page.state.update(ATTENTION, subject, active, reason or None, day)
            if fired and day > page.since:
                out.append(_needs_attention(page, section, heading, reason, day))
        ever |= set(failing)
    return out


def _needs_attention(page: _Page, section: str, heading: str, reason: str, day: date) -> Alert:
    return replace(
        page.alert(ATTENTION, "warning", "", section),
        subject=f"parser needs attention: {page.source} section {heading or section!r}",
        new_value=f"skipped {ATTENTION_DAYS} days running",
        explanation=f"{reason}; page diff: `thesis pages diff {page.source}`",
        date=day,
    )
