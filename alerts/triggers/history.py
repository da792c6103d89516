"""A price and limit history as change logs (alerts/triggers/series_history.py reads
the reconciled series into one), sampled compactly for trigger evaluation.

The warehouse stores a row only when a series changes. Confirmation needs the value on
the snapshots right after each change, so a model's series are sampled together on every
change snapshot plus the `confirm - 1` snapshots that follow it: exact for confirmation,
and far smaller than one point per series per snapshot (hundreds of snapshots of
thousands of models stay interactive).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from alerts.triggers.inputs import COMPONENTS, SERVICE_TIERS

V = TypeVar("V", bound=Hashable)
Changes = list[tuple[int, V | None]]  # (snapshot index, value; None = removed)
# (component, service_tier, tier_min_prompt_tokens)
PriceKey = tuple[str, str, int]


def wanted_sql(alias: str) -> str:
    """SQL for the series trigger kinds read (constants, so safe to inline)."""
    components = ", ".join(f"'{c}'" for c in COMPONENTS)
    tiers = ", ".join(f"'{t}'" for t in SERVICE_TIERS)
    return f"{alias}component in ({components}) and {alias}service_tier in ({tiers})"


@dataclass
class ModelHistory:
    provider: str
    model: str
    prices: dict[PriceKey, Changes[Decimal]] = field(default_factory=dict)
    ceiling: Changes[int] = field(default_factory=list)
    # Per price, whether a newer value is pending or disputed (the reconciled series only):
    # a long-context tier set is no evidence while one of its prices is undecided.
    undecided: dict[PriceKey, Changes[bool]] = field(default_factory=dict)
    source_model_key: str = ""  # the key its newest value was read under
    source: str = ""  # the source of that value


@dataclass
class SourceHistory:
    source: str
    dates: list[date]
    models: dict[str, ModelHistory]
    # source key -> canonical (provider, model) from model identity (reconcile/identity.py)
    canonical: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Every value stated is already confirmed (the reconciled series applied the rule).
    settled: bool = False

    def corroborated(self, model: ModelHistory, key: PriceKey, day: date, value: Decimal) -> bool:
        """Whether the value needs no further confirmation on `day`: true of every value of
        a settled history (the reconciled series confirmed it, or another source agreed,
        by the one rule of reconcile/confirm.py); otherwise the kinds' own rule decides."""
        return self.settled

    def first_seen(self, key: str) -> int | None:
        """Snapshot index where the model's base input price first appeared."""
        changes = self.models[key].prices.get(("input", "standard", 0), [])
        return changes[0][0] if changes else None


def value_at(changes: Changes[V], index: int) -> V | None:
    """The series' value on snapshot `index` (None before it appears or once removed)."""
    at = bisect_right(changes, index, key=lambda c: c[0])
    return changes[at - 1][1] if at else None


def sample_indices(series: Sequence[Changes[V]], confirm: int, count: int) -> list[int]:
    """Every change index and the confirm - 1 snapshots after it, across `series`."""
    out: set[int] = set()
    for changes in series:
        for index, _ in changes:
            out.update(range(index, min(index + max(confirm, 1), count)))
    return sorted(out)
