"""One named conclusion drawn from prices, with its unit, reasoning and assumptions."""

from __future__ import annotations

from dataclasses import dataclass, field

Assumptions = dict[str, str | float | int]


@dataclass(frozen=True)
class Inference:
    """`value` is None when the prices and the reference deployment cannot agree (the
    `label` and `explanation` then say why). Money-valued inferences are computed in
    Decimal and carried here as float for storage next to the physical ones."""

    provider: str
    model: str
    name: str
    value: float | None
    unit: str
    explanation: str
    assumptions: Assumptions = field(default_factory=dict)
    label: str = ""
