"""Which Prefect task runner the daily flow's tasks run on, chosen by the settings
THESIS_TASK_RUNNER, THESIS_TASK_WORKERS and THESIS_DASK_ADDRESS / THESIS_RAY_ADDRESS
(core.settings.PrefectSettings; docs/configuration.md).

The fetches are I/O-bound and the warehouse is one DuckDB file written by one process at a
time, so threads are right on one machine; Dask or Ray spread the fetch and parse tasks
when a deployment outgrows it (workers must see the same spool directory and warehouse).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import ConfigError
from core.settings import PrefectSettings


@dataclass(frozen=True, slots=True)
class RunnerConfig:
    kind: str = "thread"
    address: str = ""  # dask or ray cluster address; "" = start one per run
    workers: int | None = None

    def describe(self) -> str:
        where = self.address or "a temporary local cluster"
        if self.kind == "thread":
            return f"thread pool ({self.workers or 'unbounded'} threads)"
        return f"{self.kind} on {where}"


def runner_config_from_env(env: Mapping[str, str] | None = None) -> RunnerConfig:
    """The task-runner settings, validated; every problem names the variable and the fix."""
    settings = PrefectSettings.load(env)
    return RunnerConfig(settings.task_runner, settings.cluster_address, settings.task_workers)


def build_task_runner(cfg: RunnerConfig) -> Any:
    """A fresh Prefect TaskRunner for `cfg` (a runner is entered once per flow run)."""
    if cfg.kind == "thread":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=cfg.workers)
    if cfg.kind == "dask":
        return _dask(cfg)
    return _ray(cfg)


def _optional(module: str, name: str, extra: str) -> Any:
    """A class from an optional extra; imported by name so type-checking needs no extra."""
    try:
        return getattr(importlib.import_module(module), name)
    except ImportError:
        raise ConfigError(
            f"THESIS_TASK_RUNNER={extra} needs {module.split('.')[0].replace('_', '-')}: "
            f"install it with `uv sync --extra {extra}`"
        ) from None


def _dask(cfg: RunnerConfig) -> Any:
    dask_runner = _optional("prefect_dask.task_runners", "DaskTaskRunner", "dask")
    if cfg.address:
        return dask_runner(address=cfg.address)
    kwargs = {"n_workers": cfg.workers} if cfg.workers else None
    return dask_runner(cluster_kwargs=kwargs)


def _ray(cfg: RunnerConfig) -> Any:
    ray_runner = _optional("prefect_ray.task_runners", "RayTaskRunner", "ray")
    if cfg.address:
        return ray_runner(address=cfg.address)
    return ray_runner(init_kwargs={"num_cpus": cfg.workers} if cfg.workers else None)
