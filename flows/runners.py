"""Which Prefect task runner the daily flow's tasks run on, chosen by configuration.

    THESIS_TASK_RUNNER   thread (default): a thread pool in the flow's process
                         dask: prefect-dask's DaskTaskRunner (`uv sync --extra dask`)
                         ray: prefect-ray's RayTaskRunner (`uv sync --extra ray`)
    THESIS_DASK_ADDRESS  scheduler of an existing Dask cluster, e.g. tcp://10.0.0.5:8786;
                         unset: a temporary local cluster for each run
    THESIS_RAY_ADDRESS   an existing Ray cluster, e.g. ray://10.0.0.5:10001 or auto;
                         unset: a temporary local Ray instance for each run
    THESIS_TASK_WORKERS  thread: at most this many threads; dask or ray, local cluster
                         only: the number of worker processes (dask) or CPUs (ray)

The fetches are I/O-bound and the warehouse is one DuckDB file written by one process at a
time, so threads are right on one machine; Dask or Ray spread the fetch and parse tasks
when a deployment outgrows it (workers must see the same spool directory and warehouse).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import ConfigError

KINDS = ("thread", "dask", "ray")
ENV_KIND, ENV_WORKERS = "THESIS_TASK_RUNNER", "THESIS_TASK_WORKERS"
ENV_DASK_ADDRESS, ENV_RAY_ADDRESS = "THESIS_DASK_ADDRESS", "THESIS_RAY_ADDRESS"


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
    env = os.environ if env is None else env
    kind = env.get(ENV_KIND, "").strip().lower() or "thread"
    if kind not in KINDS:
        raise ConfigError(f"{ENV_KIND}={kind!r} is not known: use thread, dask or ray")
    workers = _workers(env.get(ENV_WORKERS, "").strip())
    address = {
        "dask": env.get(ENV_DASK_ADDRESS, ""),
        "ray": env.get(ENV_RAY_ADDRESS, ""),
    }.get(kind, "")
    address = address.strip()
    if kind == "dask" and address and "://" not in address:
        raise ConfigError(
            f"{ENV_DASK_ADDRESS}={address!r} is not a scheduler address: "
            "write it with its protocol, e.g. tcp://10.0.0.5:8786"
        )
    if kind != "thread" and address and workers is not None:
        raise ConfigError(
            f"{ENV_WORKERS} sizes a local cluster; the cluster at {address} has its own "
            f"workers: unset one of them"
        )
    return RunnerConfig(kind, address, workers)


def _workers(raw: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{ENV_WORKERS}={raw!r} is not a positive whole number, e.g. 4")
    return int(raw)


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
            f"{ENV_KIND}={extra} needs {module.split('.')[0].replace('_', '-')}: "
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
