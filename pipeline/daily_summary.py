"""What a daily run reports: each source's outcome and the run's summary and status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from alerts.records import SourceFailure
from extractors.registry import WATCHED, get_source
from warehouse.load import LoadResult


@dataclass
class SourceOutcome:
    source: str
    status: str  # loaded | unchanged | not_modified | failed
    rows_added: int = 0
    models: int = 0
    error_kind: str | None = None
    error: str | None = None
    snapshot_id: str | None = None
    # Official-page sections skipped by the last payload loaded ("section: reason").
    skipped_sections: list[str] = field(default_factory=list)

    def merge(self, result: LoadResult) -> SourceOutcome:
        """Fold one payload's load result into the source's outcome for the run."""
        self.snapshot_id = result.snapshot_id
        self.rows_added += result.rows_added
        if result.status == "failed" and result.error is not None:
            self.status, self.error_kind = "failed", result.error.kind
            self.error = result.error.reason
        elif result.status == "loaded":
            self.status, self.models = "loaded", result.models
            self.error_kind = self.error = None
            self.skipped_sections = [f"{f.section}: {f.reason}" for f in result.section_failures]
        return self

    def line(self) -> str:
        """One log line saying what this source gave the run."""
        if self.status == "failed":
            return f"{self.source}: failed ({self.error_kind}): {self.error}"
        if self.status == "loaded":
            skipped = len(self.skipped_sections)
            extra = f", {skipped} page section(s) skipped" if skipped else ""
            return f"{self.source}: loaded {self.models} models, {self.rows_added} rows{extra}"
        if self.status == "not_modified":
            return f"{self.source}: not modified since the last fetch"
        return f"{self.source}: unchanged since the last load"


NOT_LOADED = "not loaded: the run stopped first; a fetched payload waits in the spool"


@dataclass(frozen=True)
class Stop:
    kind: str  # "interrupted", or the warehouse failure's kind (warehouse_locked, storage_full)
    reason: str  # one line


@dataclass
class RunSummary:
    run_id: str
    db_path: str
    outcomes: list[SourceOutcome] = field(default_factory=list)
    fundamentals: dict[str, Any] = field(default_factory=dict)
    inferences: int = 0  # rows stored today
    # models_recomputed / models_reused: the inversion redoes only changed price sheets
    roofline: dict[str, int] = field(default_factory=dict)
    alerts: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # config errors, failed steps
    # Why the run stopped before its end (a warehouse it cannot write, Ctrl-C), if it did.
    stopped: Stop | None = None
    recorded: bool = False  # the run has its row in the warehouse

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def succeeded(self) -> list[str]:
        """The sources that did not fail this run: their triggers are evaluated."""
        return [o.source for o in self.outcomes if o.status != "failed"]

    def stop(self, kind: str, reason: str, chosen: list[str]) -> None:
        """End the run early: every chosen source without an outcome yet is recorded as not
        loaded (its payload, if fetched, waits in the spool for the next run)."""
        self.stopped = Stop(kind, reason)
        done = {o.source for o in self.outcomes}
        self.outcomes += [
            SourceOutcome(sid, "failed", error_kind=kind, error=NOT_LOADED)
            for sid in chosen
            if sid not in done
        ]

    @property
    def status(self) -> str:
        if self.stopped is not None:
            return "interrupted" if self.stopped.kind == "interrupted" else "failed"
        if self.outcomes and len(self.failed) == len(self.outcomes):
            return "failed"
        deliveries_ok = all(d["ok"] for d in self.alerts.get("deliveries", []))
        if self.failed or self.problems or self.fundamentals.get("failed") or not deliveries_ok:
            return "partial"
        return "ok"

    def failure_message(self) -> str:
        """What went wrong, naming every failed source and ticker ("" when nothing did)."""
        parts = []
        if self.failed:
            names = failed_streams([o.__dict__ for o in self.outcomes])
            parts.append(f"{len(self.failed)} of {len(self.outcomes)} sources failed: {names}")
        tickers = sorted(self.fundamentals.get("failed", {}))
        if tickers:
            parts.append(f"{len(tickers)} tickers failed: {', '.join(tickers)}")
        bad = [d["channel"] for d in self.alerts.get("deliveries", []) if not d["ok"]]
        if bad:
            parts.append(f"alert delivery failed: {', '.join(bad)}")
        stopped = [f"stopped: {self.stopped.reason}"] if self.stopped else []
        return "; ".join(parts + self.problems + stopped)

    def fundamentals_line(self) -> str:
        ok, failed = self.fundamentals.get("ok", []), self.fundamentals.get("failed", {})
        line = f"fundamentals: {len(ok)} of {len(ok) + len(failed)} tickers loaded"
        if failed:
            line += "; failed: " + "; ".join(f"{t} ({why})" for t, why in sorted(failed.items()))
        return line

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "db": self.db_path,
            "status": self.status,
            "rows_added": sum(o.rows_added for o in self.outcomes),
            "sources": [o.__dict__ for o in self.outcomes],
            "fundamentals": self.fundamentals,
            "inferences": self.inferences,
            "roofline": self.roofline,
            "alerts": self.alerts,
            "problems": self.problems,
            "stopped": self.stopped.__dict__ if self.stopped else None,
        }

    def failures(self, on: date) -> list[SourceFailure]:
        """Every failed source and ticker, for the "source broken" alert."""
        found = [
            SourceFailure(
                o.source,
                o.error_kind or "source",
                o.error or "",
                on,
                _url(o.source),
            )
            for o in self.failed
        ]
        for ticker, reason in self.fundamentals.get("failed", {}).items():
            found.append(SourceFailure(f"yfinance:{ticker}", "fetch_failed", reason, on))
        return found


def failed_streams(streams: Iterable[Mapping[str, Any]]) -> str:
    """A run's failed streams, one phrase per source, in run order: a price source (or a
    watched-model source's only failed model) by name, more models of one source counted,
    each with its failure's kind, e.g. "litellm (fetch_failed), openrouter-endpoints 12 of
    12 models (fetch_failed)". The streams are `RunSummary.as_dict()["sources"]`."""
    by_source: dict[str, list[Mapping[str, Any]]] = {}
    for stream in streams:
        by_source.setdefault(stream["source"].partition(":")[0], []).append(stream)
    parts = []
    for source, mine in by_source.items():
        failed = [s for s in mine if s["status"] == "failed"]
        kinds = Counter(str(s["error_kind"]) for s in failed)
        if not kinds:
            continue
        said = ", ".join(k if len(kinds) == 1 else f"{k} {n}" for k, n in kinds.most_common())
        if len(failed) == 1:
            parts.append(f"{failed[0]['source']} ({said})")
        else:
            parts.append(f"{source} {len(failed)} of {len(mine)} models ({said})")
    return ", ".join(parts)


