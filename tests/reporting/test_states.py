"""Every observed value gets a verdict by the project's confirmation rule, read after the
fact: a typo that reverts is rejected, a persisting change confirmed from its first day,
the newest unconfirmed value pending."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from alerts.triggers.confirm import Corroborated, confirmed_changes
from reporting.states import judge

D0 = date(2024, 7, 1)


def days(values: list[str | None]) -> list[tuple[date, Decimal | None]]:
    return [
        (D0 + timedelta(days=i), None if v is None else Decimal(v)) for i, v in enumerate(values)
    ]


def verdicts(values: list[str | None], **kwargs: object) -> list[tuple[str, str]]:
    return [(str(j.value), j.verdict) for j in judge(days(values), **kwargs)]  # type: ignore[arg-type]


def test_a_one_day_typo_that_reverts_is_rejected() -> None:
    # Claude 3.5 Sonnet's $30 input typo in the 2024 LiteLLM history.
    assert verdicts(["3", "3", "30", "3", "3"]) == [
        ("3", "confirmed"),
        ("3", "confirmed"),
        ("30", "rejected"),
        ("3", "confirmed"),
        ("3", "confirmed"),
    ]


def test_a_change_that_persists_is_confirmed_from_the_day_it_appeared() -> None:
    # GPT-4o's cut from $5 to $2.50 (first seen on day 2, confirmed on day 3).
    assert [v for _, v in verdicts(["5", "5", "2.5", "2.5"])] == ["confirmed"] * 4


def test_the_newest_unconfirmed_value_is_pending() -> None:
    assert verdicts(["5", "5", "4"])[-1] == ("4", "pending")
    assert verdicts(["5"]) == [("5", "pending")]


def test_a_second_source_showing_the_value_confirms_it_at_once() -> None:
    corroborated = [D0 + timedelta(days=2)]
    assert verdicts(["5", "5", "4"], corroborated=corroborated)[-1] == ("4", "confirmed")


def test_a_missing_snapshot_is_no_evidence_either_way() -> None:
    assert verdicts(["5", None, "5"]) == [("5", "confirmed"), ("5", "confirmed")]


def test_a_value_replaced_by_a_third_before_confirmation_stays_unconfirmed() -> None:
    # Sparse history: Gemini 1.5 Pro's $3.50 seen on one snapshot, then the $1.25 cut.
    assert verdicts(["3.5", "1.25", "1.25"]) == [
        ("3.5", "pending"),
        ("1.25", "confirmed"),
        ("1.25", "confirmed"),
    ]
    assert verdicts(["5", "5", "4", "3", "3"])[2] == ("4", "pending")


values = st.lists(st.sampled_from(["1", "2", "3", None]), min_size=1, max_size=30)


@given(values)
def test_each_stated_value_has_exactly_one_verdict(raw: list[str | None]) -> None:
    judged = judge(days(raw))
    assert [j.day for j in judged] == [d for d, v in days(raw) if v is not None]


@given(values)
def test_confirmed_values_are_the_ones_the_alerting_rule_confirms(raw: list[str | None]) -> None:
    """A value is confirmed on a day only if confirm.py confirmed a change to it by then
    or confirms the run it starts: nothing the alerts would ignore is drawn as a price."""
    series = days(raw)
    changes = confirmed_changes(Corroborated(series), 2)
    for j in judge(series):
        if j.verdict != "confirmed":
            continue
        assert any(c.new == j.value and (c.first_seen <= j.day) for c in changes), (raw, j)


@given(values)
def test_only_a_value_that_went_back_to_the_confirmed_one_is_rejected(
    raw: list[str | None],
) -> None:
    judged = judge(days(raw))
    for i, j in enumerate(judged):
        if j.verdict == "rejected":
            later = [k.value for k in judged[i + 1 :] if k.value != j.value]
            earlier = [k.value for k in judged[:i] if k.verdict == "confirmed"]
            assert later and earlier and later[0] == earlier[-1], (raw, i)
