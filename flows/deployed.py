"""Entrypoint for `prefect deploy` (prefect.yaml): the configured daily flow.

A worker imports this module for each run, so the task runner follows the worker's
environment (THESIS_TASK_RUNNER, ...) and a failed run alerts the configured channels.
"""

from __future__ import annotations

from flows.configured import configured_daily_flow

daily = configured_daily_flow()
