"""The stand-ins side by side: a range per inference and a verdict only where all agree.

A closed model's prices are read against several stand-in architectures (references.py).
For each inference the band gives the lowest and highest value across them, and the
shared label as the verdict, firm only when every stand-in carries the same one.
Otherwise it names the stand-in property that separates the answers (sparse attention,
attention kind, mixture of experts, KV bytes per token, active parameters), or says that
none does.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from model.inversion.inference import Assumptions, Inference
from model.inversion.textfmt import num

CATEGORICAL = (
    ("sparse_attention", "sparse attention"),
    ("attention", "attention kind"),
    ("moe", "mixture of experts"),
)
NUMERIC = (
    ("kv_bytes_per_token", "KV bytes read per token"),
    ("active_params", "active parameters"),
)


@dataclass(frozen=True)
class Band:
    provider: str
    model: str
    name: str
    unit: str
    low: float | None
    high: float | None
    values: dict[str, float | None] = field(default_factory=dict)  # stand-in -> value
    labels: dict[str, str] = field(default_factory=dict)  # stand-in -> label
    verdict: str = ""  # the label every stand-in shares ("" if they differ or carry none)
    firm: bool = True
    decided_by: str = ""  # what separates the stand-ins when the verdict is not firm
    hardware: str = ""
    summary: str = ""  # the range and the verdict, one line
    explanation: str = ""  # the summary, then the first stand-in's own explanation

    @property
    def stand_ins(self) -> int:
        return len(self.values)


def _groups(labels: Mapping[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for stand_in, label in labels.items():
        out.setdefault(label, []).append(stand_in)
    return out


def _categorical(facts: Mapping[str, Assumptions], labels: Mapping[str, str], key: str) -> bool:
    seen: dict[object, str] = {}
    for stand_in, label in labels.items():
        value = facts[stand_in].get(key)
        if seen.setdefault(value, label) != label:
            return False
    return len(seen) > 1


def _numeric(facts: Mapping[str, Assumptions], labels: Mapping[str, str], key: str) -> bool:
    """True when sorting the stand-ins by `key` puts each label in one unbroken run."""
    order = sorted(labels, key=lambda s: float(facts[s].get(key, 0.0)))
    runs = [labels[s] for i, s in enumerate(order) if i == 0 or labels[order[i - 1]] != labels[s]]
    ties = any(
        float(facts[a].get(key, 0.0)) == float(facts[b].get(key, 0.0)) and labels[a] != labels[b]
        for a, b in itertools.pairwise(order)
    )
    return len(runs) == len(set(runs)) > 1 and not ties


def deciding_assumption(facts: Mapping[str, Assumptions], labels: Mapping[str, str]) -> str:
    """The first stand-in property whose values separate the stand-ins' labels."""
    groups = _groups(labels)
    for key, what in CATEGORICAL:
        if _categorical(facts, labels, key):
            parts = [
                f"{facts[members[0]].get(key)} -> {label}" for label, members in groups.items()
            ]
            return f"{what} ({'; '.join(parts)})"
    for key, what in NUMERIC:
        if _numeric(facts, labels, key):
            parts = []
            for label, members in groups.items():
                values = sorted(float(facts[m].get(key, 0.0)) for m in members)
                span = num(values[0]) if len(values) == 1 else f"{num(values[0])}-{num(values[-1])}"
                parts.append(f"{span} -> {label}")
            return f"{what} ({'; '.join(parts)})"
    return "no single stand-in property (they differ in more than one)"


def _explain(band: Band) -> str:
    values = [v for v in band.values.values() if v is not None]
    span = (
        "no value"
        if not values
        else f"{num(min(values))}"
        if min(values) == max(values)
        else f"{num(min(values))} to {num(max(values))}"
    )
    each = ", ".join(
        f"{s} {'n/a' if v is None else num(v)}"
        + (f" [{band.labels[s]}]" if band.labels.get(s) else "")
        for s, v in band.values.items()
    )
    head = f"{band.name}: {span} {band.unit} across {band.stand_ins} stand-in(s) ({each})"
    if band.firm and band.verdict:
        return f"{head}; firm: {band.verdict} (every stand-in agrees)."
    if band.firm:
        return f"{head}."
    return f"{head}; not firm: decided by {band.decided_by}."


def bands(found: Iterable[Inference]) -> list[Band]:
    """One band per (provider, model, inference name), in the order the names first appear."""
    grouped: dict[tuple[str, str, str], list[Inference]] = {}
    for item in found:
        grouped.setdefault((item.provider, item.model, item.name), []).append(item)
    out = []
    for (provider, model, name), items in grouped.items():
        values = {str(i.assumptions.get("model", "")): i.value for i in items}
        labels = {str(i.assumptions.get("model", "")): i.label for i in items}
        present = [v for v in values.values() if v is not None]
        firm = len(set(labels.values())) == 1
        facts = {str(i.assumptions.get("model", "")): i.assumptions for i in items}
        band = Band(
            provider=provider,
            model=model,
            name=name,
            unit=items[0].unit,
            low=min(present) if present else None,
            high=max(present) if present else None,
            values=values,
            labels=labels,
            verdict=items[0].label if firm else "",
            firm=firm,
            decided_by="" if firm else deciding_assumption(facts, labels),
            hardware=str(items[0].assumptions.get("hardware", "")),
        )
        summary = _explain(band)
        first = items[0]
        detail = f" {first.assumptions.get('model')}: {first.explanation}"
        out.append(replace(band, summary=summary, explanation=summary + detail))
    return out
