"""Human-readable output of the core commands (JSON output is the dicts themselves)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import typer

from core.rows import Parsed
from warehouse.query import render_table


def print_run_summary(summary: dict[str, Any]) -> None:
    from pipeline.daily_summary import failed_streams  # the registry: only `run` needs it

    for item in summary["sources"]:
        detail = f"{item['rows_added']} rows added"
        if item["status"] == "failed":
            detail = f"{item['error_kind']}: {item['error']}"
        elif item.get("skipped_sections"):
            detail += f"; {len(item['skipped_sections'])} page section(s) skipped"
        typer.echo(f"  {item['source']:<15} {item['status']:<12} {detail}")
    fundamentals = summary.get("fundamentals") or {}
    if fundamentals:
        bad = fundamentals.get("failed", {})
        typer.echo(
            f"  fundamentals    {len(fundamentals.get('ok', []))} tickers loaded"
            + (f", failed: {', '.join(sorted(bad))}" if bad else "")
        )
    if summary.get("inferences"):
        typer.echo(f"  roofline        {summary['inferences']} inferences stored")
    alerts = summary.get("alerts") or {}
    if alerts:
        typer.echo(f"  alerts          {alerts_line(alerts)}")
    for problem in summary.get("problems", []):
        typer.echo(f"  problem         {problem}")
    failed = [s for s in summary["sources"] if s["status"] == "failed"]
    line = (
        f"run {summary['run_id']}: {summary['status']}, "
        f"{len(summary['sources']) - len(failed)}/{len(summary['sources'])} sources ok, "
        f"{summary['rows_added']} rows added to {summary['db']}"
    )
    if failed:
        line += f"; failed: {failed_streams(summary['sources'])}"
    if summary.get("stopped"):
        line += f"; stopped: {summary['stopped']['reason']}"
    typer.echo(line)


def alerts_line(alerts: dict[str, Any]) -> str:
    """ "2 alerts, 1 source outage; 6 deliveries in 3 messages to slack, email, apprise"."""
    failed = [d["channel"] for d in alerts.get("deliveries", []) if not d["ok"]]
    line = (
        f"{plural(alerts.get('alerts_recorded', 0), 'alert')}, "
        f"{plural(alerts.get('source_failures_recorded', 0), 'source outage')}; "
        f"{plural(alerts.get('deliveries_made', 0), 'delivery', 'deliveries')} in "
        f"{plural(alerts.get('messages_sent', 0), 'message')} to "
        f"{', '.join(alerts.get('channels', []))}"
    )
    return line + (f"; delivery failed: {', '.join(failed)}" if failed else "")


def plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def print_import(doc: dict[str, Any]) -> None:
    answers = f" ({plural(doc['answers'], 'model answer')})" if "answers" in doc else ""
    typer.echo(
        f"{doc['source']}: {doc['files']} files{answers}, {doc['loaded']} loaded, "
        f"{doc['unchanged']} already there, {len(doc['failed'])} failed, "
        f"{doc['rows_added']} observation rows added"
    )
    for failure in doc["failed"]:
        typer.echo(f"  failed {failure['snapshot_id']}: {failure['error']}")
    if doc["skipped_files"]:
        typer.echo(f"  skipped (no date in name): {', '.join(doc['skipped_files'])}")


def parsed_doc(source_id: str, parsed: Parsed) -> dict[str, Any]:
    return {
        "source": source_id,
        "models": len(parsed.model_keys),
        "prices": [
            {
                "source_model_key": r.source_model_key,
                "provider": r.provider,
                "model": r.model,
                "component": r.component,
                "service_tier": r.service_tier,
                "tier_min_prompt_tokens": r.tier_min_prompt_tokens,
                "usd_per_mtok": str(r.usd_per_mtok),
                "condition": r.condition,
                "effective_from": r.effective_from,
                "effective_to": r.effective_to,
            }
            for r in parsed.prices
        ],
        "limits": [
            {
                "source_model_key": r.source_model_key,
                "provider": r.provider,
                "model": r.model,
                "context_window_tokens": r.context_window_tokens,
                "max_input_tokens": r.max_input_tokens,
                "max_output_tokens": r.max_output_tokens,
            }
            for r in parsed.limits
        ],
        "unmapped_fields": sorted(parsed.unmapped_fields),
    }


def print_parsed(source_id: str, parsed: Parsed) -> None:
    doc = parsed_doc(source_id, parsed)
    cols = [
        "provider",
        "model",
        "component",
        "service_tier",
        "tier_min_prompt_tokens",
        "usd_per_mtok",
        "condition",
        "effective_from",
        "effective_to",
    ]
    rows = [["" if p[c] is None else str(p[c]) for c in cols] for p in doc["prices"]]
    typer.echo(render_table(cols, rows))
    lcols = ["provider", "model", "context_window_tokens", "max_input_tokens", "max_output_tokens"]
    lrows = [["" if p[c] is None else str(p[c]) for c in lcols] for p in doc["limits"]]
    if lrows:
        typer.echo(render_table(lcols, lrows))
    typer.echo(f"{source_id}: {doc['models']} models, {len(rows)} prices, {len(lrows)} limits")
    if doc["unmapped_fields"]:
        typer.echo(f"not mapped (ignored): {', '.join(doc['unmapped_fields'])}")


def print_sources(doc: list[dict[str, Any]]) -> None:
    """One line per source: its kind and last outcome, then its freshness and URL."""
    for item in doc:
        last = item.get("last") or {}
        state = last.get("status", "never run")
        typer.echo(
            f"{item['id']:<15} {'official' if item['official'] else 'feed':<8} {state}  "
            f"{item['url']}"
        )
        if item["last_success"] is not None:
            typer.echo(
                f"{'':<15} last success {_when(item['last_success'])} "
                f"({age_text(item['age_s'])} ago)"
            )
        elif last:
            typer.echo(f"{'':<15} never loaded")
        failure = item["last_failure"]
        if failure is not None:
            typer.echo(f"{'':<15} last failure {_when(failure['at'])}: {failure['error']}")


def _when(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def age_text(seconds: int) -> str:
    """'40 s', '12 min', '5 h', '3 d': the largest unit, rounded down."""
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{max(seconds, 0)} s"
