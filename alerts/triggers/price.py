"""Trigger evaluation over plain inputs: price triggers (pure, no warehouse).

Each function takes one trigger of its kind, the subject it is evaluated for (a ModelRef)
and that subject's series of (snapshot date, value), and returns the Alerts that fire,
dated by the snapshot on which the change became confirmed. Changes fire once per
confirmed change; conditions (a value outside a band, above a threshold) fire when they
become true and re-arm when they clear, through a ConditionState (MemoryState by
default; alerts.triggers.state.WarehouseState in the daily run). Callers filter the result by
date when they evaluate a long history but only want today's alerts.

Kinds here: price_change, step_change, threshold, spread_change, cache_pricing. Context
kinds are in alerts.triggers.context, cadence and fundamentals in alerts.triggers.market.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fnmatch import fnmatchcase
from typing import Any, cast

from alerts.records import Alert, Value, value_text
from alerts.theses.load import Trigger
from alerts.triggers.confirm import confirmed_changes, confirmed_timeline, derived
from alerts.triggers.state import ConditionState, MemoryState

USD = "USD/Mtok"
RATIO_STEP = Decimal("0.0001")
Series = Sequence[tuple[date, Decimal | None]]


@dataclass(frozen=True, slots=True)
class ModelRef:
    """Who an alert is about: a model of a provider as one source keys it."""

    provider: str
    model: str
    source_model_key: str = ""
    source_url: str = ""

    @property
    def name(self) -> str:
        return f"{self.provider} {self.model}".strip()


def param(trigger: Trigger, name: str) -> Any:
    return trigger.params[name]


def confirm_of(trigger: Trigger) -> int:
    return int(param(trigger, "confirm_snapshots"))


def applies(trigger: Trigger, ref: ModelRef) -> bool:
    """The trigger's providers filter and model-id globs."""
    providers = cast(list[str], param(trigger, "providers"))
    if providers and ref.provider not in providers:
        return False
    globs = cast(list[str], param(trigger, "models"))
    return any(fnmatchcase(ref.model, g) for g in globs)


def make_alert(
    trigger: Trigger, ref: ModelRef, subject: str, old: Value, new: Value, unit: str, on: date
) -> Alert:
    return Alert(
        trigger_id=trigger.id,
        kind=trigger.kind,
        thesis_id=trigger.thesis_id,
        severity=trigger.severity,
        provider=ref.provider,
        model=ref.model,
        source_model_key=ref.source_model_key,
        subject=subject,
        old_value=old,
        new_value=new,
        unit=unit,
        explanation="",
        source_url=ref.source_url,
        date=on,
    )


def relative_move(old: Decimal, new: Decimal) -> Decimal | None:
    return None if old == 0 else (new - old) / old


def condition_alerts(
    trigger: Trigger,
    ref: ModelRef,
    subject: str,
    timeline: Sequence[tuple[date, bool, Decimal | None]],
    unit: str,
    state: ConditionState | None,
    first_fires: bool = True,
) -> list[Alert]:
    """Alerts for each time a condition becomes true (old = the value just before).

    With first_fires=False a subject's first confirmed value only sets the state: a
    band is "left" by a value that was inside it, not by a new model priced outside.
    """
    state = state or MemoryState()
    alerts = []
    previous: Decimal | None = None
    for day, active, value in timeline:
        fires = state.update(trigger.id, subject, active, value_text(value), day)
        if fires and (first_fires or previous is not None):
            alerts.append(make_alert(trigger, ref, subject, previous, value, unit, day))
        previous = value
    return alerts


def ratio_series(
    top: Series, bottom: Series, confirm: int = 2
) -> list[tuple[date, Decimal | None]]:
    """top / bottom on the snapshot dates where both are present and bottom > 0
    (corroborated where a second source confirms the prices it is made of)."""
    lows = dict(bottom)
    out: list[tuple[date, Decimal | None]] = []
    for day, high in top:
        low = lows.get(day)
        ok = high is not None and low is not None and low > 0
        out.append((day, (high / low).quantize(RATIO_STEP) if ok else None))  # type: ignore[operator]
    return derived(out, [top, bottom], confirm)


# ------------------------------------------------------------------ price_change


def price_change(trigger: Trigger, ref: ModelRef, prices: Mapping[str, Series]) -> list[Alert]:
    """Confirmed cuts or rises of at least change_fraction; an output cut with no input
    change on the same snapshot fires at any size (decode got cheaper on its own)."""
    if not applies(trigger, ref):
        return []
    fraction = cast(Decimal, param(trigger, "change_fraction"))
    confirm = confirm_of(trigger)
    input_moves = {c.confirmed_on for c in confirmed_changes(prices.get("input", []), confirm)}
    alerts = []
    for component in cast(list[str], param(trigger, "components")):
        for change in confirmed_changes(prices.get(component, []), confirm):
            if change.old is None:
                continue  # a new series: not a price change
            move = relative_move(change.old, change.new)
            if move is None:
                continue
            output_only = (
                bool(param(trigger, "output_cut_without_input_cut"))
                and component == "output"
                and move < 0
                and change.confirmed_on not in input_moves
            )
            if abs(move) < fraction and not output_only:
                continue
            subject = f"{ref.name} {component} price {'cut' if move < 0 else 'rise'}"
            if output_only:
                subject += " (output cut, input unchanged)"
            alerts.append(
                make_alert(trigger, ref, subject, change.old, change.new, USD, change.confirmed_on)
            )
    return alerts


