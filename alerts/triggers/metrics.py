"""The metrics `threshold` and `step_change` watch: each a series computed from one
model's prices. A metric not listed here is rejected when the theses file is loaded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alerts.triggers.confirm import derived
from alerts.triggers.inputs import ModelSeries, Series

RATIO_STEP = Decimal("0.0001")
RATIO = "x"


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    unit: str
    help: str
    # The series for one model, corroborated as its prices are (confirm: snapshots).
    series: Callable[[ModelSeries, int], Series]


def ratio_series(top: Series, bottom: Series, confirm: int = 2) -> Series:
    """top / bottom on the snapshot dates where both are present and bottom > 0
    (corroborated where a second source confirms the prices it is made of)."""
    lows = dict(bottom)
    out: list[tuple[date, Decimal | None]] = []
    for day, high in top:
        low = lows.get(day)
        ratio = high / low if high is not None and low is not None and low > 0 else None
        out.append((day, None if ratio is None else ratio.quantize(RATIO_STEP)))
    return derived(out, [top, bottom], confirm)


def top_tier_prices(model: ModelSeries, confirm: int) -> Series:
    """The standard input price of the highest long-context tier present each day."""
    tiers = {t: dict(model.price("input", "standard", t)) for t in model.thresholds()}
    out: list[tuple[date, Decimal | None]] = []
    for day, _ in model.price("input"):
        present = [t for t, prices in tiers.items() if prices.get(day) is not None]
        out.append((day, tiers[max(present)][day] if present else None))
    return derived(out, [model.price("input", "standard", t) for t in tiers], confirm)


def _long_context_multiplier(model: ModelSeries, confirm: int) -> Series:
    return ratio_series(top_tier_prices(model, confirm), model.price("input"), confirm)


def _priority_standard(model: ModelSeries, confirm: int) -> Series:
    return ratio_series(model.price("input", "priority"), model.price("input"), confirm)


def _output_input(model: ModelSeries, confirm: int) -> Series:
    return ratio_series(model.price("output"), model.price("input"), confirm)


def _cache_discount(model: ModelSeries, confirm: int) -> Series:
    return ratio_series(model.price("input"), model.price("cache_read"), confirm)


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "output_input_ratio",
            RATIO,
            "standard output price / standard input price (the ~5x spread of thesis #3)",
            _output_input,
        ),
        Metric(
            "long_context_price_multiplier",
            RATIO,
            "input price of the highest long-context tier / base input price",
            _long_context_multiplier,
        ),
        Metric(
            "priority_standard_ratio",
            RATIO,
            "priority-tier input price / standard input price (the fast-lane premium)",
            _priority_standard,
        ),
        Metric(
            "cache_discount",
            RATIO,
            "standard input price / cache-read price (the prompt-cache hit discount)",
            _cache_discount,
        ),
    )
}
