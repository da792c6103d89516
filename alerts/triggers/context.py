"""Context triggers over plain inputs: long-context tiers and context-ceiling step-ups.

Inputs per model: its context ceiling per snapshot (tokens, None when the model is
absent) and its set of long-context tier thresholds per snapshot (tier_min_prompt_tokens
> 0 of its input price; an empty set: priced without tiers; None: absent). Only
confirmed values count (see alerts.triggers.confirm), so a model missing from one snapshot never
reads as a tier removed or a ceiling dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import cast

from alerts.records import Alert
from alerts.theses.load import Trigger
from alerts.triggers.confirm import confirmed_changes, confirmed_timeline
from alerts.triggers.price import ModelRef, applies, confirm_of, make_alert, param
from alerts.triggers.state import ConditionState, MemoryState

TierSet = frozenset[int]
TOKENS = "tokens"


@dataclass(frozen=True, slots=True)
class ModelContext:
    ref: ModelRef
    ceilings: Sequence[tuple[date, int | None]]
    tiers: Sequence[tuple[date, TierSet | None]] = field(default_factory=tuple)


def tiers_text(tiers: TierSet | None) -> str:
    return "none" if not tiers else ",".join(str(t) for t in sorted(tiers))


def long_context_tier(
    trigger: Trigger, ref: ModelRef, tiers: Sequence[tuple[date, TierSet | None]]
) -> list[Alert]:
    """A confirmed long-context tier introduced, removed, or moved to other thresholds."""
    if not applies(trigger, ref):
        return []
    wanted = cast(list[str], param(trigger, "events"))
    alerts = []
    for change in confirmed_changes(tiers, confirm_of(trigger)):
        if change.old is None:
            continue  # a model first seen: context_step_up covers new models
        if not change.old:
            event = "introduced"
        elif not change.new:
            event = "removed"
        else:
            event = "moved"
        if event in wanted:
            subject = f"{ref.name} long-context tier {event}"
            old, new = tiers_text(change.old), tiers_text(change.new)
            alerts.append(make_alert(trigger, ref, subject, old, new, TOKENS, change.confirmed_on))
    return alerts


def context_step_up(
    trigger: Trigger, models: Sequence[ModelContext], state: ConditionState | None = None
) -> list[Alert]:
    """Per model: ceiling step-ups and large ceilings (untiered above ceiling_low, any
    above ceiling_high). Per provider: the provider's highest ceiling rising, which
    includes a new model with a larger ceiling."""
    state = state or MemoryState()
    scopes = cast(list[str], param(trigger, "per"))
    mine = [m for m in models if applies(trigger, m.ref)]
    alerts: list[Alert] = []
    if "model" in scopes:
        for m in mine:
            alerts += _model_steps(trigger, m) + _large_ceilings(trigger, m, state)
    if "provider" in scopes:
        for provider in sorted({m.ref.provider for m in mine}):
            alerts += _provider_steps(
                trigger, provider, [m for m in mine if m.ref.provider == provider]
            )
    return sorted(alerts, key=lambda a: (a.date, a.subject))


def _is_step(trigger: Trigger, old: int, new: int) -> bool:
    fraction = cast(Decimal, param(trigger, "min_step_fraction"))
    return old > 0 and Decimal(new - old) / Decimal(old) >= fraction


def _model_steps(trigger: Trigger, m: ModelContext) -> list[Alert]:
    subject = f"{m.ref.name} context ceiling step-up"
    return [
        make_alert(trigger, m.ref, subject, c.old, c.new, TOKENS, c.confirmed_on)
        for c in confirmed_changes(m.ceilings, confirm_of(trigger))
        if c.old is not None and _is_step(trigger, c.old, c.new)
    ]


def _large_ceilings(trigger: Trigger, m: ModelContext, state: ConditionState) -> list[Alert]:
    low, high = int(param(trigger, "ceiling_low")), int(param(trigger, "ceiling_high"))
    confirm = confirm_of(trigger)
    ceilings = confirmed_timeline(m.ceilings, confirm)
    tiers = dict(confirmed_timeline(m.tiers, confirm)) if m.tiers else {}
    alerts: list[Alert] = []
    untiered = f"{m.ref.name} context of {low}+ tokens without a long-context tier"
    huge = f"{m.ref.name} context ceiling at or above {high} tokens"
    previous: int | None = None
    for day, ceiling in ceilings:
        tier = tiers.get(day)
        checks = [
            (
                untiered,
                ceiling is not None and ceiling >= low and bool(m.tiers) and tier == frozenset(),
            ),
            (huge, ceiling is not None and ceiling >= high),
        ]
        for subject, active in checks:
            # A model's first ceiling only sets the state: new models raising the
            # provider's ceiling are the provider step-up's to report.
            fires = state.update(trigger.id, subject, active, str(ceiling), day)
            if fires and previous is not None:
                alerts.append(make_alert(trigger, m.ref, subject, previous, ceiling, TOKENS, day))
        previous = ceiling
    return alerts


def _provider_steps(trigger: Trigger, provider: str, models: Sequence[ModelContext]) -> list[Alert]:
    """Steps of the provider's highest confirmed ceiling across its models."""
    confirm = confirm_of(trigger)
    timelines = [dict(confirmed_timeline(m.ceilings, confirm)) for m in models]
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
        if change.old is not None and _is_step(trigger, change.old, change.new):
            top = leader[change.confirmed_on]
            ref = ModelRef(provider, top.model, top.source_model_key, top.source_url)
            subject = f"{provider} highest context ceiling step-up ({top.model})"
            alerts.append(
                make_alert(
                    trigger, ref, subject, change.old, change.new, TOKENS, change.confirmed_on
                )
            )
    return alerts
