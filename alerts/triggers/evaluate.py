"""Evaluate a theses file's price and context triggers over one source's history.

`evaluate_source(con, theses, source)` reads the warehouse change logs (alerts.triggers.history)
and returns every alert that fires over the whole history, in date order. The daily run
passes `state=WarehouseState(con)` and `since=<last evaluated day>` so that only new
alerts come back; the backtest uses the defaults (in-memory state, everything).

Metrics the threshold / step_change kinds understand: long_context_price_multiplier
(input price of the highest long-context tier / base input price) and
priority_standard_ratio (priority-tier input price / standard input price).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import duckdb

from alerts.records import Alert
from alerts.theses.load import Theses, Trigger
from alerts.triggers.confirm import Corroborated, derived
from alerts.triggers.context import ModelContext, TierSet, context_step_up, long_context_tier
from alerts.triggers.history import (
    Changes,
    ModelHistory,
    SourceHistory,
    load_history,
    sample_indices,
    value_at,
)
from alerts.triggers.market import refresh_cadence
from alerts.triggers.price import (
    ModelRef,
    cache_pricing,
    confirm_of,
    price_change,
    spread_change,
    step_change,
    threshold,
)
from alerts.triggers.state import ConditionState, MemoryState

Points = list[tuple[date, Decimal | None]]
RATIO = Decimal("0.0001")
METRIC_UNITS = {"long_context_price_multiplier": "x", "priority_standard_ratio": "x"}


def evaluate_source(
    con: duckdb.DuckDBPyConnection,
    theses: Theses,
    source: str,
    *,
    state: ConditionState | None = None,
    since: date | None = None,
    source_url: str = "",
) -> list[Alert]:
    history = load_history(con, source)
    alerts = evaluate_history(history, theses, state=state or MemoryState(), source_url=source_url)
    return [a for a in alerts if since is None or a.date > since]


def evaluate_history(
    history: SourceHistory, theses: Theses, *, state: ConditionState, source_url: str = ""
) -> list[Alert]:
    confirm = max((confirm_of(t) for t in theses.triggers), default=2)
    alerts: list[Alert] = []
    contexts: list[ModelContext] = []
    for key, model in sorted(history.models.items()):
        ref = ModelRef(model.provider, model.model, key, source_url)
        sample = ModelSample.of(history, model, confirm)
        for trigger in theses.triggers:
            alerts += _model_alerts(trigger, ref, sample, state)
        contexts.append(ModelContext(ref, sample.ceiling, sample.tiers))
    for trigger in theses.triggers_of_kind("context_step_up"):
        alerts += context_step_up(trigger, contexts, state)
    alerts += _cadence_alerts(history, theses)
    # The first `confirm` snapshots establish the baseline: what was already true when
    # the history starts is not news (and nothing can have changed yet).
    if history.dates:
        baseline_end = history.dates[min(confirm, len(history.dates)) - 1]
        alerts = [a for a in alerts if a.date > baseline_end]
    return one_per_event(sorted(alerts, key=lambda a: (a.date, a.trigger_id, a.subject)))


def one_per_event(alerts: list[Alert]) -> list[Alert]:
    """A source often lists one model under several keys (aliases, regional prefixes):
    the same change of the same provider/model is one alert, kept under its first key."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for a in alerts:
        event = (a.date, a.trigger_id, a.subject, str(a.old_value), str(a.new_value))
        if event not in seen:
            seen.add(event)
            out.append(a)
    return out


