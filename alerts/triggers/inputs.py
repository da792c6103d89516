"""What trigger kinds evaluate over: plain series, never the warehouse.

A kind reads one of these inputs (its scope, see alerts.triggers.base); the evaluators
(alerts.triggers.evaluate, evaluate_fundamentals) build them from the warehouse. Another
series of the same shape, a reconciled price series for instance, can be put in their
place without touching a kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from core.rows import ArchitectureRow
from model.catalog.disclosures import Disclosure
from model.catalog.domains import ScaleUpDomain
from model.catalog.serving_hosts import ServingHost
from model.catalog.specs import Hardware, ModelSpec

# (snapshot date, value); None: the series is absent on that snapshot.
Series = Sequence[tuple[date, Decimal | None]]
# The price components and service tiers a ModelSeries offers.
COMPONENTS = ("input", "output", "cache_read")
SERVICE_TIERS = ("standard", "priority")
# A model's long-context tier thresholds (tokens); empty: priced without tiers.
TierSet = frozenset[int]


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


class ModelSeries(Protocol):
    """One model's series from one price source, sampled on the same snapshot dates."""

    def price(self, component: str, tier: str = "standard", threshold: int = 0) -> Series:
        """Its price (USD per Mtok) of a component, service tier and prompt threshold."""
        ...

    def thresholds(self) -> list[int]:
        """The long-context prompt thresholds its standard input price was ever tiered at."""
        ...

    @property
    def tiers(self) -> Sequence[tuple[date, TierSet | None]]:
        """Its tier thresholds per snapshot (None: the model is absent)."""
        ...

    @property
    def ceiling(self) -> Sequence[tuple[date, int | None]]:
        """Its context ceiling (tokens) per snapshot."""
        ...


@dataclass(frozen=True, slots=True)
class ModelContext:
    """One model's context ceiling and tier thresholds per snapshot."""

    ref: ModelRef
    ceilings: Sequence[tuple[date, int | None]]
    tiers: Sequence[tuple[date, TierSet | None]] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class SourceView:
    """Everything one price source says across its models."""

    models: Sequence[ModelContext]
    # provider -> (model id, release date): the first-seen dates of its models
    releases: Mapping[str, Sequence[tuple[str, date]]]


@dataclass(frozen=True, slots=True)
class FundamentalsData:
    """Company figures. Margins and growth are in percent."""

    quotes: Mapping[str, Mapping[str, Series]]  # ticker -> currency -> closes
    margins: Mapping[str, Mapping[str, Series]]  # period type -> ticker -> gross margin
    capex_growth: Mapping[str, Series]  # period type -> hyperscaler capex growth y/y


# One day's implied serving-margin band: (day, low, high), fractions of revenue.
MarginBand = tuple[date, Decimal, Decimal]


@dataclass(frozen=True, slots=True)
class MarginBands:
    """Each model's implied serving-margin band per stored day, oldest first: the range
    of 1 − rental / revenue across the stand-in architectures (migration 008's
    `implied_margin_daily`)."""

    models: Mapping[ModelRef, Sequence[MarginBand]]


@dataclass(frozen=True, slots=True)
class ObservedArchitecture:
    """A model's architecture as its config stated it on `day` (new or changed)."""

    day: date
    change: str  # new | changed
    arch: ArchitectureRow
    source_url: str = ""


@dataclass(frozen=True, slots=True)
class HostSpeed:
    """One host's median per-request decode speed for one OpenRouter model on one day."""

    day: date
    model: str  # OpenRouter model id
    endpoint_key: str
    host: str  # OpenRouter provider name
    quantization: str | None  # None: not stated
    throughput_p50_tokens_per_s: float


@dataclass(frozen=True, slots=True)
class WatchedData:
    """What the watched-model kinds read: open-weight architectures as observed, the
    scale-up domain catalog (with each domain's HBM per chip), the disclosures file, and
    per OpenRouter model the daily median over its hosts of p50 throughput per output
    dollar ((tokens/s) per (USD/Mtok)) and the price-implied decode batch (sequences, the
    roofline inversion's median over its stand-ins); each host's p50 speed; the roofline
    catalog's architectures and chips, and the hosts whose hardware is public."""

    architectures: Sequence[ObservedArchitecture]
    domains: Sequence[ScaleUpDomain]
    hbm_bytes_per_chip: Mapping[str, float]  # domain id -> HBM bytes of one chip
    disclosures: Sequence[Disclosure]
    speed_per_dollar: Mapping[str, Series]
    today: date
    implied_batch: Mapping[str, Series] = field(default_factory=dict)
    host_speeds: Sequence[HostSpeed] = ()
    models: Mapping[str, ModelSpec] = field(default_factory=dict)
    hardware: Mapping[str, Hardware] = field(default_factory=dict)
    serving_hosts: Sequence[ServingHost] = ()
