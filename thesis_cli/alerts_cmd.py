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
    """Show the most recent alerts, one row per alert and channel, with delivery status."""
    from pipeline.alerts import recent_alerts

    rows = recent_alerts(db, limit)
    if as_json:
        emit_json({"alerts": [_jsonable(r) for r in rows]})
        return
    if not rows:
        typer.echo("no alerts recorded yet")
        return
    for r in rows:
        typer.echo(_line(r))


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row.items()}


def _line(r: dict[str, Any]) -> str:
    change = f"{value_text(r['old_value'])} -> {value_text(r['new_value'])}"
    unit = f" {r['unit']}" if r["unit"] else ""
    status = r["status"] if r["status"] != "failed" else f"failed x{r['attempts']}"
    error = f"  ({r['last_error']})" if r["status"] == "failed" and r["last_error"] else ""
    label = r["trigger_id"] or r["message_type"]
    fired = r["fired_at"].strftime("%Y-%m-%d %H:%M")
    return (
        f"{fired}  {r['severity']:<8} {label:<26} {r['subject']}: {change}{unit}"
        f"  [{r['channel']}: {status}]{error}"
    )


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
    source: Annotated[str, typer.Option("--source", "-s", help="Source id of the files.")] = (
        "litellm"
    ),
    theses: ThesesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Replay dated snapshots through import, trigger evaluation and the roofline
    inversion; print every alert that would have fired, with what the inversion of that
    day's prices says about it. Uses a scratch warehouse and delivers nothing, so
    thresholds can be tuned on years of history before going live."""
    from alerts.theses.load import load_theses
    from pipeline.backtest import alert_json, run_backtest

    result = run_backtest(source, snapshots, load_theses(theses))
    if as_json:
        emit_json({"alerts": [alert_json(a) for a in result.alerts]})
        return
    for a in result.alerts:
        unit = f" {a.unit}" if a.unit else ""
        typer.echo(
            f"{a.date.isoformat()}  {a.severity:<8} {a.trigger_id:<30} {a.subject}: "
            f"{value_text(a.old_value)} -> {value_text(a.new_value)}{unit}"
        )
        if a.explanation:
            typer.echo(f"            roofline: {a.explanation}")
    typer.echo(
        f"{len(result.alerts)} alerts from {result.snapshots_loaded} snapshots of "
        f"{result.source}"
        + (f"; {len(result.snapshots_failed)} failed to load" if result.snapshots_failed else ""),
        err=True,
    )
