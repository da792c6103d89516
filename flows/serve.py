"""Serve the daily flow on a cron schedule against a Prefect server (`thesis serve`).

The schedule comes from `--cron` / `--timezone`, else the settings THESIS_SCHEDULE_CRON /
THESIS_SCHEDULE_TZ (core.settings.ScheduleSettings; docs/configuration.md). Serving
registers a deployment named `thesis-daily/daily` with the server in PREFECT_API_URL and
runs each scheduled run in a subprocess of this one until stopped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import ConfigError
from core.settings import ScheduleSettings

DEFAULT_CRON = ScheduleSettings.model_fields["schedule_cron"].default
DEFAULT_TIMEZONE = ScheduleSettings.model_fields["schedule_tz"].default
DEPLOYMENT_NAME = "daily"
ENV_CRON, ENV_TZ = "THESIS_SCHEDULE_CRON", "THESIS_SCHEDULE_TZ"
CRON_EXAMPLE = "e.g. '0 6 * * *' for 06:00 daily, '30 5 * * 1-5' for 05:30 on weekdays"


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    cron: str = DEFAULT_CRON
    timezone: str = DEFAULT_TIMEZONE


def schedule_config(
    cron: str | None = None, timezone: str | None = None, env: Mapping[str, str] | None = None
) -> ScheduleConfig:
    """The schedule from explicit values, else the settings (their defaults included)."""
    settings = ScheduleSettings.load(env)
    chosen_cron = " ".join((cron or settings.schedule_cron).split())
    chosen_tz = (timezone or settings.schedule_tz).strip()
    _check(chosen_cron, chosen_tz)
    return ScheduleConfig(chosen_cron, chosen_tz)


def _check(cron: str, timezone: str) -> None:
    """Validate with the rules the Prefect server applies, so a bad value fails here."""
    from prefect._internal.schemas.validators import default_timezone, validate_cron_string

    label = f"schedule cron {cron!r} (--cron or {ENV_CRON})"
    if len(cron.split()) != 5:
        raise ConfigError(
            f"{label} is not a five-field cron expression "
            f"(minute hour day-of-month month day-of-week); {CRON_EXAMPLE}"
        )
    try:
        validate_cron_string(cron)
    except ValueError as err:
        raise ConfigError(f"{label}: {err}; {CRON_EXAMPLE}") from None
    try:
        default_timezone(timezone)
    except ValueError:
        raise ConfigError(
            f"schedule time zone {timezone!r} (--timezone or {ENV_TZ}) is not an IANA time "
            "zone: use a name like UTC, Europe/London or America/New_York"
        ) from None


def flow_parameters(
    db_path: str | None = None,
    sources: list[str] | None = None,
    theses_path: str | None = None,
    fundamentals: bool = True,
) -> dict[str, Any]:
    """daily_flow's parameters for each scheduled run (None: the flow's own default)."""
    params: dict[str, Any] = {"fundamentals": fundamentals}
    if db_path:
        params["db_path"] = db_path
    if sources:
        params["sources"] = list(sources)
    if theses_path:
        params["theses_path"] = theses_path
    return params


def build_deployment(
    schedule: ScheduleConfig,
    parameters: Mapping[str, Any],
    flow: Any = None,
    name: str = DEPLOYMENT_NAME,
) -> Any:
    """The RunnerDeployment `serve` registers (built without contacting a server)."""
    from prefect.schedules import Cron

    from flows.configured import configured_daily_flow

    chosen = flow if flow is not None else configured_daily_flow()
    return chosen.to_deployment(
        name=name,
        schedule=Cron(schedule.cron, timezone=schedule.timezone),
        parameters=dict(parameters),
        tags=["thesis"],
        description=(
            f"thesis daily run: prices, fundamentals, inversion, triggers, alerts "
            f"(cron '{schedule.cron}' in {schedule.timezone})"
        ),
    )


def serve(deployment: Any, limit: int = 1) -> None:
    """Register the deployment and run its scheduled runs until interrupted (blocks).

    `limit` 1: two runs never write the warehouse at the same time.
    """
    from prefect import serve as prefect_serve

    prefect_serve(deployment, limit=limit)
