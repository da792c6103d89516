"""Evaluate a theses file's price and context triggers over the reconciled price series.

`evaluate_series(con, theses)` reads the series (alerts.triggers.series_history: one
history of canonical models, whatever the sources and keys) and returns every alert that
fires over the whole history, in date order. The daily run
passes `state=WarehouseState(con)` and `since=<last evaluated day>` so that only new
alerts come back; the backtest uses the defaults (in-memory state, everything).

Each kind reaches its series through its scope (alerts.triggers.base): `OnModel` kinds
get one model's series at a time (a ModelSample), `OnSource` kinds every model's context
and the providers' release dates at once (a SourceView).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal

import duckdb

from alerts.records import Alert
from alerts.theses.load import Theses
from alerts.triggers.base import OnModel, OnSource, Watched
from alerts.triggers.confirm import Corroborated
from alerts.triggers.evidence import with_evidence
from alerts.triggers.history import (
    Changes,
    ModelHistory,
    PriceKey,
    SourceHistory,
    sample_indices,
    value_at,
)
from alerts.triggers.inputs import ModelContext, ModelRef, SourceView, TierSet
from alerts.triggers.series_history import load_series_history
from alerts.triggers.state import ConditionState, MemoryState

Points = list[tuple[date, Decimal | None]]
# How far apart two keys of one model may report the same change and still be one alert.
REPEAT_WINDOW = timedelta(days=14)


def evaluate_series(
    con: duckdb.DuckDBPyConnection,
    theses: Theses,
    *,
    state: ConditionState | None = None,
    since: date | None = None,
    source_urls: Mapping[str, str] | None = None,
) -> list[Alert]:
    """Every alert over the reconciled price series (all sources, canonical models),
    each naming the sources and keys behind it (alerts.triggers.evidence)."""
    history = load_series_history(con)
    alerts = evaluate_history(
        history, theses, state=state or MemoryState(), source_urls=source_urls or {}
    )
    return with_evidence(con, [a for a in alerts if since is None or a.date > since])


def evaluate_history(
    history: SourceHistory,
    theses: Theses,
    *,
    state: ConditionState,
    source_url: str = "",
    source_urls: Mapping[str, str] | None = None,
) -> list[Alert]:
    watched = [t for t in theses.triggers if isinstance(t, Watched)]
    confirm = max((t.confirm_snapshots for t in watched), default=2)
    per_model = [t for t in theses.triggers if isinstance(t, OnModel)]
    alerts: list[Alert] = []
    contexts: list[ModelContext] = []
    for key, model in sorted(history.models.items()):
        url = (source_urls or {}).get(model.source, source_url)
        ref = ModelRef(model.provider, model.model, model.source_model_key or key, url)
        sample = ModelSample.of(history, model, confirm)
        for each in per_model:
            if each.applies(ref):  # before building the series it would read
                alerts += each.on_model(ref, sample, state)
        contexts.append(ModelContext(ref, sample.ceiling, sample.tiers))
    source = SourceView(contexts, releases(history))
    for trigger in theses.triggers:
        if isinstance(trigger, OnSource):
            alerts += trigger.on_source(source, state)
    # The first `confirm` snapshots establish the baseline: what was already true when
    # the history starts is not news (and nothing can have changed yet).
    if history.dates:
        baseline_end = history.dates[min(confirm, len(history.dates)) - 1]
        alerts = [a for a in alerts if a.date > baseline_end]
    ordered = sorted(alerts, key=lambda a: (a.date, a.trigger_id, a.subject))
    return one_per_event(ordered, history.canonical)


def one_per_event(
    alerts: list[Alert], canonical: Mapping[str, tuple[str, str]] | None = None
) -> list[Alert]:
    """A source often lists one model under several keys (aliases, dated snapshots,
    regional prefixes): the same change of the same canonical model (model identity,
    `canonical` maps source keys to it) is one alert. A repeat within REPEAT_WINDOW of the
    last one is dropped (an alias may confirm a snapshot later); on one day the alert of
    the key that names the canonical model itself is kept, else the first."""
    canonical = canonical or {}
    kept: dict[tuple[object, ...], int] = {}  # event -> position in out
    out: list[Alert] = []
    for a in alerts:
        event, exact = _event(a, canonical)
        at = kept.get(event)
        if at is None or a.date - out[at].date > REPEAT_WINDOW:
            kept[event] = len(out)
            out.append(a)
        elif exact and a.date == out[at].date and not _event(out[at], canonical)[1]:
            out[at] = a
    return out


def _event(a: Alert, canonical: Mapping[str, tuple[str, str]]) -> tuple[tuple[object, ...], bool]:
    """What changed, with the model named canonically; and whether the alert's key names
    the canonical model itself."""
    provider, model = canonical.get(a.source_model_key, (a.provider, a.model))
    subject = a.subject
    if a.model and model != a.model:
        subject = re.sub(rf"(?<![\w.-]){re.escape(a.model)}(?![\w.-])", model, subject)
    event = (a.trigger_id, provider, model, subject, str(a.old_value), str(a.new_value))
    return event, (provider, model) == (a.provider, a.model)


NEVER: Changes[bool] = []  # a price never undecided


class ModelSample:
    """One model's series sampled on the same snapshot dates (an inputs.ModelSeries)."""

    def __init__(self, history: SourceHistory, model: ModelHistory, indices: list[int]) -> None:
        self.days = [history.dates[i] for i in indices]
        self.indices = indices
        self.model = model
        self.history = history

    @classmethod
    def of(cls, history: SourceHistory, model: ModelHistory, confirm: int) -> ModelSample:
        series: list[Changes[object]] = [*model.prices.values(), model.ceiling]  # type: ignore[list-item]
        indices = sample_indices(series, confirm, len(history.dates))
        return cls(history, model, indices)

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

    def thresholds(self) -> list[int]:
        return sorted(
            t for (c, s, t) in self.model.prices if c == "input" and s == "standard" and t > 0
        )

    @property
    def tiers(self) -> list[tuple[date, TierSet | None]]:
        base = self.model.prices.get(("input", "standard", 0), [])
        keys = [("input", "standard", t) for t in self.thresholds()]

        def at(i: int) -> TierSet | None:
            if value_at(base, i) is None:
                return None  # the model is absent: no evidence about its tiers
            if any(self._undecided(k, i) for k in keys):
                return None  # a tier price awaits the series' decision: no evidence
            prices = self.model.prices
            return frozenset(
                t
                for t in self.thresholds()
                if value_at(prices[("input", "standard", t)], i) is not None
            )

        points: list[tuple[date, TierSet | None]] = self._each(at)  # type: ignore[assignment]
        if not self.history.settled:
            return points
        # Built from confirmed prices only: each tier set is confirmed the day it shows.
        return Corroborated(points, (d for d, tiers in points if tiers is not None))

    def _undecided(self, key: PriceKey, i: int) -> bool:
        flag: bool | None = value_at(self.model.undecided.get(key, NEVER), i)
        return bool(flag)

    @property
    def ceiling(self) -> list[tuple[date, int | None]]:
        return self._each(lambda i: value_at(self.model.ceiling, i))  # type: ignore[return-value]


def releases(history: SourceHistory) -> dict[str, list[tuple[str, date]]]:
    """Per provider, its models' release dates: first-seen dates after the first snapshot
    (earlier ones are unknown), confirmed by the model still being there on the next."""
    out: dict[str, list[tuple[str, date]]] = defaultdict(list)
    for key, model in history.models.items():
        first = history.first_seen(key)
        base = model.prices.get(("input", "standard", 0), [])
        if first and first + 1 < len(history.dates) and value_at(base, first + 1) is not None:
            out[model.provider].append((model.model, history.dates[first]))
    return dict(out)