# ------------------------------------------------------------------ step_change


def step_change(trigger: Trigger, ref: ModelRef, series: Series, unit: str = "") -> list[Alert]:
    """A confirmed step of the trigger's metric larger than change_fraction."""
    if not applies(trigger, ref):
        return []
    fraction = cast(Decimal, param(trigger, "change_fraction"))
    subject = f"{ref.name} {param(trigger, 'metric')}"
    alerts = []
    for change in confirmed_changes(series, confirm_of(trigger)):
        if change.old is None:
            continue
        move = relative_move(change.old, change.new)
        if move is not None and abs(move) > fraction:
            alerts.append(
                make_alert(trigger, ref, subject, change.old, change.new, unit, change.confirmed_on)
            )
    return alerts


# ------------------------------------------------------------------ threshold


def threshold(
    trigger: Trigger,
    ref: ModelRef,
    series: Series,
    unit: str = "",
    state: ConditionState | None = None,
) -> list[Alert]:
    """The confirmed metric above `above` or below `below`: fires once, re-arms."""
    if not applies(trigger, ref):
        return []
    above = cast(Decimal | None, param(trigger, "above"))
    below = cast(Decimal | None, param(trigger, "below"))

    def out_of_range(v: Decimal | None) -> bool:
        if v is None:
            return False
        return (above is not None and v > above) or (below is not None and v < below)

    timeline = [(d, out_of_range(v), v) for d, v in confirmed_timeline(series, confirm_of(trigger))]
    subject = f"{ref.name} {param(trigger, 'metric')} beyond threshold"
    return condition_alerts(trigger, ref, subject, timeline, unit, state)


# ------------------------------------------------------------------ spread_change


def spread_change(
    trigger: Trigger,
    ref: ModelRef,
    input_prices: Series,
    output_prices: Series,
    state: ConditionState | None = None,
) -> list[Alert]:
    """Output/input spread leaving [band_low, band_high] (condition), or moving more
    than change_fraction against its own trailing baseline (change)."""
    if not applies(trigger, ref):
        return []
    confirm = confirm_of(trigger)
    ratios = ratio_series(output_prices, input_prices, confirm)
    timeline = confirmed_timeline(ratios, confirm)
    low, high = (
        cast(Decimal, param(trigger, "band_low")),
        cast(Decimal, param(trigger, "band_high")),
    )
    band = [(d, v is not None and not low <= v <= high, v) for d, v in timeline]
    subject = f"{ref.name} output/input spread outside {value_text(low)}-{value_text(high)}x"
    alerts = condition_alerts(trigger, ref, subject, band, "x", state, first_fires=False)
    alerts += _baseline_moves(trigger, ref, ratios, timeline, confirm)
    return sorted(alerts, key=lambda a: a.date)


def _baseline_moves(
    trigger: Trigger,
    ref: ModelRef,
    ratios: Series,
    timeline: Sequence[tuple[date, Decimal | None]],
    confirm: int,
) -> list[Alert]:
    fraction = cast(Decimal, param(trigger, "change_fraction"))
    days = int(param(trigger, "baseline_days"))
    subject = f"{ref.name} output/input spread vs its {days}-day baseline"
    alerts = []
    for change in confirmed_changes(ratios, confirm):
        if change.old is None:
            continue
        start = change.first_seen - timedelta(days=days)
        window = [v for d, v in timeline if start <= d < change.first_seen and v is not None]
        baseline = (
            (sum(window, Decimal(0)) / len(window)).quantize(RATIO_STEP) if window else change.old
        )
        move = relative_move(baseline, change.new)
        if move is not None and abs(move) > fraction:
            alerts.append(
                make_alert(trigger, ref, subject, baseline, change.new, "x", change.confirmed_on)
            )
    return alerts


# ------------------------------------------------------------------ cache_pricing


def cache_pricing(
    trigger: Trigger,
    ref: ModelRef,
    input_prices: Series,
    cache_read_prices: Series,
    state: ConditionState | None = None,
) -> list[Alert]:
    """Cache discount (input / cache read) leaving its band, or cache pricing appearing
    for a model that was priced without it."""
    if not applies(trigger, ref):
        return []
    confirm = confirm_of(trigger)
    low, high = (
        cast(Decimal, param(trigger, "band_low")),
        cast(Decimal, param(trigger, "band_high")),
    )
    discounts = confirmed_timeline(ratio_series(input_prices, cache_read_prices, confirm), confirm)
    band = [(d, v is not None and not low <= v <= high, v) for d, v in discounts]
    subject = f"{ref.name} cache discount outside {value_text(low)}-{value_text(high)}x"
    alerts = condition_alerts(trigger, ref, subject, band, "x", state, first_fires=False)
    if param(trigger, "on_new"):
        inputs = confirmed_changes(input_prices, confirm)
        first_input = inputs[0].confirmed_on if inputs else None
        for change in confirmed_changes(cache_read_prices, confirm):
            if change.old is None and first_input is not None and first_input < change.first_seen:
                alerts.append(
                    make_alert(
                        trigger,
                        ref,
                        f"{ref.name} cache pricing appears",
                        None,
                        change.new,
                        USD,
                        change.confirmed_on,
                    )
                )
    return sorted(alerts, key=lambda a: a.date)
