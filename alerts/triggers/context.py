"""Context trigger kinds: long-context tiers (per model) and context-ceiling step-ups
(per model and per provider, over all models of a source).

Inputs per model: its context ceiling per snapshot (tokens, None when the model is
absent) and its set of long-context tier thresholds per snapshot (tier_min_prompt_tokens
> 0 of its input price; an empty set: priced without tiers; None: absent). Only
confirmed values count (see alerts.triggers.confirm), so a model missing from one
snapshot never reads as a tier removed or a ceiling dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alerts.records import Alert
from alerts.triggers.base import FRACTION, OnModel, OnSource, Watched
from alerts.triggers.confirm import confirmed_changes, confirmed_timeline
from alerts.triggers.inputs import ModelContext, ModelRef, ModelSeries, SourceView, TierSet
from alerts.triggers.params import param
from alerts.triggers.state import ConditionState, MemoryState

TOKENS = "tokens"
TIER_EVENTS = ("introduced", "removed", "moved")
SCOPES = ("model", "provider")


def tiers_text(tiers: TierSet | None) -> str:
    return "none" if not tiers else ",".join(str(t) for t in sorted(tiers))


@dataclass(frozen=True, kw_only=True)
class LongContextTier(OnModel):
    kind = "long_context_tier"
    label = "long-context tier"
    explained_by = (
        "long_context_input_cost_share_above_*",
        "effective_decode_context",
    )
    summary = "a long-context price tier introduced, removed or moved"
    doc = """A model's long-context price tiers (input prices that apply above a prompt
length) change: a tier is introduced on a model priced without one, all tiers are
removed, or the thresholds move. A model first seen is not an event (`context_step_up`
covers new models)."""
    example = """\
[[trigger]]
id = "long-context-tier"
kind = "long_context_tier"
thesis = "memory-bound-decode"
severity = "warning"
description = "A long-context price tier is introduced, removed, or its threshold moves."
[trigger.params]
events = ["introduced", "removed", "moved"]
"""

    events: tuple[str, ...] = param(TIER_EVENTS, help="which tier events fire", choices=TIER_EVENTS)

    def on_model(self, ref: ModelRef, model: ModelSeries, state: ConditionState) -> list[Alert]:
        return self.evaluate(ref, model.tiers)

    def evaluate(self, ref: ModelRef, tiers: Sequence[tuple[date, TierSet | None]]) -> list[Alert]:
        if not self.applies(ref):
            return []
        alerts = []
        for change in confirmed_changes(tiers, self.confirm_snapshots):
            if change.old is None:
                continue  # a model first seen: context_step_up covers new models
            if not change.old:
                event = "introduced"
            elif not change.new:
                event = "removed"
            else:
                event = "moved"
            if event in self.events:
                subject = f"{ref.name} long-context tier {event}"
                old, new = tiers_text(change.old), tiers_text(change.new)
                alerts.append(self.alert(ref, subject, old, new, TOKENS, change.confirmed_on))
        return alerts


@dataclass(frozen=True, kw_only=True)
class ContextStepUp(Watched, OnSource):
    kind = "context_step_up"
    label = "context ceiling step-up"
    explained_by = (
        "effective_decode_context",
        "model_kv_share_of_decode_memory_at_*",
    )
    summary = "a model's or provider's context ceiling stepping up, or a ceiling getting large"
    doc = """Per model (`per` includes "model"): its context ceiling rising by at least
`min_step_fraction`; a ceiling of `ceiling_low` tokens or more without a long-context
price tier; a ceiling of `ceiling_high` or more (the last two are conditions: they fire
once and re-arm). Per provider (`per` includes "provider"): the highest ceiling across
the provider's watched models rising by at least `min_step_fraction`, which includes a
new model with a larger ceiling."""
    example = """\
