"""One price's days from its reconciled series rows: a value the series never
confirmed which then went back to the value before it is listed, not drawn; every other
value is drawn with the state the series gave it.

The samples' 363-day LiteLLM history imported alone holds no such value; with
genai-prices and OpenRouter beside it, LiteLLM's grok-3 input of 2026-10-01 is one
(tests/reporting/test_browser.py checks that real case). These rows are made here,
shaped as price_series_daily gives them, to state the rule case by case."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from reporting.relations import Row
from reporting.series import Rejected
from reporting.sheets import priced_days

DAYS = [date(2025, 5, 1) + timedelta(days=i) for i in range(6)]


def row(day: date, usd: str, state: str, disagreeing: tuple[str, ...] = ()) -> Row:
    return {
        "day": day,
        "usd_per_mtok": Decimal(usd),
        "state": state,
        "source": "litellm",
        "filled_from": None,
        "agreeing_sources": (),
        "disagreeing_sources": disagreeing,
    }


def drawn(rows: list[Row]) -> list[tuple[date, float, str]]:
    merged = priced_days(rows, DAYS)
    return [(day, d.value, d.state) for day, d in sorted(merged.days.items())]


def test_a_pending_value_that_reverts_is_listed_not_drawn() -> None:
    rows = [
        row(DAYS[0], "3", "confirmed"),
        row(DAYS[1], "3", "confirmed"),
        row(DAYS[2], "30", "pending"),  # the typo
        row(DAYS[3], "3", "confirmed"),
    ]
    merged = priced_days(rows, DAYS)
    assert merged.rejected == (Rejected(DAYS[2], 30.0, "litellm"),)
    assert [d.value for d in merged.days.values()] == [3.0, 3.0, 3.0]
    assert DAYS[2] not in merged.days and DAYS[2] not in merged.absent


def test_a_pending_value_still_in_force_is_drawn_marked() -> None:
    rows = [row(DAYS[0], "3", "confirmed"), row(DAYS[1], "3", "confirmed")]
    rows.append(row(DAYS[2], "2.5", "pending"))
    assert drawn(rows)[-1] == (DAYS[2], 2.5, "pending")
    assert priced_days(rows, DAYS).rejected == ()


def test_a_pending_value_followed_by_another_value_is_drawn() -> None:
    rows = [
        row(DAYS[0], "3", "confirmed"),
        row(DAYS[1], "4", "pending"),
        row(DAYS[2], "5", "pending"),
        row(DAYS[3], "5", "confirmed"),
    ]
    assert drawn(rows)[1] == (DAYS[1], 4.0, "pending")


def test_a_disputed_value_that_reverts_is_drawn_flagged() -> None:
    rows = [
        row(DAYS[0], "3", "confirmed"),
        row(DAYS[1], "30", "disputed", disagreeing=("genai-prices",)),
        row(DAYS[2], "3", "confirmed"),
    ]
    assert drawn(rows)[1] == (DAYS[1], 30.0, "disputed")
    assert priced_days(rows, DAYS).days[DAYS[1]].note == "disputed by genai-prices"


def test_observed_days_without_a_price_are_absent_from_the_first_price_on() -> None:
    rows = [row(DAYS[1], "3", "confirmed"), row(DAYS[3], "3", "confirmed")]
    merged = priced_days(rows, DAYS)
    assert merged.absent == {DAYS[2], DAYS[4], DAYS[5]}
