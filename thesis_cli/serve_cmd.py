"""`thesis serve`: the daily flow on a cron schedule, served to a Prefect server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from core.errors import ConfigError
from thesis_cli.common import DbOption, JsonOption, emit_json

NO_SERVER = (
    "no Prefect server configured: start one with `prefect server start`, then "
    "`prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api` (or export it); "
    "`thesis run` needs no server"
)


def serve(
    cron: Annotated[
        str | None,
        typer.Option(
            "--cron",
            help="Five-field cron expression (default: $THESIS_SCHEDULE_CRON, else '0 6 * * *').",
            show_default=False,
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            "--tz",
            help="IANA time zone the cron is read in (default: $THESIS_SCHEDULE_TZ, else UTC).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", help="Only this source (repeatable). Default: all."),
    ] = None,
    theses: Annotated[
        Path | None,
        typer.Option("--theses", help="Theses TOML for the alerts.", dir_okay=False),
    ] = None,
    no_fundamentals: Annotated[
        bool, typer.Option("--no-fundamentals", help="Skip the yfinance fundamentals step.")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Validate and print the deployment; serve nothing."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Serve the daily flow on a schedule: a deployment `thesis-daily/daily` on the Prefect
    server in PREFECT_API_URL, running each scheduled run until stopped (Ctrl-C pauses the
    schedule). Runs show in the Prefect UI; a run that fails alerts the configured channels.
    The task runner follows THESIS_TASK_RUNNER (thread, dask, ray)."""
    from flows.configured import configured_daily_flow
    from flows.runners import runner_config_from_env
    from flows.serve import build_deployment, flow_parameters, schedule_config
    from flows.serve import serve as serve_forever
    from warehouse.target import parse_target

    schedule = schedule_config(cron, timezone)
    runner = runner_config_from_env()
    # Absolute paths: each run is a new process, and a worker may start it elsewhere.
    params = flow_parameters(
        parse_target(db).absolute() if db else None,
        source or None,
        str(theses.expanduser().absolute()) if theses else None,
        not no_fundamentals,
    )
    deployment = build_deployment(schedule, params, configured_daily_flow())
    doc = _describe(deployment, runner.describe())
    if as_json:
        emit_json(doc)
    else:
        typer.echo(
            f"{doc['deployment']}: cron '{doc['cron']}' ({doc['timezone']}), "
            f"task runner {doc['task_runner']}, parameters {doc['parameters']}"
        )
    if dry_run:
        return
    if not _api_url():
        raise ConfigError(NO_SERVER)
    serve_forever(deployment)


def _describe(deployment: Any, runner: str) -> dict[str, Any]:
    schedule = deployment.schedules[0].schedule
    return {
        "deployment": f"{deployment.flow_name}/{deployment.name}",
        "cron": schedule.cron,
        "timezone": schedule.timezone,
        "parameters": deployment.parameters,
        "task_runner": runner,
        "api_url": _api_url(),
    }


def _api_url() -> str:
    from prefect.settings import get_current_settings

    return str(get_current_settings().api.url or "")