[[trigger]]
id = "context-ceiling-step-up"
kind = "context_step_up"
thesis = "memory-bound-decode"
severity = "warning"
description = "A context ceiling steps up; above 500k without a long-context tier."
[trigger.params]
ceiling_low = 500000
ceiling_high = 1000000
per = ["model", "provider"]
"""
    ordered = (("ceiling_low", "ceiling_high"),)

    ceiling_low: int = param(help="mainstream ceiling that starts to matter", unit=TOKENS)
    ceiling_high: int = param(help="ceiling that is a step change on its own", unit=TOKENS)
    per: tuple[str, ...] = param(SCOPES, help="scopes watched", choices=SCOPES)
    min_step_fraction: Decimal = param(
        Decimal("0.25"), help="smallest rise that counts as a step-up", unit=FRACTION
    )

    def on_source(self, source: SourceView, state: ConditionState) -> list[Alert]:
        return self.evaluate(source.models, state)

    def evaluate(
        self, models: Sequence[ModelContext], state: ConditionState | None = None
    ) -> list[Alert]:
        state = state or MemoryState()
        mine = [m for m in models if self.applies(m.ref)]
        alerts: list[Alert] = []
        if "model" in self.per:
            for m in mine:
                alerts += self._model_steps(m) + self._large_ceilings(m, state)
        if "provider" in self.per:
            for provider in sorted({m.ref.provider for m in mine}):
                alerts += self._provider_steps(
                    provider, [m for m in mine if m.ref.provider == provider]
                )
        return sorted(alerts, key=lambda a: (a.date, a.subject))

    def _is_step(self, old: int, new: int) -> bool:
        return old > 0 and Decimal(new - old) / Decimal(old) >= self.min_step_fraction

    def _model_steps(self, m: ModelContext) -> list[Alert]:
        subject = f"{m.ref.name} context ceiling step-up"
        return [
            self.alert(m.ref, subject, c.old, c.new, TOKENS, c.confirmed_on)
            for c in confirmed_changes(m.ceilings, self.confirm_snapshots)
            if c.old is not None and self._is_step(c.old, c.new)
        ]

    def _large_ceilings(self, m: ModelContext, state: ConditionState) -> list[Alert]:
        low, high = self.ceiling_low, self.ceiling_high
        confirm = self.confirm_snapshots
        ceilings = confirmed_timeline(m.ceilings, confirm)
        tiers = dict(confirmed_timeline(m.tiers, confirm)) if m.tiers else {}
        alerts: list[Alert] = []
        untiered = f"{m.ref.name} context of {low}+ tokens without a long-context tier"
        huge = f"{m.ref.name} context ceiling at or above {high} tokens"
        previous: int | None = None
        first = {untiered: True, huge: True}
        for day, ceiling in ceilings:
            tier = tiers.get(day)
            checks: list[tuple[str, bool | None]] = [
                (untiered, _untiered(ceiling, low, bool(m.tiers), tier)),
                (huge, None if ceiling is None else ceiling >= high),
            ]
            for subject, active in checks:
                if active is None:
                    continue  # not known that day (ceiling or tiers unconfirmed): no evidence
                # The first day a condition can be judged only sets the state: new models
                # raising the provider's ceiling are the provider step-up's to report.
                fires = state.update(self.id, subject, active, str(ceiling), day)
                if fires and not first[subject]:
                    alerts.append(self.alert(m.ref, subject, previous, ceiling, TOKENS, day))
                first[subject] = False
            previous = ceiling
        return alerts

    def _provider_steps(self, provider: str, models: Sequence[ModelContext]) -> list[Alert]:
        """Steps of the provider's highest confirmed ceiling across its models."""
        timelines = [dict(confirmed_timeline(m.ceilings, self.confirm_snapshots)) for m in models]
        days = sorted({d for t in timelines for d in t})
        highest: list[tuple[date, int | None]] = []
        leader: dict[date, ModelRef] = {}
        for day in days:
            values = [(t.get(day) or 0, i) for i, t in enumerate(timelines)]
            value, index = max(values)
            highest.append((day, value or None))
            leader[day] = models[index].ref
        alerts = []
        # The inputs are already confirmed: each change of the maximum is real.
        for change in confirmed_changes(highest, confirm=1):
            if change.old is not None and self._is_step(change.old, change.new):
                top = leader[change.confirmed_on]
                ref = ModelRef(provider, top.model, top.source_model_key, top.source_url)
                subject = f"{provider} highest context ceiling step-up ({top.model})"
                alerts.append(
                    self.alert(ref, subject, change.old, change.new, TOKENS, change.confirmed_on)
                )
        return alerts


def _untiered(ceiling: int | None, low: int, priced: bool, tier: TierSet | None) -> bool | None:
    """A ceiling of `low`+ tokens with no long-context tier; None when not known that day
    (no confirmed ceiling, or prices stated but their tiers not confirmed yet)."""
    if ceiling is None or (priced and tier is None):
        return None
    return ceiling >= low and priced and tier == frozenset()
