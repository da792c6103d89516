"""A model's current prices as the inversion needs them, built from warehouse rows (pure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class LongContextTier:
    """Above `threshold_tokens` of prompt, prices are multiplied by these factors."""

    threshold_tokens: int
    input_multiplier: Decimal | None
    output_multiplier: Decimal | None


@dataclass(frozen=True)
class ModelPrices:
    provider: str
    model: str
    input_usd_per_mtok: Decimal
    output_usd_per_mtok: Decimal
    cache_read_usd_per_mtok: Decimal | None = None
    cache_write_usd_per_mtok: Decimal | None = None  # the 5-minute write, else the 1-hour one
    cache_write_1h_usd_per_mtok: Decimal | None = None  # when both durations are priced
    cache_storage_usd_per_mtok_hour: Decimal | None = None
    long_context_tiers: tuple[LongContextTier, ...] = ()
    context_limit_tokens: int | None = None


Key = tuple[str, str]


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _ratio(tier: Decimal | None, base: Decimal | None) -> Decimal | None:
    if tier is None or base is None or base == 0:
        return None
    return tier / base


def model_prices(
    rows: Iterable[Mapping[str, object]], limits: Mapping[Key, int] | None = None
) -> list[ModelPrices]:
    """Group `latest_prices` rows (standard tier, no condition) into one ModelPrices each.

    Rows need provider, model, component, usd_per_mtok and, optionally, service_tier,
    tier_min_prompt_tokens and condition. A dated price (effective_from/_to) counts only
    when the row says `in_force` (the reconciled series resolved its dates). Models
    without both a base input and output price are skipped: there is no ratio to invert.
    `limits` maps (provider, model) to the context window.
    """
    base: dict[Key, dict[str, Decimal]] = defaultdict(dict)
    tiers: dict[Key, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        if (
            row.get("service_tier", "standard") != "standard"
            or row.get("condition")
            or ((row.get("effective_from") or row.get("effective_to")) and not row.get("in_force"))
        ):
            continue
        price = _decimal(row.get("usd_per_mtok"))
        if price is None:
            continue
        key = (str(row["provider"]), str(row["model"]))
        threshold = int(str(row.get("tier_min_prompt_tokens") or 0))
        target = base[key] if threshold == 0 else tiers[key][threshold]
        target[str(row["component"])] = price
    return [
        _one(key, prices, tiers.get(key, {}), (limits or {}).get(key))
        for key, prices in sorted(base.items())
        if prices.get("input") and "output" in prices
    ]


def _one(
    key: Key,
    prices: Mapping[str, Decimal],
    tiers: Mapping[int, Mapping[str, Decimal]],
    limit: int | None,
) -> ModelPrices:
    write = prices.get("cache_write_5m", prices.get("cache_write_1h"))
    if write is not None and write < prices["input"]:
        write = None  # writing costs at least the input it caches: feeds write 0 for "no charge"
    ladder = prices.get("cache_write_1h") if "cache_write_5m" in prices else None
    return ModelPrices(
        provider=key[0],
        model=key[1],
        input_usd_per_mtok=prices["input"],
        output_usd_per_mtok=prices["output"],
        cache_read_usd_per_mtok=prices.get("cache_read"),
        cache_write_usd_per_mtok=write,
        cache_write_1h_usd_per_mtok=ladder,
        cache_storage_usd_per_mtok_hour=prices.get("cache_storage_per_hour"),
        long_context_tiers=tuple(
            LongContextTier(
                threshold,
                _ratio(tier.get("input"), prices.get("input")),
                _ratio(tier.get("output"), prices.get("output")),
            )
            for threshold, tier in sorted(tiers.items())
            if "input" in tier or "output" in tier
        ),
        context_limit_tokens=limit,
    )
