"""Prefect around the daily run: its temporary server, and which task runner runs the tasks."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import field_validator, model_validator

from core.settings.base import AnyCase, Section, setting

RunnerKind = Literal["thread", "dask", "ray"]


class PrefectSettings(Section):
    """The daily flow's tasks run on threads in the flow's process on one machine (the
    fetches are I/O-bound), or on a Dask or Ray cluster when a deployment outgrows it (see
    [Past one machine](operations.md#past-one-machine))."""

    title = "Prefect and the task runner"

    prefect_startup_timeout_s: float = setting(
        300.0,
        "How long `thesis run` waits for its temporary Prefect server when `PREFECT_API_URL` "
        "is unset (a first start migrates a new Prefect database: 30-90 s on a small busy "
        "machine); the server's output goes to `$PREFECT_HOME/thesis-temporary-server.log`.",
        example="600",
        unit="s",
        gt=0,
    )
    task_runner: Annotated[RunnerKind, AnyCase] = setting(
        "thread",
        "`thread`: a thread pool in the flow's process; `dask`: prefect-dask's DaskTaskRunner "
        "(`uv sync --extra dask`); `ray`: prefect-ray's RayTaskRunner (`uv sync --extra ray`).",
        example="dask",
    )
    task_workers: int | None = setting(
        None,
        "`thread`: at most this many threads; `dask` or `ray` with a local cluster: its "
        "worker processes (dask) or CPUs (ray).",
        example="4",
        default_text="unbounded threads; the cluster's own default",
        problem="is not a positive whole number",
        ge=1,
    )
    dask_address: str | None = setting(
        None,
        "The scheduler of an existing Dask cluster, used with `THESIS_TASK_RUNNER=dask`.",
        example="tcp://10.0.0.5:8786",
        default_text="a temporary local cluster for each run",
    )
    ray_address: str | None = setting(
        None,
        "An existing Ray cluster (or `auto`), used with `THESIS_TASK_RUNNER=ray`.",
        example="ray://10.0.0.5:10001",
        default_text="a temporary local Ray instance for each run",
    )

    @field_validator("dask_address")
    @classmethod
    def _protocol(cls, value: str | None) -> str | None:
        if value is not None and "://" not in value:
            raise ValueError(
                "is not a scheduler address: write it with its protocol, e.g. tcp://10.0.0.5:8786"
            )
        return value

    @property
    def cluster_address(self) -> str:
        """The address of the chosen runner's cluster; "" = start one for each run."""
        return {"dask": self.dask_address, "ray": self.ray_address}.get(self.task_runner) or ""

    @model_validator(mode="after")
    def _workers_or_address(self) -> Self:
        if self.task_runner != "thread" and self.cluster_address and self.task_workers:
            raise ValueError(
                f"THESIS_TASK_WORKERS sizes a local cluster; the cluster at "
                f"{self.cluster_address} has its own workers: unset one of them"
            )
        return self
