"""Price trigger kinds, evaluated per model of a price source.

Each kind's `evaluate` takes the subject it is evaluated for (a ModelRef) and that
subject's series of (snapshot date, value), and returns the Alerts that fire, dated by
the snapshot on which the change became confirmed. Changes fire once per confirmed
change; conditions (a value outside a band, above a threshold) fire when they become
true and re-arm when they clear, through a ConditionState (MemoryState by default;
alerts.triggers.state.WarehouseState in the daily run). Callers filter the result by
date when they evaluate a long history but only want today's alerts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from alerts.records import Alert, value_text
from alerts.triggers.base import FRACTION, OnModel, Trigger, relative_move
from alerts.triggers.confirm import confirmed_changes, confirmed_timeline
from alerts.triggers.inputs import COMPONENTS, ModelRef, ModelSeries, Series
from alerts.triggers.metrics import METRICS, RATIO, RATIO_STEP, ratio_series
from alerts.triggers.params import ParamProblem, param
from alerts.triggers.state import ConditionState, MemoryState

USD = "USD/Mtok"


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
            alerts.append(trigger.alert(ref, subject, previous, value, unit, day))
        previous = value
    return alerts


def band_alerts(
    trigger: Trigger,
    ref: ModelRef,
    what: str,
    ratios: Sequence[tuple[date, Decimal | None]],
    band: tuple[Decimal, Decimal],
    state: ConditionState | None,
) -> list[Alert]:
    """A confirmed ratio leaving [low, high]; a new model priced outside it is not news."""
    low, high = band
    outside = [(d, v is not None and not low <= v <= high, v) for d, v in ratios]
    subject = f"{what} outside {value_text(low)}-{value_text(high)}x"
    return condition_alerts(trigger, ref, subject, outside, RATIO, state, first_fires=False)


def metric_param() -> Any:
    return param(help="the metric watched", choices=tuple(METRICS))


@dataclass(frozen=True, kw_only=True)
class PriceChange(OnModel):
    kind = "price_change"
    label = "price change"
    explained_by = ("decode_memory_compute_time_ratio", "effective_decode_batch")
    summary = "a price cut or raised by change_fraction or more, or output cut alone"
    doc = """A confirmed cut or rise of at least `change_fraction` in one of the watched
price components. An output cut with no input change on the same snapshot fires at any
size: decode got cheaper on its own. A model's first price is not a change."""
    example = """\
[[trigger]]
id = "price-cut-or-rise"
kind = "price_change"
thesis = "batching-economics"
severity = "info"
description = "An input or output price is cut or raised by more than 10%."
[trigger.params]
change_fraction = 0.10
components = ["input", "output"]
providers = ["openai", "anthropic", "google"]
"""

    change_fraction: Decimal = param(Decimal("0.10"), help="cut or rise that fires", unit=FRACTION)
    components: tuple[str, ...] = param(
        ("input", "output"), help="price components watched", choices=COMPONENTS
    )
    output_cut_without_input_cut: bool = param(
        True, help="also fire when output is cut and input is not, at any size"
    )

    def on_model(self, ref: ModelRef, model: ModelSeries, state: ConditionState) -> list[Alert]:
        components = dict.fromkeys(("input", *self.components))
        return self.evaluate(ref, {c: model.price(c) for c in components})

    def evaluate(self, ref: ModelRef, prices: Mapping[str, Series]) -> list[Alert]:
        if not self.applies(ref):
            return []
        confirm = self.confirm_snapshots
        input_moves = {c.confirmed_on for c in confirmed_changes(prices.get("input", []), confirm)}
        alerts = []
        for component in self.components:
            for change in confirmed_changes(prices.get(component, []), confirm):
                if change.old is None:
                    continue  # a new series: not a price change
                move = relative_move(change.old, change.new)
                if move is None:
                    continue
                output_only = (
                    self.output_cut_without_input_cut
                    and component == "output"
                    and move < 0
                    and change.confirmed_on not in input_moves
                )
                if abs(move) < self.change_fraction and not output_only:
                    continue
                subject = f"{ref.name} {component} price {'cut' if move < 0 else 'rise'}"
                if output_only:
                    subject += " (output cut, input unchanged)"
                alerts.append(
                    self.alert(ref, subject, change.old, change.new, USD, change.confirmed_on)
                )
        return alerts


