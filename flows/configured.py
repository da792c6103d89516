"""The daily flow as `thesis run`, `thesis serve` and a deployment run it: the task runner
from configuration (flows.runners) and the failure alert (alerts.flow_failure) attached."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alerts.flow_failure import alert_flow_failure
from flows.daily import daily_flow
from flows.runners import build_task_runner, runner_config_from_env


def configured_daily_flow(env: Mapping[str, str] | None = None) -> Any:
    """`daily_flow` with the configured task runner and the on_failure/on_crashed alert.

    Raises ConfigError for a bad THESIS_TASK_RUNNER setting, before any work starts.
    """
    runner = build_task_runner(runner_config_from_env(env))
    return daily_flow.with_options(
        task_runner=runner,
        on_failure=[alert_flow_failure],
        on_crashed=[alert_flow_failure],
    )