def summary_markdown(doc: dict[str, Any]) -> str:
    """The run summary (`RunSummary.as_dict()`) as Markdown, for the run's Prefect artifact."""
    lines = [
        f"# Daily run {doc['run_id']}: {doc['status']}",
        "",
        f"{doc['rows_added']} rows added to `{doc['db']}`.",
        "",
        "| source | status | rows added | detail |",
        "|---|---|---:|---|",
    ]
    for s in doc["sources"]:
        detail = f"{s['error_kind']}: {s['error']}" if s["status"] == "failed" else ""
        if s.get("skipped_sections"):
            detail = f"{len(s['skipped_sections'])} page section(s) skipped"
        lines.append(f"| {s['source']} | {s['status']} | {s['rows_added']} | {_cell(detail)} |")
    funds = doc.get("fundamentals") or {}
    if funds:
        lines += ["", f"Fundamentals: {len(funds.get('ok', []))} tickers loaded."]
        failed = sorted(funds.get("failed", {}).items())
        lines += [f"- {ticker} failed: {_cell(why)}" for ticker, why in failed]
    lines += ["", f"Roofline inferences stored: {doc['inferences']}."]
    roofline = doc.get("roofline") or {}
    if roofline:
        lines[-1] += (
            f" Models inverted: {roofline.get('models_recomputed', 0)}; unchanged, last "
            f"inferences reused: {roofline.get('models_reused', 0)}."
        )
    alerts = doc.get("alerts") or {}
    if alerts:
        lines.append(
            f"Alerts: {alerts.get('alerts_recorded', 0)} new, "
            f"{alerts.get('source_failures_recorded', 0)} source outages; "
            f"{alerts.get('deliveries_made', 0)} deliveries in "
            f"{alerts.get('messages_sent', 0)} messages."
        )
    lines += [f"- problem: {_cell(p)}" for p in doc.get("problems", [])]
    if doc.get("stopped"):
        lines.append(f"- stopped: {_cell(doc['stopped']['reason'])}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Scraped error text inside a Markdown table cell: one line, no column breaks."""
    return " ".join(text.split()).replace("|", "\\|")


def _url(stream: str) -> str:
    """Where a failed source (or one model's stream, `source:model`) is fetched from."""
    source_id, _, model = stream.partition(":")
    if source_id in WATCHED:
        return WATCHED[source_id].url(model)
    source = get_source(stream)
    return source.page_url or source.url