class ModelSample:
    """One model's series sampled on the same snapshot dates."""

    def __init__(
        self, history: SourceHistory, model: ModelHistory, indices: list[int], confirm: int
    ) -> None:
        self.days = [history.dates[i] for i in indices]
        self.indices = indices
        self.model = model
        self.history = history
        self.confirm = confirm

    @classmethod
    def of(cls, history: SourceHistory, model: ModelHistory, confirm: int) -> ModelSample:
        series: list[Changes[object]] = [*model.prices.values(), model.ceiling]  # type: ignore[list-item]
        indices = sample_indices(series, confirm, len(history.dates))
        return cls(history, model, indices, confirm)

    def price(self, component: str, tier: str = "standard", threshold: int = 0) -> Points:
        """The series, with the days on which another source shows the same value."""
        key = (component, tier, threshold)
        changes = self.model.prices.get(key, [])
        points = [(d, value_at(changes, i)) for d, i in zip(self.days, self.indices, strict=True)]
        seen = self.history.corroborated
        days = [d for d, v in points if v is not None and seen(self.model, key, d, v)]
        return Corroborated(points, days)

    def _each(self, fn: Callable[[int], object]) -> list[tuple[date, object]]:
        return [(d, fn(i)) for d, i in zip(self.days, self.indices, strict=True)]

    def _thresholds(self) -> list[int]:
        return sorted(
            t for (c, s, t) in self.model.prices if c == "input" and s == "standard" and t > 0
        )

    @property
    def tiers(self) -> list[tuple[date, TierSet | None]]:
        base = self.model.prices.get(("input", "standard", 0), [])

        def at(i: int) -> TierSet | None:
            if value_at(base, i) is None:
                return None  # the model is absent: no evidence about its tiers
            prices = self.model.prices
            return frozenset(
                t
                for t in self._thresholds()
                if value_at(prices[("input", "standard", t)], i) is not None
            )

        return self._each(at)  # type: ignore[return-value]

    @property
    def ceiling(self) -> list[tuple[date, int | None]]:
        return self._each(lambda i: value_at(self.model.ceiling, i))  # type: ignore[return-value]

    def metric(self, name: str) -> Points | None:
        if name == "priority_standard_ratio":
            return _ratio(self.price("input", "priority"), self.price("input"), self.confirm)
        if name == "long_context_price_multiplier":
            base = self.price("input")
            top = derived(
                self._top_tier_prices(),
                [self.price("input", "standard", t) for t in self._thresholds()],
                self.confirm,
            )
            return _ratio(top, base, self.confirm)
        return None

    def _top_tier_prices(self) -> Points:
        prices = self.model.prices

        def at(i: int) -> Decimal | None:
            present = [
                t
                for t in self._thresholds()
                if value_at(prices[("input", "standard", t)], i) is not None
            ]
            return value_at(prices[("input", "standard", max(present))], i) if present else None

        return self._each(at)  # type: ignore[return-value]


def _ratio(top: Points, bottom: Points, confirm: int) -> Points:
    out: Points = []
    for (day, high), (_, low) in zip(top, bottom, strict=True):
        ok = high is not None and low is not None and low > 0
        out.append((day, (high / low).quantize(RATIO) if ok else None))  # type: ignore[operator]
    return derived(out, [top, bottom], confirm)


def _model_alerts(
    trigger: Trigger, ref: ModelRef, s: ModelSample, state: ConditionState
) -> list[Alert]:
    kind = trigger.kind
    if kind == "price_change":
        components = {c: s.price(c) for c in ("input", "output", "cache_read")}
        return price_change(trigger, ref, components)
    if kind == "spread_change":
        return spread_change(trigger, ref, s.price("input"), s.price("output"), state)
    if kind == "cache_pricing":
        return cache_pricing(trigger, ref, s.price("input"), s.price("cache_read"), state)
    if kind == "long_context_tier":
        return long_context_tier(trigger, ref, s.tiers)
    if kind in ("threshold", "step_change"):
        metric = str(trigger.params["metric"])
        series = s.metric(metric)
        if series is None:
            return []
        unit = METRIC_UNITS.get(metric, "")
        if kind == "threshold":
            return threshold(trigger, ref, series, unit, state)
        return step_change(trigger, ref, series, unit)
    return []


def _cadence_alerts(history: SourceHistory, theses: Theses) -> list[Alert]:
    """Release dates are first-seen dates after the first snapshot (earlier ones are
    unknown), confirmed by the model still being there on the next snapshot."""
    releases: dict[str, list[tuple[str, date]]] = defaultdict(list)
    for key, model in history.models.items():
        first = history.first_seen(key)
        base = model.prices.get(("input", "standard", 0), [])
        if first and first + 1 < len(history.dates) and value_at(base, first + 1) is not None:
            releases[model.provider].append((model.model, history.dates[first]))
    alerts: list[Alert] = []
    for trigger in theses.triggers_of_kind("refresh_cadence"):
        for provider, items in sorted(releases.items()):
            alerts += refresh_cadence(trigger, provider, items)
    return alerts
