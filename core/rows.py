"""The canonical row types every source produces (see DESIGN.md vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, get_args

Component = Literal[
    "input",
    "output",
    "cache_read",
    "cache_write_5m",
    "cache_write_1h",
    "cache_storage_per_hour",
]
ServiceTier = Literal["standard", "batch", "flex", "priority"]

COMPONENTS: tuple[str, ...] = get_args(Component)

MTOK = Decimal(1_000_000)


@dataclass(frozen=True, slots=True)
class PriceRow:
    """One price of one model, as one source states it.

    `usd_per_mtok` is USD per million tokens (for `cache_storage_per_hour`: USD per
    million tokens per hour). `tier_min_prompt_tokens` is 0 for the base tier and the
    prompt length above which the price applies otherwise. `effective_from` /
    `effective_to` carry dated prices (scheduled changes, time-limited discounts;
    `effective_from` is the first day the price applies, `effective_to` the first day it
    no longer does);
    `condition` describes any other qualifier (a time-of-day window, a modality).
    """

    source: str
    source_model_key: str
    provider: str
    model: str
    component: Component
    usd_per_mtok: Decimal
    service_tier: ServiceTier = "standard"
    tier_min_prompt_tokens: int = 0
    effective_from: date | None = None
    effective_to: date | None = None
    condition: str = ""

    def series_key(self) -> tuple[str, str, str, str, int, str, str]:
        """Identity of the series this value belongs to (one value per snapshot)."""
        return (
            self.source_model_key,
            self.component,
            self.service_tier,
            self.condition,
            self.tier_min_prompt_tokens,
            self.effective_from.isoformat() if self.effective_from else "",
            self.effective_to.isoformat() if self.effective_to else "",
        )


@dataclass(frozen=True, slots=True)
class LimitRow:
    """A model's token limits as one source states them (None: not stated)."""

    source: str
    source_model_key: str
    provider: str
    model: str
    context_window_tokens: int | None = None
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class SectionFailure:
    """One section of an official page that was skipped, and why; the rest still loads.

    `section` is the section's key on the page (stable from one capture to the next),
    `heading` its heading as shown, `kind` the typed error's kind (layout_changed,
    ambiguous_price, ...) and `models` the model ids the section names, when readable.
    """

    source: str
    section: str
    heading: str
    kind: str
    reason: str
    models: tuple[str, ...] = ()


@dataclass(slots=True)
class Parsed:
    """What parsing one payload yields: rows plus what the parser chose to ignore."""

    prices: list[PriceRow] = field(default_factory=list)
    limits: list[LimitRow] = field(default_factory=list)
    # Fields the parser did not understand, for the run summary (never a failure).
    unmapped_fields: set[str] = field(default_factory=set)
    # Page sections skipped with a typed, section-scoped failure (official pages only).
    section_failures: list[SectionFailure] = field(default_factory=list)

    def extend(self, other: Parsed) -> None:
        self.prices.extend(other.prices)
        self.limits.extend(other.limits)
        self.unmapped_fields |= other.unmapped_fields
        self.section_failures.extend(other.section_failures)

    @property
    def model_keys(self) -> set[str]:
        return {r.source_model_key for r in self.prices} | {r.source_model_key for r in self.limits}
