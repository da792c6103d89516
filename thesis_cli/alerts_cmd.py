"""`thesis alerts ...`: test the configured channels, list recent alerts, check a theses file.

Register in thesis_cli/main.py with:
    from thesis_cli import alerts_cmd
    app.add_typer(alerts_cmd.app, name="alerts")
    app.command("backtest")(alerts_cmd.backtest)
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from alerts.records import value_text
from core.errors import ConfigError
from thesis_cli.common import DbOption, JsonOption, emit_json, new_app

if TYPE_CHECKING:  # the trigger modules reach DuckDB: only the commands import them
    from collections.abc import Sequence

    from alerts.records import Alert
    from alerts.theses.load import Theses
    from alerts.triggers.base import Trigger

app = new_app(
    "Alert channels and the theses checklist. Channels come from the environment: "
    "THESIS_SLACK_WEBHOOK_URL (or THESIS_SLACK_WEBHOOK_BLOCK, a Prefect Secret block), "
    "THESIS_SMTP_HOST/_PORT/_SECURITY/_USER/_PASSWORD/_FROM/_TO/_CA_FILE, and "
    "THESIS_APPRISE_URLS."
)

ThesesOption = Annotated[
    Path | None,
    typer.Option(
        "--theses",
        help="Theses TOML file (default: the shipped alerts/theses.toml).",
        dir_okay=False,
        show_default=False,
    ),
]
LimitOption = Annotated[int, typer.Option("--limit", "-n", min=1, help="How many rows to show.")]


@app.command("test")
def test_channels(as_json: JsonOption = False) -> None:
    """Send a test message to every configured channel and report each result.

    Exit code 0 when every channel accepted it, 1 when any failed, 2 when none is configured.
    """
    from alerts.delivery.channels import NO_CHANNELS, channels_from_env

    channels = channels_from_env()
    if not channels:
        if as_json:
            emit_json({"ok": False, "channels": [], "reason": NO_CHANNELS})
        raise ConfigError(NO_CHANNELS)
    from pipeline.alerts import send_probe

    results = [asdict(r) for r in send_probe(channels)]
    ok = all(r["ok"] for r in results)
    if as_json:
        emit_json({"ok": ok, "channels": results})
    else:
        for r in results:
            typer.echo(f"{r['channel']}: " + ("ok" if r["ok"] else f"FAILED ({r['error']})"))
    if not ok:
        raise typer.Exit(1)


@app.command("list")
def list_alerts(limit: LimitOption = 20, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Show the most recent alerts, one line each with its delivery status per channel,
    then how many alerts and deliveries that is (one alert sent to three channels is one
    alert and three deliveries)."""
    from pipeline.alerts import recent_alerts

    events = recent_alerts(db, limit)
    counts = _counts(events)
    if as_json:
        emit_json({"alerts": [_jsonable(e) for e in events], "counts": counts})
        return
    if not events:
        typer.echo("no alerts recorded yet")
        return
    for event in events:
        typer.echo(_line(event))
    typer.echo(_counts_line(counts))


def _counts(events: list[dict[str, Any]]) -> dict[str, int]:
    """Events and deliveries (a channel's copy of an event) by status; 'none' is no channel."""
    sent = [d for e in events for d in e["deliveries"] if d["status"] != "no_channel"]
    return {
        "alerts": sum(e["message_type"] == "alert" for e in events),
        "source_failures": sum(e["message_type"] != "alert" for e in events),
        "deliveries": len(sent),
        "delivered": sum(d["status"] == "delivered" for d in sent),
        "pending": sum(d["status"] == "pending" for d in sent),
        "failed": sum(d["status"] == "failed" for d in sent),
    }


def _counts_line(c: dict[str, int]) -> str:
    n = c["source_failures"]
    failures = f", {n} source failure{'' if n == 1 else 's'}" if n else ""
    return (
        f"{c['alerts']} alert{'' if c['alerts'] == 1 else 's'}{failures}; "
        f"{c['deliveries']} deliver{'y' if c['deliveries'] == 1 else 'ies'}: "
        f"{c['delivered']} delivered, {c['pending']} pending, {c['failed']} failed"
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, date | datetime) else value


def _line(e: dict[str, Any]) -> str:
    change = f"{value_text(e['old_value'])} -> {value_text(e['new_value'])}"
    unit = f" {e['unit']}" if e["unit"] else ""
    label = e["trigger_id"] or e["message_type"]
    fired = e["fired_at"].strftime("%Y-%m-%d %H:%M")
    return (
        f"{fired}  {e['severity']:<8} {label:<26} {e['subject']}: {change}{unit}"
        f"  [{', '.join(map(_delivery, e['deliveries']))}]"
    )


def _delivery(d: dict[str, Any]) -> str:
    if d["status"] != "failed":
        return f"{d['channel']}: {d['status']}"
    error = f" ({d['last_error']})" if d["last_error"] else ""
    return f"{d['channel']}: failed x{d['attempts']}{error}"