@dataclass(frozen=True, kw_only=True)
class StepChange(OnModel):
    kind = "step_change"
    label = "step change"
    explained_by = ("effective_decode_batch",)
    summary = "a metric stepping up or down by more than change_fraction"
    doc = """A confirmed step of a metric (see [Metrics](#metrics)) by more than
`change_fraction` of its previous confirmed value, up or down. A model's first value is
not a step."""
    example = """\
[[trigger]]
id = "priority-premium-step"
kind = "step_change"
thesis = "batching-economics"
severity = "info"
description = "The priority (fast lane) premium over the standard tier moves by more than 20%."
[trigger.params]
metric = "priority_standard_ratio"
change_fraction = 0.2
"""

    metric: str = metric_param()
    change_fraction: Decimal = param(help="relative step that fires", unit=FRACTION)

    def on_model(self, ref: ModelRef, model: ModelSeries, state: ConditionState) -> list[Alert]:
        return self.evaluate(ref, METRICS[self.metric].series(model, self.confirm_snapshots))

    def evaluate(self, ref: ModelRef, series: Series) -> list[Alert]:
        if not self.applies(ref):
            return []
        unit = METRICS[self.metric].unit
        subject = f"{ref.name} {self.metric}"
        alerts = []
        for change in confirmed_changes(series, self.confirm_snapshots):
            if change.old is None:
                continue
            move = relative_move(change.old, change.new)
            if move is not None and abs(move) > self.change_fraction:
                alerts.append(
                    self.alert(ref, subject, change.old, change.new, unit, change.confirmed_on)
                )
        return alerts


@dataclass(frozen=True, kw_only=True)
class Threshold(OnModel):
    kind = "threshold"
    label = "threshold crossed"
    explained_by = (
        "long_context_input_cost_share_above_*",
        "model_decode_cost_multiplier_at_*",
    )
    summary = "a metric beyond an upper or lower limit"
    doc = """A metric (see [Metrics](#metrics)) whose confirmed value is above `above` or below
`below` (give one or both). It fires when the value crosses out, stays quiet while it
stays out, and re-arms once the value is back within the limits."""
    example = """\
[[trigger]]
id = "spread-above-5x"
kind = "threshold"
thesis = "memory-bound-decode"
severity = "warning"
description = "A frontier model's output price rises above 5x its input price."
[trigger.params]
metric = "output_input_ratio"
above = 5
providers = ["openai", "anthropic", "google"]
"""
    ordered = (("below", "above"),)

    metric: str = metric_param()
    above: Decimal | None = param(
        None, help="fire when the metric rises above this (in the metric's unit)"
    )
    below: Decimal | None = param(
        None, help="fire when the metric falls below this (in the metric's unit)"
    )

    def problems(self) -> list[ParamProblem]:
        out = super().problems()
        if self.above is None and self.below is None:
            fix = "add above = <number> or below = <number> under [trigger.params]"
            out.append(ParamProblem(None, "needs 'above' or 'below'", fix))
        return out

    def on_model(self, ref: ModelRef, model: ModelSeries, state: ConditionState) -> list[Alert]:
        series = METRICS[self.metric].series(model, self.confirm_snapshots)
        return self.evaluate(ref, series, state)

    def evaluate(
        self, ref: ModelRef, series: Series, state: ConditionState | None = None
    ) -> list[Alert]:
        if not self.applies(ref):
            return []
        above, below = self.above, self.below

        def out_of_range(v: Decimal | None) -> bool:
            if v is None:
                return False
            return (above is not None and v > above) or (below is not None and v < below)

        confirmed = confirmed_timeline(series, self.confirm_snapshots)
        timeline = [(d, out_of_range(v), v) for d, v in confirmed]
        subject = f"{ref.name} {self.metric} beyond threshold"
        unit = METRICS[self.metric].unit
        return condition_alerts(self, ref, subject, timeline, unit, state)


