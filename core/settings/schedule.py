"""When `thesis serve` runs the daily flow: a cron expression read in a time zone."""

from __future__ import annotations

import zoneinfo
from functools import cache

from pydantic import field_validator

from core.settings.base import Section, setting

# Each cron field's name and range; numbers outside it can never match.
CRON_FIELDS = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
)


class ScheduleSettings(Section):
    """When `thesis serve` runs the daily flow; its `--cron` and `--timezone` options
    override these. Serving checks the cron again with the Prefect server's own rules."""

    title = "Schedule"

    schedule_cron: str = setting(
        "0 6 * * *",
        "Five-field cron expression: minute, hour, day of month, month, day of week "
        "(`30 5 * * 1-5`: 05:30 on weekdays).",
        example="'30 5 * * 1-5'",
    )
    schedule_tz: str = setting(
        "UTC",
        "IANA time zone the cron is read in; daylight-saving changes follow it.",
        example="Europe/London",
    )

    @field_validator("schedule_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        fields = value.split()
        if len(fields) != len(CRON_FIELDS):
            raise ValueError(
                "is not a five-field cron expression (minute hour day-of-month month day-of-week)"
            )
        for text, (name, low, high) in zip(fields, CRON_FIELDS, strict=True):
            check_cron_field(text, name, low, high)
        return " ".join(fields)

    @field_validator("schedule_tz")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value not in _time_zones():
            raise ValueError("is not an IANA time zone (a name like UTC or America/New_York)")
        return value


@cache
def _time_zones() -> frozenset[str]:
    """The IANA names the Prefect server accepts; reading them scans tzdata (20 ms)."""
    return frozenset(zoneinfo.available_timezones())


def check_cron_field(text: str, name: str, low: int, high: int) -> None:
    """Numbers in one cron field lie in its range and steps are positive; names (`mon`),
    `*`, `L`, `W` and the like are left to the Prefect server's check."""
    for item in text.split(","):
        values, _, step = item.partition("/")
        if step and (not step.isdigit() or int(step) == 0):
            raise ValueError(f"has a {name} step {step!r} that is not a positive whole number")
        for number in values.split("-"):
            if number.isdigit() and not low <= int(number) <= high:
                raise ValueError(f"has {name} {number}, outside {low}-{high}")
