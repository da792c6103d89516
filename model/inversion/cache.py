"""Prompt-cache prices: what a hit avoids, and which memory tier storage prices pay for."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from model.catalog.specs import MemoryTier
from model.inversion.cost_ratio import prefill_cost
from model.inversion.inference import Assumptions, Inference
from model.inversion.prices import ModelPrices
from model.inversion.references import Reference
from model.inversion.textfmt import money, num
from model.roofline.deployment import Deployment

GB = Decimal(1_000_000_000)
MTOK = Decimal(1_000_000)


def cache_inferences(
    prices: ModelPrices,
    dep: Deployment,
    ref: Reference,
    base: Assumptions,
    tiers: Mapping[str, MemoryTier],
) -> list[Inference]:
    out: list[Inference] = []
    if prices.cache_read_usd_per_mtok is not None:
        out.extend(_read(prices, prices.cache_read_usd_per_mtok, dep, ref, base))
    cache_write = prices.cache_write_usd_per_mtok
    if cache_write is not None:
        premium = float(cache_write / prices.input_usd_per_mtok - 1)
        text = (
            f"Writing the cache costs {num(100 * premium)}% more than plain input "
            f"({money(cache_write)} vs {money(prices.input_usd_per_mtok)} USD/Mtok): "
            "the price of keeping the KV somewhere after the request ends."
        )
        out.append(
            Inference(
                prices.provider,
                prices.model,
                "cache_write_premium",
                premium,
                "fraction",
                text,
                base,
            )
        )
    if prices.cache_storage_usd_per_mtok_hour is not None:
        out.append(_storage(prices, prices.cache_storage_usd_per_mtok_hour, dep, ref, base, tiers))
    return out


def _read(
    prices: ModelPrices, read: Decimal, dep: Deployment, ref: Reference, base: Assumptions
) -> list[Inference]:
    discount = read / prices.input_usd_per_mtok
    avoided = float(1 - discount)
    kv_per_token = dep.kv.bytes_per_token_at(ref.prompt_tokens)
    bw = dep.hardware.hbm_bandwidth_bytes_per_s * dep.efficiency.bandwidth_fraction
    reload_fraction = (kv_per_token / bw) / prefill_cost(dep, ref.prompt_tokens)
    label = "consistent" if avoided <= 1 - reload_fraction else "discount deeper than physics"
    text = (
        f"A cache hit costs {num(100 * float(discount))}% of input, so the price says a hit "
        f"avoids {num(100 * avoided)}% of prefill cost. On the reference, reading a cached "
        f"token's KV ({num(kv_per_token)} bytes) back from HBM takes "
        f"{num(100 * reload_fraction)}% of the chip time recomputing it would."
    )
    facts: Assumptions = {**base, "kv_bytes_per_token": kv_per_token}
    return [
        Inference(
            prices.provider,
            prices.model,
            "cache_hit_prefill_cost_avoided",
            avoided,
            "fraction",
            text,
            facts,
            label,
        ),
        Inference(
            prices.provider,
            prices.model,
            "model_cache_reload_cost_fraction",
            reload_fraction,
            "fraction",
            text,
            facts,
        ),
    ]


def _tier_costs(dep: Deployment, tiers: Mapping[str, MemoryTier]) -> list[tuple[str, Decimal]]:
    """Tier id and USD per GB-hour, fastest first; HBM priced from the reference chip."""
    costs = [(t.id, t.usd_per_gb_hour) for t in sorted(tiers.values(), key=lambda t: t.rank)]
    rental = dep.hardware.rental_usd_per_chip_hour
    if rental is not None:
        own = rental / (Decimal(repr(dep.hardware.hbm_capacity_bytes)) / GB)
        costs = [(tid, own if tid == "hbm" else cost) for tid, cost in costs]
    return costs


def _storage(
    prices: ModelPrices,
    storage: Decimal,
    dep: Deployment,
    ref: Reference,
    base: Assumptions,
    tiers: Mapping[str, MemoryTier],
) -> Inference:
    kv_per_token = dep.kv.bytes_per_token_at(ref.context_tokens)
    gb_per_mtok = Decimal(repr(kv_per_token)) * MTOK / GB
    implied = storage / gb_per_mtok
    costs = _tier_costs(dep, tiers)
    affordable = [tid for tid, cost in costs if cost <= implied]
    label = affordable[0] if affordable else "below-flash-cost"
    listing = ", ".join(f"{tid} {cost.quantize(Decimal('1e-6'))}" for tid, cost in costs)
    text = (
        f"Storage at {money(storage)} USD per Mtok-hour, with "
        f"{num(kv_per_token)} bytes of KV per token, is {num(float(implied))} USD per GB-hour. "
        "Tier "
        f"costs (USD/GB-hour): {listing}. The price pays for {label}"
        + (" or anything cheaper." if affordable else ".")
    )
    facts: Assumptions = {
        **base,
        "kv_bytes_per_token": kv_per_token,
        **{f"{tid}_usd_per_gb_hour": str(cost) for tid, cost in costs},
    }
    return Inference(
        prices.provider,
        prices.model,
        "implied_kv_storage_usd_per_gb_hour",
        float(implied),
        "usd_per_gb_hour",
        text,
        facts,
        label,
    )