@app.command("theses")
def check_theses(theses: ThesesOption = None, as_json: JsonOption = False) -> None:
    """Validate a theses file and list its theses and triggers (exit 2 naming the bad line).

    The trigger kinds and their parameters are described in docs/triggers.md."""
    from alerts.theses.load import load_theses
    from alerts.triggers.params import param_values, shown
    from alerts.triggers.reference import kinds_json, metrics_json

    loaded = load_theses(theses)
    if as_json:
        emit_json(
            {
                "path": str(loaded.path),
                "tickers": [t.symbol for t in loaded.tickers],
                "theses": [
                    {"id": t.id, "title": t.title, "tickers": t.tickers} for t in loaded.theses
                ],
                "triggers": [
                    {
                        "id": t.id,
                        "kind": t.kind,
                        "summary": t.summary,
                        "thesis": t.thesis_id,
                        "severity": t.severity,
                        "line": t.line,
                        "params": {k: shown(v) for k, v in param_values(t).items()},
                    }
                    for t in loaded.triggers
                ],
                "kinds": kinds_json(),
                "metrics": metrics_json(),
            }
        )
        return
    typer.echo(f"{loaded.path}: {len(loaded.theses)} theses, {len(loaded.triggers)} triggers, ok")
    for thesis in loaded.theses:
        typer.echo(f"\n{thesis.title}  [{thesis.id}; {', '.join(thesis.tickers)}]")
        for t in loaded.triggers:
            if t.thesis_id == thesis.id:
                typer.echo(f"  {t.severity:<8} {t.id} ({t.kind}): {t.summary}")
                typer.echo(f"           {params_text(t)}")


def params_text(trigger: Trigger) -> str:
    """The parameters of its kind (--json shows the shared ones too)."""
    from alerts.triggers.base import Watched
    from alerts.triggers.params import param_infos, toml_text

    shared = {p.name for p in param_infos(Watched)} if isinstance(trigger, Watched) else set()
    parts = []
    for p in param_infos(type(trigger)):
        if p.name not in shared:
            value = getattr(trigger, p.name)
            said = value is None or not p.unit or p.name.endswith(p.unit)
            unit = "" if said else f" {p.unit}"
            parts.append(f"{p.name} = {toml_text(value)}{unit}")
    return "; ".join(parts)


# Not on the `alerts` app: main.py registers it top-level as `thesis backtest`.
def backtest(
    snapshots: Annotated[
        Path,
        typer.Option(
            "--snapshots",
            help="Directory of dated snapshots (the format `thesis import-snapshots` reads).",
            file_okay=False,
        ),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source",
            "-s",
            help="Source id of the files: a price source, or openrouter-endpoints /"
            " model-configs (files dated by a leading or trailing YYYY-MM-DD).",
        ),
    ] = "litellm",
    theses: ThesesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Replay dated snapshots through import, trigger evaluation and the roofline
    inversion; print every alert that would have fired, with what the inversion of that
    day's prices says about it. Uses a scratch warehouse and delivers nothing, so
    thresholds can be tuned on years of history before going live."""
    from alerts.theses.load import load_theses
    from pipeline.backtest import alert_json, run_backtest
    from pipeline.backtest_watched import is_watched
    from thesis_cli.progress import progress_bar

    if is_watched(source):
        _backtest_watched(source, snapshots, load_theses(theses), as_json)
        return
    with progress_bar(f"backtest {source}", "files", quiet=as_json) as progress:
        result = run_backtest(source, snapshots, load_theses(theses), progress=progress)
    if as_json:
        emit_json({"alerts": [alert_json(a) for a in result.alerts]})
        return
    _echo_alerts(result.alerts)
    typer.echo(
        f"{len(result.alerts)} alerts from {result.snapshots_loaded} snapshots of "
        f"{result.source}"
        + (f"; {len(result.snapshots_failed)} failed to load" if result.snapshots_failed else ""),
        err=True,
    )


def _backtest_watched(source: str, snapshots: Path, theses: Theses, as_json: bool) -> None:
    """A watched-model source's dated answers, and the alerts of the kinds it feeds."""
    from pipeline.backtest import alert_json
    from pipeline.backtest_watched import per_kind, run_watched_backtest

    result = run_watched_backtest(source, snapshots, theses)
    kinds = per_kind(result.alerts)
    if as_json:
        emit_json(
            {
                "alerts": [alert_json(a) for a in result.alerts],
                "alerts_per_kind": kinds,
                "days": result.days,
                "loaded": list(result.loaded),
                "failed": list(result.failed),
                "skipped_files": list(result.skipped_files),
            }
        )
        return
    _echo_alerts(result.alerts)
    shown = ", ".join(f"{k} {n}" for k, n in kinds.items()) or "none"
    typer.echo(
        f"{len(result.alerts)} alerts ({shown}) from {result.days} days of {result.source}"
        f" ({len(result.loaded)} models loaded"
        + (f", {len(result.failed)} failed" if result.failed else "")
        + (f", {len(result.skipped_files)} undated files skipped" if result.skipped_files else "")
        + ")",
        err=True,
    )


def _echo_alerts(alerts: Sequence[Alert]) -> None:
    for a in alerts:
        unit = f" {a.unit}" if a.unit else ""
        typer.echo(
            f"{a.date.isoformat()}  {a.severity:<8} {a.trigger_id:<30} {a.subject}: "
            f"{value_text(a.old_value)} -> {value_text(a.new_value)}{unit}"
        )
        if a.explanation:
            typer.echo(f"            roofline: {a.explanation}")