@dataclass(frozen=True, kw_only=True)
class SpreadChange(OnModel):
    kind = "spread_change"
    label = "output/input spread"
    explained_by = ("decode_memory_compute_time_ratio", "effective_decode_batch")
    summary = "the output/input price spread leaving its band or moving against its baseline"
    doc = """The output/input price ratio of a model leaving `[band_low, band_high]` (a
condition: fires once, re-arms when back inside), or moving by more than
`change_fraction` against its own mean over the `baseline_days` before the change. A band
is left by a value that was inside it: a new model priced outside the band from its
first day does not fire."""
    example = """\
[[trigger]]
id = "frontier-spread-band"
kind = "spread_change"
thesis = "memory-bound-decode"
severity = "warning"
description = "Output/input price spread leaves the ~5x band."
[trigger.params]
band_low = 3
band_high = 8
change_fraction = 0.2
baseline_days = 90
"""
    ordered = (("band_low", "band_high"),)

    band_low: Decimal = param(help="lower edge of the output/input price band", unit=RATIO)
    band_high: Decimal = param(help="upper edge of the output/input price band", unit=RATIO)
    change_fraction: Decimal = param(
        Decimal("0.2"), help="move of one model's spread vs its own baseline", unit=FRACTION
    )
    baseline_days: int = param(90, help="length of the trailing baseline", unit="days")

    def on_model(self, ref: ModelRef, model: ModelSeries, state: ConditionState) -> list[Alert]:
        return self.evaluate(ref, model.price("input"), model.price("output"), state)

    def evaluate(
        self,
        ref: ModelRef,
        input_prices: Series,
        output_prices: Series,
        state: ConditionState | None = None,
    ) -> list[Alert]:
        if not self.applies(ref):
            return []
        confirm = self.confirm_snapshots
        ratios = ratio_series(output_prices, input_prices, confirm)
        timeline = confirmed_timeline(ratios, confirm)
        what = f"{ref.name} output/input spread"
        alerts = band_alerts(self, ref, what, timeline, (self.band_low, self.band_high), state)
        alerts += self._baseline_moves(ref, ratios, timeline)
        return sorted(alerts, key=lambda a: a.date)

    def _baseline_moves(
        self, ref: ModelRef, ratios: Series, timeline: Sequence[tuple[date, Decimal | None]]
    ) -> list[Alert]:
        days = self.baseline_days
        subject = f"{ref.name} output/input spread vs its {days}-day baseline"
        alerts = []
        for change in confirmed_changes(ratios, self.confirm_snapshots):
            if change.old is None:
                continue
            start = change.first_seen - timedelta(days=days)
            window = [v for d, v in timeline if start <= d < change.first_seen and v is not None]
            baseline = (
                (sum(window, Decimal(0)) / len(window)).quantize(RATIO_STEP)
                if window
                else change.old
            )
            move = relative_move(baseline, change.new)
            if move is not None and abs(move) > self.change_fraction:
                alerts.append(
                    self.alert(ref, subject, baseline, change.new, RATIO, change.confirmed_on)
                )
        return alerts


@dataclass(frozen=True, kw_only=True)
class CachePricing(OnModel):
    kind = "cache_pricing"
    label = "cache pricing"
    explained_by = (
        "cache_hit_prefill_cost_avoided",
        "implied_kv_storage_usd_per_gb_hour",
    )
    summary = "the cache discount leaving its band, or cache pricing appearing"
    doc = """The prompt-cache discount of a model (input price / cache-read price) leaving
`[band_low, band_high]` (a condition, like `spread_change`'s band), or, with `on_new`,
a cache-read price appearing for a model that was already priced without one."""
    example = """\
[[trigger]]
id = "cache-discount-band"
kind = "cache_pricing"
thesis = "memory-bound-decode"
severity = "info"
description = "The cache hit/miss discount leaves its ~10x band, or cache pricing appears."
[trigger.params]
band_low = 5
band_high = 20
on_new = true
"""
    ordered = (("band_low", "band_high"),)

    band_low: Decimal = param(help="lower edge of the input / cache-read discount band", unit=RATIO)
    band_high: Decimal = param(
        help="upper edge of the input / cache-read discount band", unit=RATIO
    )
    on_new: bool = param(True, help="fire when cache pricing appears for a model")

    def on_model(self, ref: ModelRef, model: ModelSeries, state: ConditionState) -> list[Alert]:
        return self.evaluate(ref, model.price("input"), model.price("cache_read"), state)

    def evaluate(
        self,
        ref: ModelRef,
        input_prices: Series,
        cache_read_prices: Series,
        state: ConditionState | None = None,
    ) -> list[Alert]:
        if not self.applies(ref):
            return []
        confirm = self.confirm_snapshots
        ratios = ratio_series(input_prices, cache_read_prices, confirm)
        timeline = confirmed_timeline(ratios, confirm)
        what = f"{ref.name} cache discount"
        alerts = band_alerts(self, ref, what, timeline, (self.band_low, self.band_high), state)
        if self.on_new:
            alerts += self._appearing(ref, input_prices, cache_read_prices)
        return sorted(alerts, key=lambda a: a.date)

    def _appearing(
        self, ref: ModelRef, input_prices: Series, cache_read_prices: Series
    ) -> list[Alert]:
        confirm = self.confirm_snapshots
        inputs = confirmed_changes(input_prices, confirm)
        first_input = inputs[0].confirmed_on if inputs else None
        subject = f"{ref.name} cache pricing appears"
        return [
            self.alert(ref, subject, None, change.new, USD, change.confirmed_on)
            for change in confirmed_changes(cache_read_prices, confirm)
            if change.old is None and first_input is not None and first_input < change.first_seen
        ]
