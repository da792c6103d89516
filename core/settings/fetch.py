"""How each source and the fundamentals are fetched: attempts, timeouts, budgets."""

from __future__ import annotations

from core.settings.base import Section, setting


class FetchSettings(Section):
    """The HTTP edge retries 429, 5xx and connection errors with backoff, within a hard
    deadline per source; a source that still fails is recorded and the others load."""

    title = "Fetching"

    fetch_attempts: int = setting(
        4, "HTTP attempts per source, the first included.", example="4", ge=1
    )
    fetch_backoff_s: float = setting(
        1.0,
        "The first retry's delay, doubled at each attempt; a `Retry-After` header overrides it.",
        example="2",
        unit="s",
        ge=0,
    )
    fetch_connect_timeout_s: float = setting(
        5.0, "Connect timeout of each request.", example="10", unit="s", gt=0
    )
    fetch_read_timeout_s: float = setting(
        30.0, "Read timeout of each request.", example="60", unit="s", gt=0
    )
    fetch_deadline_s: float = setting(
        120.0,
        "Hard budget of one source's whole fetch, every attempt and wait included.",
        example="300",
        unit="s",
        gt=0,
    )
    fundamentals_budget_s: float = setting(
        90.0,
        "Budget of the run's yfinance fetches, fetched concurrently; tickers left when it is "
        "spent are recorded as skipped.",
        example="120",
        unit="s",
        ge=0,
    )
    task_retries: int = setting(
        1,
        "Prefect retries of a fetch task that crashed (a full disk); a source that answers "
        "badly is not retried by Prefect, the HTTP layer already did.",
        example="2",
        ge=0,
    )
    task_retry_delay_s: float = setting(
        30.0, "Delay before such a retry.", example="60", unit="s", ge=0
    )
