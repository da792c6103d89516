"""Run-time settings from the environment, validated once with messages that say the fix.

| variable | meaning | default |
|---|---|---|
| THESIS_DB | a DuckDB file, ducklake:CATALOG or md:DB (warehouse/target.py) | user data dir |
| THESIS_SPOOL_DIR | where fetched payloads wait for the load | spool/ beside the warehouse |
| THESIS_DUCKLAKE_DATA_PATH | a new DuckLake's Parquet folder | <catalog>.files/ |
| THESIS_DUCKDB_EXTENSION_REPOSITORY / _DIR | extension mirror and folder | DuckDB's |
| THESIS_LOCK_WAIT_S | how long a run waits for another process's lock on the warehouse | 60 |
| THESIS_FETCH_ATTEMPTS | HTTP attempts per source (429/5xx/connection errors are retried) | 4 |
| THESIS_FETCH_BACKOFF_S | first retry delay, doubled each attempt (Retry-After overrides) | 1 |
| THESIS_FETCH_CONNECT_TIMEOUT_S | connect timeout per request | 5 |
| THESIS_FETCH_READ_TIMEOUT_S | read timeout per request | 30 |
| THESIS_FETCH_DEADLINE_S | hard time budget of one source's fetch, all attempts included | 120 |
| THESIS_FUNDAMENTALS_BUDGET_S | budget of the run's yfinance fetches (tickers left: skipped) | 90 |
| THESIS_TASK_RETRIES | Prefect retries of a task that crashed (not of a source failure) | 1 |
| THESIS_TASK_RETRY_DELAY_S | delay before such a retry | 30 |
| THESIS_PREFECT_STARTUP_TIMEOUT_S | wait for the run's temporary Prefect server | 300 |
| THESIS_URL_<SOURCE> | fetch a source from a mirror, e.g. THESIS_URL_LITELLM | its own URL |
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from core.errors import ConfigError

T = TypeVar("T", int, float)


@dataclass(frozen=True, slots=True)
class Settings:
    lock_wait_s: float = 60.0
    fetch_attempts: int = 4
    fetch_backoff_s: float = 1.0
    fetch_connect_timeout_s: float = 5.0
    fetch_read_timeout_s: float = 30.0
    fetch_deadline_s: float = 120.0
    fundamentals_budget_s: float = 90.0
    task_retries: int = 1
    task_retry_delay_s: float = 30.0
    prefect_startup_timeout_s: float = 300.0


def _number(env: Mapping[str, str], name: str, cast: Callable[[str], T], default: T) -> T:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = cast(raw.strip())
    except ValueError:
        kind = "a whole number" if cast is int else "a number"
        raise ConfigError(
            f"{name}={raw!r} is not {kind}; set it to e.g. {name}={default} or unset it"
        ) from None
    if value < 0:
        raise ConfigError(f"{name}={raw!r} must not be negative; e.g. {name}={default}")
    return value


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    d = Settings()
    settings = Settings(
        lock_wait_s=_number(env, "THESIS_LOCK_WAIT_S", float, d.lock_wait_s),
        fetch_attempts=_number(env, "THESIS_FETCH_ATTEMPTS", int, d.fetch_attempts),
        fetch_backoff_s=_number(env, "THESIS_FETCH_BACKOFF_S", float, d.fetch_backoff_s),
        fetch_connect_timeout_s=_number(
            env, "THESIS_FETCH_CONNECT_TIMEOUT_S", float, d.fetch_connect_timeout_s
        ),
        fetch_read_timeout_s=_number(
            env, "THESIS_FETCH_READ_TIMEOUT_S", float, d.fetch_read_timeout_s
        ),
        fetch_deadline_s=_number(env, "THESIS_FETCH_DEADLINE_S", float, d.fetch_deadline_s),
        fundamentals_budget_s=_number(
            env, "THESIS_FUNDAMENTALS_BUDGET_S", float, d.fundamentals_budget_s
        ),
        task_retries=_number(env, "THESIS_TASK_RETRIES", int, d.task_retries),
        task_retry_delay_s=_number(env, "THESIS_TASK_RETRY_DELAY_S", float, d.task_retry_delay_s),
        prefect_startup_timeout_s=_number(
            env, "THESIS_PREFECT_STARTUP_TIMEOUT_S", float, d.prefect_startup_timeout_s
        ),
    )
    if settings.fetch_attempts < 1:
        raise ConfigError("THESIS_FETCH_ATTEMPTS must be at least 1")
    return settings


def source_url(source_id: str, default: str, env: Mapping[str, str] | None = None) -> str:
    """The URL to fetch a source from: THESIS_URL_<ID> (dashes as underscores) or its own."""
    env = os.environ if env is None else env
    name = "THESIS_URL_" + source_id.upper().replace("-", "_")
    url = env.get(name, "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise ConfigError(f"{name}={url!r} must be an http:// or https:// URL")
    return url or default
